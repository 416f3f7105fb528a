import { chmod, chown, mkdir, stat, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSocketPath, ensureSocketDir } from '../../../agent-bundle/runtime/socket-dir';
import { SOCKET_KEY_FILE } from '../../../agent-bundle/runtime/socket-key';
import { tempHome } from '../../support/temp-home';

const uid = process.getuid?.() ?? 0;
const isRoot = uid === 0;
/** `nobody` on Debian; any uid that is not ours will do. */
const OTHER_UID = 65534;

describe('defaultSocketPath', () => {
  it('uses $XDG_RUNTIME_DIR/labdeck when it is writable', async () => {
    const runtime = await tempHome();
    expect(await defaultSocketPath({ XDG_RUNTIME_DIR: runtime }, 1000)).toBe(
      join(runtime, 'labdeck', 'agent.sock'),
    );
  });

  it('falls back to <tmp>/labdeck-<uid> when XDG_RUNTIME_DIR is unset, relative or missing', async () => {
    const places = { tmpDir: await tempHome(), home: await tempHome() };
    const fallback = join(places.tmpDir, `labdeck-${uid}`, 'agent.sock');
    expect(await defaultSocketPath({}, uid, places)).toBe(fallback);
    expect(await defaultSocketPath({ XDG_RUNTIME_DIR: 'run/user' }, uid, places)).toBe(fallback);
    expect(await defaultSocketPath({ XDG_RUNTIME_DIR: '/nonexistent/run' }, uid, places)).toBe(
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
      const path = await defaultSocketPath({}, uid, places);
      expect(path).toMatch(
        new RegExp(`^${places.tmpDir}/labdeck-${uid}-[0-9a-f]{16}/agent\\.sock$`),
      );
      expect((await stat(dirname(path))).mode & 0o777).toBe(0o700);
      const key = join(places.home, '.cache', 'labdeck', SOCKET_KEY_FILE);
      expect((await stat(key)).mode & 0o777).toBe(0o600);
      // Stable: the next connect (and the daemon) find the same directory.
      expect(await defaultSocketPath({}, uid, places)).toBe(path);
    },
  );

  it.runIf(isRoot)('makes a new key when the old one could be read by others', async () => {
    const places = { tmpDir: await tempHome(), home: await tempHome() };
    await mkdir(join(places.tmpDir, `labdeck-${uid}`));
    await chown(join(places.tmpDir, `labdeck-${uid}`), OTHER_UID, OTHER_UID);
    const first = await defaultSocketPath({}, uid, places);
    await chmod(join(places.home, '.cache', 'labdeck', SOCKET_KEY_FILE), 0o644);
    const second = await defaultSocketPath({}, uid, places);
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
