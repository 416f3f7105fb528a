import { describe, expect, it } from 'vitest';
import { MAX_DOTFILE_CONTENT_BYTES } from '../../../../common/dotfiles';
import {
  checkDotfile,
  levelAccess,
  levelGroups,
  levelKey,
  levelTitle,
  noErrors,
  pathSuggestions,
} from '../../../../renderer/src/features/dotfiles/dotfile-form';
import { context, summary } from './dotfile-fixtures';

const USER = { scope: 'user' } as const;
const GROUP = { scope: 'group', group: 'ml' } as const;
const LAB = { scope: 'domain' } as const;
const values = (patch: Partial<{ path: string; mode: string; content: string }> = {}) => ({
  path: '.bashrc',
  mode: '644',
  content: 'alias ll=ls\n',
  ...patch,
});

describe('checkDotfile', () => {
  it('accepts a home file at every level and a system file at group and lab level', () => {
    for (const level of [USER, GROUP, LAB])
      expect(checkDotfile(level, values(), context(), [])).toEqual({});
    expect(checkDotfile(GROUP, values({ path: '/etc/profile.d/lab.sh' }), context(), [])).toEqual(
      {},
    );
    expect(checkDotfile(LAB, values({ path: '/etc/bash.bashrc' }), context(), [])).toEqual({});
  });

  it('puts each problem beside its field, every one at once, in sentences', () => {
    const errors = checkDotfile(
      USER,
      values({ path: '../x', mode: '8', content: 'a\u0000b' }),
      context(),
      [],
    );
    expect(errors.path).toEqual(['The path must not have a ".." part.']);
    expect(errors.mode).toEqual(['The mode must be three octal digits, such as 644.']);
    expect(errors.content).toEqual(['The text must not contain NUL bytes.']);
    expect(noErrors(errors)).toBe(false);
  });

  it('refuses reserved paths and system files at user level', () => {
    expect(
      checkDotfile(USER, values({ path: '.ssh/authorized_keys' }), context(), []).path?.[0],
    ).toContain('must not be in ~/.ssh');
    expect(checkDotfile(USER, values({ path: '/etc/profile' }), context(), []).path?.[0]).toContain(
      'relative to your home directory at user level',
    );
    expect(checkDotfile(GROUP, values({ path: '/etc/shadow' }), context(), []).path?.[0]).toContain(
      'or one of /etc/bash.bashrc',
    );
  });

  it("allows the host's own extra system files", () => {
    const withExtra = context({ systemPaths: ['/etc/screenrc'] });
    expect(checkDotfile(LAB, values({ path: '/etc/screenrc' }), withExtra, [])).toEqual({});
    expect(checkDotfile(LAB, values({ path: '/etc/screenrc' }), context(), []).path).toHaveLength(
      1,
    );
  });

  it('says when a text is one byte too big', () => {
    const big = 'x'.repeat(MAX_DOTFILE_CONTENT_BYTES + 1);
    expect(checkDotfile(USER, values({ content: big }), context(), []).content).toEqual([
      `The text must be at most ${MAX_DOTFILE_CONTENT_BYTES} bytes of UTF-8 (it has ${MAX_DOTFILE_CONTENT_BYTES + 1}).`,
    ]);
  });

  it('says a new file’s path is taken at the level; an opened file is not checked against itself', () => {
    const files = [summary({ path: '.bashrc' })];
    expect(checkDotfile(USER, values(), context(), files).path).toEqual([
      '~/.bashrc is already at this level: open it from the list.',
    ]);
    expect(checkDotfile(USER, values(), context(), null)).toEqual({});
  });
});

describe('levelAccess', () => {
  it('lets everyone change their own files', () => {
    expect(levelAccess(context({ configured: false }), USER, 'gpu-7')).toEqual({ editable: true });
  });

  it("lets a group's admin change its files and says why others may not", () => {
    expect(levelAccess(context(), GROUP, 'gpu-7')).toEqual({ editable: true });
    const other = levelAccess(context(), { scope: 'group', group: 'ada' }, 'gpu-7');
    expect(other).toEqual({
      editable: false,
      reason: 'Only the admins of group ada may change its dotfiles; you are not one on gpu-7.',
    });
  });

  it("lets only the lab's admins change the lab's files", () => {
    expect(levelAccess(context(), LAB, 'gpu-7')).toMatchObject({ editable: false });
    expect(levelAccess(context({ domainAdmin: true }), LAB, 'gpu-7')).toEqual({ editable: true });
  });

  it('keeps group and lab levels read-only on a host without setup, admin or not', () => {
    const bare = context({ configured: false, domainAdmin: true });
    for (const level of [GROUP, LAB]) {
      const access = levelAccess(bare, level, 'gpu-7');
      expect(access.editable).toBe(false);
      if (!access.editable) expect(access.reason).toContain('gpu-7 is not set up for LabDeck');
    }
  });
});

describe('levelGroups', () => {
  it('offers the user’s groups first, primary marked, then the groups they only administer, marked admin', () => {
    const offered = levelGroups(
      context({ groups: ['ada', 'ml', 'cv'], groupAdmin: ['ml', 'robots', 'audio'] }),
    );
    expect(offered.map((g) => [g.label, g.adminOnly])).toEqual([
      ['ada (primary)', false],
      ['ml', false],
      ['cv', false],
      ['robots (admin)', true],
      ['audio (admin)', true],
    ]);
    expect(
      levelAccess(
        context({ groupAdmin: ['robots'] }),
        { scope: 'group', group: 'robots' },
        'gpu-7',
      ),
    ).toEqual({
      editable: true,
    });
  });
});

describe('levels and suggestions', () => {
  it('names and keys levels', () => {
    expect([USER, GROUP, LAB].map(levelKey)).toEqual(['user', 'group:ml', 'domain']);
    expect([USER, GROUP, LAB].map(levelTitle)).toEqual(['Mine', 'Group ml', 'Lab']);
  });

  it('offers system files only at group and lab level, the host’s own too', () => {
    expect(pathSuggestions('user', context()).some((p) => p.startsWith('/'))).toBe(false);
    expect(pathSuggestions('group', context())).toEqual(
      expect.arrayContaining(['.bashrc', '/etc/bash.bashrc', '/etc/profile.d/lab.sh']),
    );
    expect(pathSuggestions('domain', context({ systemPaths: ['/etc/screenrc'] }))).toContain(
      '/etc/screenrc',
    );
  });
});
