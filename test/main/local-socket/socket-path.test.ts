import { chmod, chown, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  UnsafeSocket,
  checkPrivate,
  ensurePrivateDir,
  localSocketPath,
} from '../../../main/local-socket/socket-path';

const uid = process.getuid?.() ?? 0;
/** `nobody`: a stand-in for another user of the lab machine. */
const OTHER_UID = 65534;

describe('localSocketPath', () => {
  it('names one socket per settings folder, in the runtime dir when there is one', async () => {
    const runtime = await mkdtemp(join(tmpdir(), 'labdeck-xdg-'));
    try {
      const env = { XDG_RUNTIME_DIR: runtime };
      const a = await localSocketPath('/home/a/.config/LabDeck', env, uid);
      const b = await localSocketPath('/tmp/test-home', env, uid);
      expect(a).toMatch(new RegExp(`^${runtime}/labdeck/app-[0-9a-f]{16}\\.sock$`));
      expect(b).not.toBe(a);
      expect(await localSocketPath('/home/a/.config/LabDeck/', env, uid)).toBe(a);
    } finally {
      await rm(runtime, { recursive: true, force: true });
    }
  });

  it('uses /tmp/labdeck-<uid> without a usable XDG_RUNTIME_DIR', async () => {
    for (const env of [
      {},
      { XDG_RUNTIME_DIR: 'relative/dir' },
      { XDG_RUNTIME_DIR: '/nonexistent' },
    ])
      expect(await localSocketPath('/h', env, 1234)).toMatch(/^\/tmp\/labdeck-1234\/app-/);
  });
});

describe('checkPrivate and ensurePrivateDir', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labdeck-sockdir-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the directory 0700 and tightens read bits on our own one', async () => {
    const own = join(dir, 'a');
    await mkdir(own, { mode: 0o755 });
    await chmod(own, 0o755);
    await ensurePrivateDir(own, uid);
    await expect(checkPrivate(own, uid, 'directory')).resolves.toBeUndefined();
    await ensurePrivateDir(join(dir, 'new'), uid);
    await expect(checkPrivate(join(dir, 'new'), uid, 'directory')).resolves.toBeUndefined();
  });

  it('refuses a group-writable directory, a symlink, and a file that is not a socket', async () => {
    const open = join(dir, 'open');
    await mkdir(open);
    await chmod(open, 0o770);
    await expect(ensurePrivateDir(open, uid)).rejects.toThrow(/open to other users \(mode 770\)/);
    const link = join(dir, 'link');
    await symlink(dir, link);
    await expect(checkPrivate(link, uid, 'directory')).rejects.toThrow(UnsafeSocket);
    await expect(checkPrivate(open, uid, 'socket')).rejects.toThrow(/is not a socket/);
  });

  it.runIf(uid === 0)("refuses another user's directory", async () => {
    const theirs = join(dir, 'theirs');
    await mkdir(theirs, { mode: 0o700 });
    await chown(theirs, OTHER_UID, OTHER_UID);
    await expect(ensurePrivateDir(theirs, uid)).rejects.toThrow(/belongs to another user/);
  });
});
