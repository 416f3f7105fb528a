import { describe, expect, it } from 'vitest';
import {
  dotfilesFailed,
  realDirectories,
  resolveDir,
  resolveFilePath,
  resolveHome,
} from '../../../main/dotfiles/container-dotfiles';

/** Go's os.FileMode of a directory (ModeDir | 0755) and of a plain file. */
const DIR = 2 ** 31 + 0o755;
const FILE = 0o644;

/**
 * A container's paths as `HEAD …/archive` describes them: a directory, a file, or a link with
 * the target Docker resolved for it. What the walk is given, asked path by path.
 */
function paths(table: Record<string, number | string>) {
  const asked: string[] = [];
  const stat = (path: string) => {
    asked.push(path);
    const found = table[path];
    if (found === undefined) return Promise.resolve(null);
    return Promise.resolve(
      typeof found === 'string'
        ? { mode: 0o777, linkTarget: found }
        : { mode: found, linkTarget: '' },
    );
  };
  return { stat, asked };
}

describe('resolveDir', () => {
  it('walks an existing directory part by part', async () => {
    const { stat, asked } = paths({ '/home': DIR, '/home/work': DIR });
    expect(await resolveDir(stat, '/home/work')).toEqual({
      ok: true,
      dir: { existing: '/home/work', missing: [] },
    });
    expect(asked).toEqual(['/home', '/home/work']);
    expect(await resolveDir(stat, '/')).toEqual({ ok: true, dir: { existing: '/', missing: [] } });
  });

  it('stops at the first missing part and lists the rest', async () => {
    const { stat } = paths({ '/home': DIR });
    expect(await resolveDir(stat, '/home/ada/deep')).toEqual({
      ok: true,
      dir: { existing: '/home', missing: ['ada', 'deep'] },
    });
  });

  it('follows a link on the way to where Docker says it points, dangling ones included', async () => {
    const { stat } = paths({
      '/root': '/mnt/host/home',
      '/mnt': DIR,
      '/mnt/host': DIR,
      '/mnt/host/home': DIR,
      '/home': '/data/homes',
      '/data': DIR,
    });
    expect(await resolveDir(stat, '/root')).toEqual({
      ok: true,
      dir: { existing: '/mnt/host/home', missing: [] },
    });
    expect(await resolveDir(stat, '/home/ada')).toEqual({
      ok: true,
      dir: { existing: '/data', missing: ['homes', 'ada'] },
    });
  });

  it('refuses a file on the way, and a loop of links', async () => {
    expect(await resolveDir(paths({ '/home': FILE }).stat, '/home/ada')).toEqual({
      ok: false,
      reason: '/home is a file, not a directory',
    });
    expect(await resolveDir(paths({ '/a': '/b', '/b': '/a' }).stat, '/a')).toEqual({
      ok: false,
      reason: '/a has too many symbolic links on the way',
    });
  });
});

describe('resolveHome', () => {
  it('refuses a HOME whose links lead to /, and takes one that leads elsewhere', async () => {
    const { stat } = paths({ '/x': '/', '/home': DIR, '/home/work': '/', '/srv': '/data' });
    expect(await resolveHome(stat, '/x')).toEqual({
      ok: false,
      reason:
        "the session's HOME (/x) leads to / through a symbolic link, not a home directory of its own",
    });
    expect((await resolveHome(stat, '/home/work')).ok).toBe(false);
    expect(await resolveHome(stat, '/x/ada')).toEqual({
      ok: true,
      dir: { existing: '/', missing: ['ada'] },
    });
    expect(await resolveHome(stat, '/srv/ada')).toEqual({
      ok: true,
      dir: { existing: '/', missing: ['data', 'ada'] },
    });
  });
});

describe('resolveFilePath', () => {
  it('follows a last part that is a link to a file, as Docker does when it mounts a bound file there', async () => {
    const { stat } = paths({
      '/usr': DIR,
      '/usr/lib': DIR,
      '/usr/lib/libvgpu.so': '/etc/profile.d/lab.sh',
      '/usr/lib/libc.so': FILE,
      '/etc': DIR,
      '/etc/profile.d': DIR,
      '/etc/profile.d/lab.sh': FILE,
      '/opt': '/usr/lib',
      '/lib64': '/usr/lib/libvgpu.so',
    });
    expect(await resolveFilePath(stat, '/usr/lib/libvgpu.so')).toBe('/etc/profile.d/lab.sh');
    expect(await resolveFilePath(stat, '/opt/libvgpu.so')).toBe('/etc/profile.d/lab.sh');
    expect(await resolveFilePath(stat, '/usr/lib/libc.so')).toBe('/usr/lib/libc.so');
    expect(await resolveFilePath(stat, '/opt/new.so')).toBe('/usr/lib/new.so');
    expect(await resolveFilePath(stat, '/var/lib/x.so')).toBe('/var/lib/x.so');
    // A directory that is a file cannot hold it: the path as given.
    expect(await resolveFilePath(stat, '/lib64/x.so')).toBe('/lib64/x.so');
  });
});

describe('realDirectories', () => {
  it('keeps the real directories, and looks at nothing below a link or a file', async () => {
    const { stat, asked } = paths({
      '/home/work/.gnupg': DIR,
      '/home/work/.config': '/mnt/host/config',
      '/home/work/.config/git': DIR,
      '/home/work/.cache': FILE,
      '/etc/profile.d': DIR,
      '/etc/profile.d/more': DIR,
    });
    const listed = [
      '/etc/profile.d',
      '/etc/profile.d/more',
      '/home/work/.cache',
      '/home/work/.cache/x',
      '/home/work/.config',
      '/home/work/.config/git',
      '/home/work/.gnupg',
      '/home/work/.vim',
    ];
    expect([...(await realDirectories(stat, listed))]).toEqual([
      '/etc/profile.d',
      '/etc/profile.d/more',
      '/home/work/.gnupg',
    ]);
    expect(asked).toEqual([
      '/etc/profile.d',
      '/etc/profile.d/more',
      '/home/work/.cache',
      '/home/work/.config',
      '/home/work/.gnupg',
      '/home/work/.vim',
    ]);
  });
});

describe('dotfilesFailed', () => {
  it('says the session was not started, why, and what to run', () => {
    const failure = dotfilesFailed('gpu-lab', 'gpu-lab', new Error('Docker said no'));
    expect(failure.toAppError()).toEqual({
      code: 'session-dotfiles-failed',
      message:
        "The session's dotfiles could not be written into its container on gpu-lab, so it was not started: Docker said no.",
      hint: 'Nothing was left behind. See what a session gets with `labdeck dotfile preview gpu-lab`, then start it again (or with another image).',
    });
  });

  it('drops the escape sequences and control characters an image can put in the reason', () => {
    const failure = dotfilesFailed(
      'gpu-lab',
      'gpu-lab',
      new Error('its user "\u001b]0;pwned\u0007gh\nost" is not in the image\'s /etc/passwd'),
    );
    expect(failure.toAppError().message).toBe(
      'The session\'s dotfiles could not be written into its container on gpu-lab, so it was not started: its user "gh ost" is not in the image\'s /etc/passwd.',
    );
  });
});
