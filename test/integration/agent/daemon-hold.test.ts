import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_PROTOCOL_VERSION } from '../../../common/agent/agent-protocol';
import { runDaemon, type DaemonControl } from '../../../agent-bundle/runtime/daemon';
import { probeDaemon } from '../../../agent-bundle/runtime/daemon-probe';
import { makeRuntimeDir, waitUntil } from './agent-processes';

const IDLE_MS = 300;
const identity = {
  protocol: AGENT_PROTOCOL_VERSION,
  agentVersion: 'test',
  bundleSha256: 'f'.repeat(64),
  pid: process.pid,
  node: process.version,
  platform: process.platform,
  arch: process.arch,
};

let runtime: string | undefined;
afterEach(async () => {
  if (runtime) await rm(runtime, { recursive: true, force: true });
});

describe('a daemon held alive by long-running work', () => {
  it('does not exit at its idle deadline with no clients while held; released, it does', async () => {
    runtime = await makeRuntimeDir();
    const socketPath = join(runtime, 'labdeck', 'agent-ffffffffffff.sock');
    let control: DaemonControl | undefined;
    let exitCode: number | undefined;
    const exited = runDaemon({
      socketPath,
      identity,
      idleExitMs: IDLE_MS,
      register: (_registry, daemon) => (control = daemon),
    }).then((code) => (exitCode = code));
    await waitUntil('the daemon listens', () => control !== undefined && existsSync(socketPath));
    const release = control!.holdAlive('a durable terminal');

    await sleep(IDLE_MS * 4);
    expect(exitCode).toBeUndefined();
    expect((await probeDaemon(socketPath)).state).toBe('hello');

    release();
    await exited;
    expect(exitCode).toBe(0);
    expect(existsSync(socketPath)).toBe(false);
  });
});
