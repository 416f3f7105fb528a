import { describe, expect, it } from 'vitest';
import { dotfilesFailed, resolveDir } from '../../../main/dotfiles/container-dotfiles';

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
});
