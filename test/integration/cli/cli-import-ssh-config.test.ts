import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runLabdeck } from '../../harness';

const CONFIG = [
  'Host lab-direct',
  '  HostName 127.0.0.1',
  '  User uxuser',
  'Match host 127.0.0.1',
  '  Port 48191',
  'Host gpu-a',
  '  HostName 10.0.0.7',
  '  User ada',
  '  ProxyJump lab-direct',
  'Host bad',
  '  Port ssh-alt',
  '',
].join('\n');

describe('labdeck host import-ssh-config through a real process', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    await ensureBuilt();
    home = await mkdtemp(join(tmpdir(), 'labdeck-cli-import-'));
    await mkdir(join(home, '.ssh'));
    await writeFile(join(home, '.ssh', 'config'), CONFIG);
    env = { PATH: process.env.PATH, HOME: home, LABDECK_HOME: join(home, 'labdeck') };
  });

  afterAll(async () => {
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('lists with --dry-run and adds nothing, then adds --only the named hosts, then says they are there', async () => {
    const dry = await runLabdeck(['host', 'import-ssh-config', '--dry-run'], env);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    const lines = dry.stdout.split('\n');
    expect(lines[0]).toMatch(/^HOST\s+ADDRESS\s+VIA\s+IMPORT$/);
    expect(lines[1]).toMatch(/^lab-direct\s+uxuser@127\.0\.0\.1:48191\s+-\s+add$/);
    expect(lines[2]).toMatch(/^gpu-a\s+ada@10\.0\.0\.7\s+lab-direct\s+add$/);
    expect(dry.stdout).toMatch(
      /skipped {2}bad: ~\/\.ssh\/config:11: Port "ssh-alt" is not a number/,
    );
    expect(dry.stdout).toContain('Would add 2 hosts; 0 already in LabDeck, 1 cannot be imported.');
    expect((await runLabdeck(['host', 'ls'], env)).stdout).not.toContain('lab-direct');

    const only = await runLabdeck(['host', 'import-ssh-config', '--only', 'lab-direct'], env);
    expect(only.code).toBe(0);
    expect(only.stdout).toBe('added    lab-direct (uxuser@127.0.0.1:48191)\n1 added, 0 skipped\n');

    await writeFile(join(home, '.ssh', 'config'), CONFIG.replace('48191', '2200'));
    const again = await runLabdeck(['host', 'import-ssh-config', '--dry-run'], env);
    expect(again.stdout).toMatch(
      /^lab-direct\s+uxuser@127\.0\.0\.1:2200\s+-\s+already in LabDeck, differs: port 48191 in LabDeck, 2200 in the file$/m,
    );
    const all = await runLabdeck(['host', 'import-ssh-config'], env);
    expect(all.stdout).toContain('added    gpu-a (ada@10.0.0.7)');
    expect(all.stdout).toContain(
      'skipped  lab-direct: already in LabDeck with other settings (port 48191 in LabDeck, 2200 in the file); edit it there to change them',
    );
    expect(all.stdout).not.toContain('name: a host named');
  });

  it('refuses an empty name in --only as a usage mistake', async () => {
    const bad = await runLabdeck(['host', 'import-ssh-config', '--only', 'gpu-a,'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--only takes host names separated by commas (got "gpu-a,")');
  });
});
