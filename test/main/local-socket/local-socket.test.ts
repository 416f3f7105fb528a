import { spawn } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../../common/contract/client';
import { encodeLocalFrame } from '../../../main/local-socket/local-frames';
import { reachRunningApp } from '../../../main/local-socket/local-socket-client';
import {
  startLocalSocketServer,
  type LocalSocketServer,
} from '../../../main/local-socket/local-socket-server';
import { localSocketPath } from '../../../main/local-socket/socket-path';
import { MemorySecretStore } from '../../../main/secrets/secret-store';
import { createServices, type Services } from '../../../main/services';

const uid = process.getuid?.() ?? 0;

describe('the local socket between a running LabDeck and the CLI', () => {
  let runtime: string;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let services: Services | undefined;
  let server: LocalSocketServer | undefined;

  beforeEach(async () => {
    runtime = await mkdtemp(join(tmpdir(), 'labdeck-xdg-'));
    home = await mkdtemp(join(tmpdir(), 'labdeck-home-'));
    env = { XDG_RUNTIME_DIR: runtime, PATH: '' };
  });
  afterEach(async () => {
    await server?.close();
    await services?.dispose();
    server = services = undefined;
    await rm(runtime, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  });

  async function serve(): Promise<LocalSocketServer> {
    services = createServices({ home, mode: 'cli', secrets: new MemorySecretStore(), env });
    const started = await startLocalSocketServer({ services, home, env, warn: () => {} });
    if (!started) throw new Error('the local socket server did not start');
    return (server = started);
  }

  /** Listens on this home's socket path with a server that does whatever `onData` says. */
  async function impostor(onData: (write: (b: Buffer) => void) => void): Promise<() => void> {
    const path = await localSocketPath(home, env, uid);
    await mkdir(dirname(path), { mode: 0o700 });
    const fake = createServer((socket) =>
      socket.once('data', () => onData((b) => socket.write(b))),
    );
    await new Promise<void>((resolve) => fake.listen(path, resolve));
    await chmod(path, 0o600);
    return () => fake.close();
  }

  it('answers requests through the bridge, with a 0600 socket; a closed client is gone', async () => {
    const running = await serve();
    const reached = await reachRunningApp(home, env);
    if (!reached.ok) throw new Error(reached.reason);
    const client = createClient(reached.connection.transport);
    const hosts = await client.request('hosts:list', {});
    expect(hosts.ok && hosts.value.map((h) => h.id)).toEqual(['local']);
    // Input parsing is the Dispatcher's, unchanged.
    const bad = await client.request('hosts:list', { extra: 1 } as never);
    expect(bad.ok).toBe(false);
    expect(running.clients()).toBe(1);
    reached.connection.close();
    await expect.poll(() => running.clients()).toBe(0);
  });

  it('falls back when nothing listens, and refuses a socket of another user', async () => {
    expect(await reachRunningApp(home, env)).toEqual({
      ok: false,
      reason: 'no running LabDeck',
      appSeen: false,
    });
    const running = await serve();
    if (uid === 0) {
      await chown(running.path, 65534, 65534);
      const refused = await reachRunningApp(home, env);
      expect(refused).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/another user/),
        appSeen: true,
      });
    }
  });

  it('falls back from a server of another version, and from one that never answers', async () => {
    const stop = await impostor((write) =>
      write(encodeLocalFrame({ t: 'hello', protocol: 1, version: '0.0.0-other' })),
    );
    expect(await reachRunningApp(home, env)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('another version (0.0.0-other)'),
      appSeen: true,
    });
    stop();
    await rm(join(runtime, 'labdeck'), { recursive: true });
    const stopSilent = await impostor(() => {});
    const started = Date.now();
    const silent = await reachRunningApp(home, env, 200);
    expect(silent).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/did not answer/),
      appSeen: true,
    });
    expect(Date.now() - started).toBeLessThan(1_000);
    stopSilent();
  });

  it('falls back at once from the stale socket of a LabDeck killed with -9', async () => {
    const path = await localSocketPath(home, env, uid);
    await mkdir(dirname(path), { mode: 0o700 });
    const child = spawn(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(path)}, () => { require('fs').chmodSync(${JSON.stringify(path)}, 0o600); console.log('up'); })`,
    ]);
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const started = Date.now();
    const stale = await reachRunningApp(home, env);
    expect(stale).toMatchObject({
      ok: false,
      reason: expect.stringContaining('ECONNREFUSED'),
      appSeen: false,
    });
    expect(Date.now() - started).toBeLessThan(1_000);
    // A new server takes the stale socket's place.
    await serve();
    expect((await reachRunningApp(home, env)).ok).toBe(true);
  });
});
