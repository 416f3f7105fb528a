import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../../agent-bundle/runtime/daemon-lock';
import {
  AgentProcesses,
  buildAgentBundles,
  bundleSha256,
  daemonPaths,
  makeRuntimeDir,
  waitUntil,
} from './agent-processes';

/** An agent of another protocol: answers every hello with `incompatible`, as a real one would. */
const OLD_PROTOCOL_AGENT = `
const net = require('node:net');
const fs = require('node:fs');
const [socket, lock] = process.argv.slice(1);
fs.writeFileSync(lock, process.pid + '\\n');
net.createServer((s) => s.once('data', () =>
  s.end(JSON.stringify({ t: 'incompatible', protocol: 99, message: 'speaks 99' }) + '\\n'),
)).listen(socket, () => console.log('ready'));
`;

let buildDir: string;
let bundles: { a: string; b: string };
let shas: { a: string; b: string };
const processes = new AgentProcesses();

beforeAll(async () => {
  buildDir = await mkdtemp(join(tmpdir(), 'labdeck-agent-build-'));
  bundles = await buildAgentBundles(buildDir);
  shas = { a: await bundleSha256(bundles.a), b: await bundleSha256(bundles.b) };
});
afterEach(() => processes.cleanup());
afterAll(() => rm(buildDir, { recursive: true, force: true }));

