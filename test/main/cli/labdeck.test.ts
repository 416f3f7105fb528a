import { describe, expect, it } from 'vitest';
import packageJson from '../../../package.json';
import { runCli } from '../../../main/cli/labdeck';
import type { CliIo } from '../../../main/cli/cli-io';
import { tempHome } from '../../support/temp-home';

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t) };
  const home = await tempHome();
  const code = await runCli(args, io, { PATH: '', LABDECK_HOME: home, ...env });
  return { code, out, err, home };
}

describe('labdeck CLI', () => {
  it('prints help naming every command', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    for (const command of ['host ls', 'serve', 'version']) expect(out).toContain(command);
  });

  it('prints the version, also as JSON', async () => {
    expect((await run(['version'])).out).toBe(`labdeck ${packageJson.version}\n`);
    expect(JSON.parse((await run(['version', '--json'])).out)).toEqual({
      version: packageJson.version,
    });
  });

  it('lists "This computer" as JSON with every documented key', async () => {
    const { code, out } = await run(['host', 'ls', '--json'], {
      DOCKER_HOST: 'unix:///nonexistent.sock',
    });
    expect(code).toBe(0);
    const hosts = JSON.parse(out) as Record<string, unknown>[];
    expect(hosts).toHaveLength(1);
    expect(hosts[0]).toEqual({
      id: 'local',
      name: 'This computer',
      kind: 'local',
      address: null,
      connection: 'connected',
      docker: {
        state: 'not-installed',
        version: null,
        socket: '/nonexistent.sock',
        message: 'Docker is not installed on this computer.',
        hint: expect.stringContaining('apt-get install docker.io'),
        checkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    });
  });

  it('shows the fix under the table when Docker is not usable', async () => {
    const { out } = await run(['host', 'ls'], { DOCKER_HOST: 'unix:///nonexistent.sock' });
    expect(out).toMatch(/^NAME\s+KIND\s+ADDRESS\s+CONNECTION\s+DOCKER\n/);
    expect(out).toMatch(/This computer\s+local\s+-\s+connected\s+not installed/);
    expect(out).toContain('fix: Install Docker Engine');
  });

  it('exits 2 with the usage for a mistyped command or flag', async () => {
    const unknown = await run(['hots']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown command "hots". Did you mean "host"?');
    const badFlag = await run(['host', 'ls', '--jsn']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.err).toMatch(/--jsn/);
    expect(badFlag.err).toContain('ls [--json]');
  });

  it('tells the user on stderr when it had to reset a corrupt settings file', async () => {
    const home = await tempHome();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${home}/settings.json`, 'not json');
    const result = await run(['host', 'ls'], { LABDECK_HOME: home });
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/warning: Your settings file could not be read/);
  });
  it.each([
    ['u@127.0.0.1:0', 'the port "0" is not a number from 1 to 65535'],
    ['u@127.0.0.1:22:33', '"22:33" is more than one port'],
  ])(
    'refuses `host add x --ssh %s` as a usage mistake (exit 2), without a stack',
    async (spec, why) => {
      const result = await run(['host', 'add', 'x', '--ssh', spec]);
      expect(result.code).toBe(2);
      expect(result.err).toContain(`labdeck: --ssh "${spec}": `);
      expect(result.err).toContain(why);
      expect(result.err).not.toMatch(/unexpected error|AppFailure|\n\s+at /);
    },
  );

  it('refuses a host name that would read as an ssh option (`u@-v`) before saving anything', async () => {
    const result = await run(['host', 'add', 'x', '--ssh', 'u@-oProxyCommand=touch']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(
      /the host name "-oProxyCommand=touch" .*, and must not start with "-"/,
    );
    const listed = await run(['host', 'ls', '--json'], { LABDECK_HOME: result.home });
    expect(JSON.parse(listed.out)).toHaveLength(1);
  });
});
