import { chmod, chown, mkdir, stat, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildSocketName,
  daemonFiles,
  defaultSocketPath,
  ensureSocketDir,
  MAX_SOCKET_PATH_BYTES,
} from '../../../agent-bundle/runtime/socket-dir';
import { SOCKET_KEY_FILE } from '../../../agent-bundle/runtime/socket-key';
import { tempHome } from '../../support/temp-home';

const uid = process.getuid?.() ?? 0;
const isRoot = uid === 0;
/** `nobody` on Debian; any uid that is not ours will do. */
const OTHER_UID = 65534;
/** A bundle's sha256; its first 12 hex digits name the build's socket. */
const SHA = '0123456789ab' + 'c'.repeat(52);
const SOCKET = 'agent-0123456789ab.sock';

describe('per-build socket names', () => {
  it('names socket, lock and log after the first 12 hex digits of the bundle sha256', () => {
    expect(buildSocketName(SHA)).toBe(SOCKET);
    expect(daemonFiles(`/run/user/1000/labdeck/${SOCKET}`)).toEqual({
      lock: '/run/user/1000/labdeck/agent-0123456789ab.pid',
      log: '/run/user/1000/labdeck/agent-0123456789ab.log',
    });
  });

  it('gives two builds two sockets in the same directory', async () => {
    const runtime = await tempHome();
    const other = 'fedcba987654' + 'c'.repeat(52);
    const a = await defaultSocketPath({ XDG_RUNTIME_DIR: runtime }, uid, SHA);
    const b = await defaultSocketPath({ XDG_RUNTIME_DIR: runtime }, uid, other);
    expect(dirname(a)).toBe(dirname(b));
    expect(a).not.toBe(b);
  });

  it('keeps the private fallback path under the socket limit', () => {
    const longest = `/tmp/labdeck-4294967295-${'f'.repeat(16)}/${SOCKET}`;
    expect(Buffer.byteLength(longest)).toBeLessThan(MAX_SOCKET_PATH_BYTES);
  });
});

describe('defaultSocketPath', () => {
  it('uses $XDG_RUNTIME_DIR/labdeck when it is writable', async () => {
    const runtime = await tempHome();
    expect(await defaultSocketPath({ XDG_RUNTIME_DIR: runtime }, 1000, SHA)).toBe(
      join(runtime, 'labdeck', SOCKET),
    );
  });

  it('falls back to <tmp>/labdeck-<uid> when XDG_RUNTIME_DIR is unset, relative or missing', async () => {
    const places = { tmpDir: await tempHome(), home: await tempHome() };
    const fallback = join(places.tmpDir, `labdeck-${uid}`, SOCKET);
    expect(await defaultSocketPath({}, uid, SHA, places)).toBe(fallback);
    expect(await defaultSocketPath({ XDG_RUNTIME_DIR: 'run/user' }, uid, SHA, places)).toBe(
      fallback,
    );
    expect(await defaultSocketPath({ XDG_RUNTIME_DIR: '/nonexistent/run' }, uid, SHA, places)).toBe(
      fallback,
    );
    expect((await stat(dirname(fallback))).mode & 0o777).toBe(0o700);
  });

  it.runIf(isRoot)(
    'uses a private, unguessable directory when another user owns <tmp>/labdeck-<uid>',
    async () => {
      const places = { tmpDir: await tempHome(), home: await tempHome() };
      const squatted = join(places.tmpDir, `labdeck-${uid}`);
      await mkdir(squatted, { mode: 0o777 });
      await chown(squatted, OTHER_UID, OTHER_UID);
      const path = await defaultSocketPath({}, uid, SHA, places);
      expect(path).toMatch(
        new RegExp(`^${places.tmpDir}/labdeck-${uid}-[0-9a-f]{16}/agent-0123456789ab\\.sock$`),
      );
      expect((await stat(dirname(path))).mode & 0o777).toBe(0o700);
      const key = join(places.home, '.cache', 'labdeck', SOCKET_KEY_FILE);
      expect((await stat(key)).mode & 0o777).toBe(0o600);
      // Stable: the next connect (and the daemon) find the same directory.
      expect(await defaultSocketPath({}, uid, SHA, places)).toBe(path);
    },
  );

  it.runIf(isRoot)('makes a new key when the old one could be read by others', async () => {
    const places = { tmpDir: await tempHome(), home: await tempHome() };
    await mkdir(join(places.tmpDir, `labdeck-${uid}`));
    await chown(join(places.tmpDir, `labdeck-${uid}`), OTHER_UID, OTHER_UID);
    const first = await defaultSocketPath({}, uid, SHA, places);
    await chmod(join(places.home, '.cache', 'labdeck', SOCKET_KEY_FILE), 0o644);
    const second = await defaultSocketPath({}, uid, SHA, places);
    expect(second).not.toBe(first);
  });
});

describe('ensureSocketDir', () => {
  it('creates the directory with mode 0700', async () => {
    const root = await tempHome();
    await ensureSocketDir(join(root, 'labdeck', 'agent.sock'), uid);
    expect((await stat(join(root, 'labdeck'))).mode & 0o777).toBe(0o700);
  });

  it('refuses a directory others can write to, and says how to fix it', async () => {
    const dir = join(await tempHome(), 'labdeck');
    await mkdir(dir);
    await chmod(dir, 0o777);
    await expect(ensureSocketDir(join(dir, 'agent.sock'), uid)).rejects.toMatchObject({
      code: 'agent-socket-dir-unsafe',
      message: expect.stringContaining('writable by other users'),
      hint: expect.stringContaining(`chmod 700 '${dir}'`),
    });
  });

  it.runIf(isRoot)('refuses a directory owned by another user', async () => {
    const dir = join(await tempHome(), 'labdeck');
    await mkdir(dir, { mode: 0o700 });
    await chown(dir, OTHER_UID, OTHER_UID);
    await expect(ensureSocketDir(join(dir, 'agent.sock'), uid)).rejects.toMatchObject({
      message: expect.stringContaining('belongs to another user'),
    });
  });

  it('refuses a symlink in place of the directory', async () => {
    const root = await tempHome();
    await mkdir(join(root, 'elsewhere'), { mode: 0o700 });
    await symlink(join(root, 'elsewhere'), join(root, 'labdeck'));
    await expect(ensureSocketDir(join(root, 'labdeck', 'agent.sock'), uid)).rejects.toMatchObject({
      message: expect.stringContaining('not a directory'),
    });
  });

  it('tightens our own directory that others can read', async () => {
    const dir = join(await tempHome(), 'labdeck');
    await mkdir(dir);
    await chmod(dir, 0o755);
    await ensureSocketDir(join(dir, 'agent.sock'), uid);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('refuses a socket path too long for a Unix socket', async () => {
    await expect(ensureSocketDir(`/tmp/${'x'.repeat(120)}/agent.sock`, uid)).rejects.toMatchObject({
      message: expect.stringContaining('too long'),
    });
  });
});