describe('labdeck-agent connect and the per-user daemon', () => {
  it('starts a detached daemon on first connect and reuses it on the second', async () => {
    const runtime = processes.track(await makeRuntimeDir());
    const first = await processes.connect(bundles.a, runtime);
    const second = await processes.connect(bundles.a, runtime);
    expect(second.client.hello.pid).toBe(first.client.hello.pid);
    expect(first.client.hello.pid).not.toBe(first.child.pid);
    await waitUntil('the daemon counts both clients', async () => {
      const info = await first.client.call('agent.info', {});
      return info.ok && info.value.clients === 2;
    });
    const info = await second.client.call('agent.info', {});
    expect(info).toMatchObject({
      ok: true,
      value: { socketPath: daemonPaths(runtime, shas.a).socket },
    });
  });

  it('serves two connects that race to start it with one daemon', async () => {
    const runtime = processes.track(await makeRuntimeDir());
    const [first, second] = await Promise.all([
      processes.connect(bundles.a, runtime),
      processes.connect(bundles.a, runtime),
    ]);
    expect(second.client.hello.pid).toBe(first.client.hello.pid);
  });

  it('outlives a killed connect (a dropped SSH session); the next connect finds it', async () => {
    const runtime = processes.track(await makeRuntimeDir());
    const first = await processes.connect(bundles.a, runtime);
    const daemonPid = first.client.hello.pid;
    first.child.kill('SIGKILL');
    expect(await first.client.closed).toMatchObject({ code: 'agent-disconnected' });
    expect(isProcessAlive(daemonPid)).toBe(true);
    const second = await processes.connect(bundles.a, runtime);
    expect(second.client.hello.pid).toBe(daemonPid);
    expect((await second.client.call('agent.info', {})).ok).toBe(true);
  });

  it('replaces the stale socket and lock of a daemon that was killed', async () => {
    const runtime = processes.track(await makeRuntimeDir());
    const first = await processes.connect(bundles.a, runtime);
    process.kill(first.client.hello.pid, 'SIGKILL');
    await waitUntil('the killed daemon is gone', () => !isProcessAlive(first.client.hello.pid));
    expect(existsSync(daemonPaths(runtime, shas.a).socket)).toBe(true);
    const second = await processes.connect(bundles.a, runtime);
    expect(second.client.hello.pid).not.toBe(first.client.hello.pid);
  });

  it('exits when idle and removes its socket and lock', async () => {
    const runtime = processes.track(await makeRuntimeDir());
    const { client } = await processes.connect(bundles.a, runtime, 300);
    const daemonPid = client.hello.pid;
    client.close();
    await waitUntil('the idle daemon has exited', () => !isProcessAlive(daemonPid));
    expect(existsSync(daemonPaths(runtime, shas.a).socket)).toBe(false);
    expect(existsSync(daemonPaths(runtime, shas.a).lock)).toBe(false);
  });

  it('runs a daemon per build side by side: a second build never stops the first', async () => {
    const runtime = processes.track(await makeRuntimeDir());
    const a = await processes.connect(bundles.a, runtime, 1_500);
    const b = await processes.connect(bundles.b, runtime, 1_500);
    expect(b.client.hello.bundleSha256).not.toBe(a.client.hello.bundleSha256);
    expect(b.client.hello.pid).not.toBe(a.client.hello.pid);
    expect(isProcessAlive(a.client.hello.pid)).toBe(true);
    expect(await a.client.call('agent.info', {})).toMatchObject({
      ok: true,
      value: { pid: a.client.hello.pid, socketPath: daemonPaths(runtime, shas.a).socket },
    });
    expect(await b.client.call('agent.info', {})).toMatchObject({
      ok: true,
      value: { socketPath: daemonPaths(runtime, shas.b).socket },
    });
    // Build A again finds its own daemon, still the same process.
    const again = await processes.connect(bundles.a, runtime);
    expect(again.client.hello.pid).toBe(a.client.hello.pid);
  });

  it('stops an agent that speaks another protocol (by its lock’s pid) and starts its own', async () => {
    const runtime = processes.track(await makeRuntimeDir());
    const { dir, socket, lock } = daemonPaths(runtime, shas.a);
    await mkdir(dir, { mode: 0o700 });
    const old = spawn(process.execPath, ['-e', OLD_PROTOCOL_AGENT, socket, lock], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    processes.noteDaemon(old.pid!);
    await new Promise((resolve) => old.stdout.once('data', resolve));
    const fresh = await processes.connect(bundles.a, runtime);
    expect(fresh.client.hello.pid).not.toBe(old.pid);
    await waitUntil(
      'the old agent has been reaped',
      () => old.exitCode !== null || old.signalCode !== null,
    );
    expect(old.signalCode).toBe('SIGTERM');
  });

  it('refuses a socket directory others can write to, passing the agent’s code and fix through', async () => {
    const runtime = processes.track(await makeRuntimeDir());
    const { dir, socket } = daemonPaths(runtime, shas.a);
    await mkdir(dir);
    await chmod(dir, 0o777);
    const refused = processes.connect(bundles.a, runtime);
    await expect(refused).rejects.toMatchObject({
      code: 'agent-socket-dir-unsafe',
      message: expect.stringContaining(`${dir} is writable by other users`),
      hint: expect.stringContaining(`chmod 700 '${dir}'`),
    });
    // The agent's own advice, not a guess about Node.
    await expect(refused).rejects.not.toMatchObject({ hint: expect.stringContaining('Node 18') });
    expect(existsSync(socket)).toBe(false);
  });

  it('delivers agent.heartbeat events until unsubscribed', async () => {
    const runtime = processes.track(await makeRuntimeDir());
    const { client } = await processes.connect(bundles.a, runtime);
    const beats: number[] = [];
    const ends: unknown[] = [];
    const unsubscribe = client.subscribe(
      'agent.heartbeat',
      { intervalMs: 20 },
      (data) => beats.push((data as { at: number }).at),
      (error) => ends.push(error),
    );
    await waitUntil('three heartbeats arrived', () => beats.length >= 3);
    expect(beats[1]! - beats[0]!).toBeGreaterThanOrEqual(10);
    unsubscribe();
    await sleep(40);
    const settled = beats.length;
    await sleep(200);
    expect(beats.length).toBe(settled);
    expect(ends).toEqual([]);
    expect((await client.call('agent.info', {})).ok).toBe(true);
  });
});
