import { describe, expect, it } from 'vitest';
import { mergeDotfiles } from '../../../common/dotfiles/dotfile-merge';
import {
  EMPTY_DOTFILE_STORE,
  type DotfileEntry,
  type DotfileStore,
} from '../../../common/dotfiles/dotfile-store';

function storeWith(files: Record<string, string>, mode = '644'): DotfileStore {
  const entries = Object.entries(files).map(([path, content], index): [string, DotfileEntry] => [
    path,
    { content, mode, revision: index + 1, updatedAt: '2026-01-01T00:00:00.000Z', updatedBy: 'x' },
  ]);
  return { version: 1, revision: entries.length, files: Object.fromEntries(entries) };
}

const user = storeWith({ '.bashrc': 'user\n', '.vimrc': 'set nu\n' }, '600');
const group = storeWith({ '.bashrc': 'group\n', '/etc/profile.d/lab.sh': 'export LAB=1\n' });
const domain = storeWith({
  '.bashrc': 'lab\n',
  '/etc/profile.d/lab.sh': 'export LAB=0\n',
  '/etc/bash.bashrc': 'umask 002\n',
});

describe('mergeDotfiles', () => {
  it('takes user over group over lab for each path, listing what it hides, sorted by path', () => {
    expect(mergeDotfiles({ user, group: { name: 'vision', store: group }, domain })).toEqual([
      {
        path: '.bashrc',
        scope: 'user',
        group: null,
        mode: '600',
        bytes: 5,
        overrides: [
          { scope: 'group', group: 'vision' },
          { scope: 'domain', group: null },
        ],
      },
      { path: '.vimrc', scope: 'user', group: null, mode: '600', bytes: 7, overrides: [] },
      {
        path: '/etc/bash.bashrc',
        scope: 'domain',
        group: null,
        mode: '644',
        bytes: 10,
        overrides: [],
      },
      {
        path: '/etc/profile.d/lab.sh',
        scope: 'group',
        group: 'vision',
        mode: '644',
        bytes: 13,
        overrides: [{ scope: 'domain', group: null }],
      },
    ]);
  });

  it("adds the winners' texts only when asked", () => {
    const merged = mergeDotfiles(
      { user, group: { name: 'vision', store: group }, domain },
      { content: true },
    );
    expect(Object.fromEntries(merged.map((file) => [file.path, file.content]))).toEqual({
      '.bashrc': 'user\n',
      '.vimrc': 'set nu\n',
      '/etc/bash.bashrc': 'umask 002\n',
      '/etc/profile.d/lab.sh': 'export LAB=1\n',
    });
    expect(mergeDotfiles({ user, group: null, domain }).some((file) => 'content' in file)).toBe(
      false,
    );
  });

  it('without a group, the lab fills what the user leaves', () => {
    const merged = mergeDotfiles({ user: EMPTY_DOTFILE_STORE, group: null, domain });
    expect(merged.map((file) => [file.path, file.scope, file.overrides.length])).toEqual([
      ['.bashrc', 'domain', 0],
      ['/etc/bash.bashrc', 'domain', 0],
      ['/etc/profile.d/lab.sh', 'domain', 0],
    ]);
  });

  it('is empty with no files anywhere', () => {
    expect(
      mergeDotfiles({
        user: EMPTY_DOTFILE_STORE,
        group: { name: 'g', store: EMPTY_DOTFILE_STORE },
        domain: EMPTY_DOTFILE_STORE,
      }),
    ).toEqual([]);
  });

  it('sorts by code unit, the same on every machine (upper case before lower, "." before "/")', () => {
    const mixed = storeWith({ b: '', '.a': '', B: '', '/etc/gitconfig': '', a: '' });
    expect(
      mergeDotfiles({ user: mixed, group: null, domain: EMPTY_DOTFILE_STORE }).map((f) => f.path),
    ).toEqual(['.a', '/etc/gitconfig', 'B', 'a', 'b']);
  });
});
