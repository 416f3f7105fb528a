import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BUNDLE, ensureBuilt } from '../../harness';
import { testServices } from '../../harness/test-services';

const run = promisify(execFile);

/** Enough hosts that `host ls --json` is well past a Linux pipe's 64 KiB buffer. */
const HOST_COUNT = 400;

describe('the built CLI writing into a pipe', () => {
  let home: string;

  beforeAll(async () => {
    await ensureBuilt();
    home = await mkdtemp(join(tmpdir(), 'labdeck-cli-pipe-'));
    const { services, client } = testServices(home);
    for (let i = 0; i < HOST_COUNT; i += 1) {
      const added = await client.request('hosts:add', {
        name: `gpu-node-${String(i).padStart(3, '0')}`,
        user: 'researcher',
        hostname: `gpu-node-${i}.lab.example.org`,
        port: 22,
        identityFile: null,
        identitiesOnly: false,
        jump: [],
      });
      if (!added.ok) throw new Error(added.error.message);
    }
    await services.dispose();
  });

  afterAll(() => rm(home, { recursive: true, force: true }));

  it('prints all of `host ls --json` to a slow reader, not the first 64 KiB', async () => {
    // The reader starts only after a second, so the pipe is full when the CLI finishes writing:
    // exiting before stdout drained would cut the output at the pipe's buffer size.
    const script = `"$0" "$1" host ls --json | { sleep 1; cat; }`;
    const { stdout } = await run('sh', ['-c', script, process.execPath, CLI_BUNDLE], {
      env: { PATH: process.env.PATH, LABDECK_HOME: home, HOME: home },
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(stdout.length).toBeGreaterThan(128 * 1024);
    const hosts = JSON.parse(stdout) as { name: string }[];
    expect(hosts).toHaveLength(HOST_COUNT + 1); // "This computer" too
    expect(hosts.at(-1)?.name).toBe(`gpu-node-${HOST_COUNT - 1}`);
  });
});
