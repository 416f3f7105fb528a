import { chmod, chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../../common/contract/client';
import { createInProcessTransport } from '../../../main/bridge/in-process-transport';
import { MemorySecretStore } from '../../../main/secrets/secret-store';
import { createServices } from '../../../main/services';
import { SETTINGS_VERSION } from '../../../main/settings/settings-schema';
import { describeWithParts, ensureBuilt, runLabdeck } from '../../harness';

/** CLI processes started at once per round, as a script looping `labdeck host add &` would. */
const CLI_PROCESSES = 8;
const ROUNDS = 2;
/** Hosts the running services instance adds meanwhile, this many at a time. */
const SERVICE_ADDS = 24;
const SERVICE_PARALLEL = 4;

const homes: string[] = [];
async function newHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'labdeck-cli-settings-'));
  homes.push(home);
  return home;
}

async function savedHostNames(home: string): Promise<string[]> {
  const settings = JSON.parse(await readFile(join(home, 'settings.json'), 'utf8')) as {
    hosts: { name: string }[];
  };
  return settings.hosts.map((h) => h.name);
}

beforeAll(() => ensureBuilt());
afterEach(async () => {
  for (const home of homes.splice(0)) await rm(home, { recursive: true, force: true });
});

describe('the built labdeck CLI sharing one settings folder', () => {
  it('saves every host it reports as added, with 8 CLIs at once next to a running LabDeck', async () => {
    const home = await newHome();
    const env = { PATH: process.env.PATH, LABDECK_HOME: home, HOME: home };
    const services = createServices({
      home,
      mode: 'browser',
      secrets: new MemorySecretStore(),
      env: { PATH: '', DOCKER_HOST: 'unix:///nonexistent.sock' },
    });
    const { transport, close } = createInProcessTransport(services);
    const client = createClient(transport);
    const reported: string[] = [];
    const refused: string[] = [];

    const fromCli = async (): Promise<void> => {
      for (let round = 0; round < ROUNDS; round++) {
        const names = Array.from({ length: CLI_PROCESSES }, (_, i) => `cli-${round}-${i}`);
        const results = await Promise.all(
          names.map((name) => runLabdeck(['host', 'add', name, '--ssh', 'ada@127.0.0.1'], env)),
        );
        results.forEach((result, i) => {
          if (result.code === 0 && result.stdout.includes(`Added ${names[i]}`)) {
            reported.push(names[i]!);
          } else refused.push(`${names[i]}: ${result.code} ${result.stderr}`);
        });
      }
    };
    const fromServices = async (): Promise<void> => {
      for (let i = 0; i < SERVICE_ADDS; i += SERVICE_PARALLEL) {
        const names = Array.from({ length: SERVICE_PARALLEL }, (_, j) => `app-${i + j}`);
        const results = await Promise.all(
          names.map((name) =>
            client.request('hosts:add', { name, user: 'ada', hostname: '127.0.0.1' }),
          ),
        );
        results.forEach((result, j) => {
          if (result.ok) reported.push(names[j]!);
          else refused.push(`${names[j]}: ${result.error.message}`);
        });
        await new Promise((resolveSoon) => setTimeout(resolveSoon, 100)); // spread over the CLI runs
      }
    };
    try {
      await Promise.all([fromCli(), fromServices()]);
    } finally {
      close();
      await services.dispose();
    }
    const saved = await savedHostNames(home);
    // Above all, nothing reported as added is missing; and nothing was refused either.
    expect(reported.filter((name) => !saved.includes(name))).toEqual([]);
    expect(refused).toEqual([]);
    expect(saved.sort()).toEqual([...reported].sort());
    expect(saved).toHaveLength(CLI_PROCESSES * ROUNDS + SERVICE_ADDS);
  }, 120_000);

  it('says the settings are read-only until an upgrade when they come from a newer LabDeck', async () => {
    const home = await newHome();
    const newer = JSON.stringify({ version: SETTINGS_VERSION + 1, hosts: [], future: true });
    await writeFile(join(home, 'settings.json'), newer);
    const env = { PATH: process.env.PATH, LABDECK_HOME: home, HOME: home };
    const added = await runLabdeck(['host', 'add', 'lab1', '--ssh', 'ada@127.0.0.1'], env);
    expect(added.code).toBe(1);
    expect(added.stderr).toMatch(
      /error: Your settings were written by a newer LabDeck \(settings version \d+\), so they are read-only in this one until you upgrade/,
    );
    expect(added.stderr).not.toMatch(/There is no host/);
    expect(added.stdout).not.toMatch(/Added/);
    expect(await readFile(join(home, 'settings.json'), 'utf8')).toBe(newer);
  });
});

describeWithParts(['root'], 'the built labdeck CLI with a settings file it may not read', () => {
  it('says so in words with the fix, not as an EACCES stack (chmod 000, run as nobody)', async () => {
    // Root reads any file, so the CLI runs as `nobody`, for whom chmod 000 really denies.
    const home = await newHome();
    const settingsFile = join(home, 'settings.json');
    await writeFile(settingsFile, JSON.stringify({ version: SETTINGS_VERSION }));
    await chown(home, 65534, 65534);
    await chown(settingsFile, 65534, 65534);
    await chmod(settingsFile, 0o000);
    const result = await runLabdeck(
      ['host', 'ls'],
      { PATH: process.env.PATH, LABDECK_HOME: home, HOME: home },
      ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `error: LabDeck cannot read its settings file ${settingsFile}: permission denied (EACCES).`,
    );
    expect(result.stderr).toContain(`chmod 600`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
