import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../../agent-bundle/runtime/daemon-lock';
import { encodeStreamData, encodeStreamEnd } from '../../../common/agent/stream-header';
import { attachLocalStream, startLocalAgent } from '../../../main/agent/local-agent';
import type { AgentClient } from '../../../main/agent/agent-client';
import {
  AgentProcesses,
  buildAgentBundles,
  CONNECT_TIMEOUT_MS,
  makeRuntimeDir,
  TEST_IDLE_EXIT_MS,
  waitUntil,
} from './agent-processes';
import { StreamReader } from './stream-reader';

let buildDir: string;
let bundlePath: string;
const processes = new AgentProcesses();

beforeAll(async () => {
  buildDir = await mkdtemp(join(tmpdir(), 'labdeck-agent-build-'));
  bundlePath = (await buildAgentBundles(buildDir)).a;
});
afterEach(() => processes.cleanup());
afterAll(() => rm(buildDir, { recursive: true, force: true }));

function envFor(runtime: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    XDG_RUNTIME_DIR: runtime,
    LABDECK_AGENT_IDLE_MS: String(TEST_IDLE_EXIT_MS),
  };
}

async function clientsOf(client: AgentClient): Promise<number> {
  const info = await client.call('agent.info', {});
  return info.ok ? info.value.clients : -1;
}

describe('startLocalAgent ("This computer")', () => {
  it('reaches the per-user daemon over a child’s stdio; close ends only the child', async () => {
    const runtime = processes.track(await makeRuntimeDir());
    const local = await startLocalAgent({
      bundlePath,
      client: 'local test',
      timeoutMs: CONNECT_TIMEOUT_MS,
      env: envFor(runtime),
    });
    const daemonPid = local.hello.pid;
    processes.noteDaemon(daemonPid);
    const other = await processes.connect(bundlePath, runtime);
    expect(other.client.hello.pid).toBe(daemonPid);
    await waitUntil('the daemon counts both clients', async () => (await clientsOf(local)) === 2);

    local.close();
    await local.closed;
    await waitUntil('the local client has left', async () => (await clientsOf(other.client)) === 1);
    expect(isProcessAlive(daemonPid)).toBe(true);

    const again = await startLocalAgent({
      bundlePath,
      client: 'local test',
      timeoutMs: CONNECT_TIMEOUT_MS,
      env: envFor(runtime),
    });
    expect(again.hello.pid).toBe(daemonPid);
    again.close();
  });

  it('attaches a byte stream on a child of its own, beside the RPC child, with its size', async () => {
    const runtime = processes.track(await makeRuntimeDir());
    const options = {
      bundlePath,
      client: 'local test',
      timeoutMs: CONNECT_TIMEOUT_MS,
      env: envFor(runtime),
    };
    const local = await startLocalAgent(options);
    processes.noteDaemon(local.hello.pid);
    const attached = attachLocalStream(options, 'diag:echo', { cols: 120, rows: 40 });
    const reader = new StreamReader(attached.stream);
    expect(await reader.header).toEqual({
      t: 'opened',
      stream: 'diag:echo',
      replayBytes: 0,
      cols: 120,
      rows: 40,
    });
    for (const frame of encodeStreamData(new TextEncoder().encode('hello\x00\xff'))) {
      attached.stream.write(frame);
    }
    attached.stream.write(encodeStreamEnd({ t: 'end' }));
    expect(await reader.end).toEqual({ t: 'end', exitCode: 0 });
    expect(reader.bytes().toString()).toBe('hello\x00\xff');
    expect(await clientsOf(local)).toBe(1);
    attached.close();
    local.close();
  });

  it('fails quoting the agent’s stderr when the bundle is missing', async () => {
    const runtime = processes.track(await makeRuntimeDir());
    await expect(
      startLocalAgent({
        bundlePath: join(buildDir, 'missing.cjs'),
        client: 'local test',
        timeoutMs: CONNECT_TIMEOUT_MS,
        env: envFor(runtime),
      }),
    ).rejects.toMatchObject({
      code: 'agent-closed-before-hello',
      message: expect.stringContaining('Cannot find module'),
    });
  });

  it('fails clearly when the Node binary cannot be started', async () => {
    await expect(
      startLocalAgent({
        bundlePath,
        client: 'local test',
        timeoutMs: CONNECT_TIMEOUT_MS,
        nodePath: join(buildDir, 'no-such-node'),
      }),
    ).rejects.toMatchObject({ code: 'agent-spawn-failed' });
  });
});
