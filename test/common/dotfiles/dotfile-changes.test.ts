import { describe, expect, it } from 'vitest';
import { MAX_DOTFILE_BYTES_PER_OWNER, MAX_DOTFILES_PER_OWNER } from '../../../common/dotfiles';
import {
  applyDotfileChange,
  displayDotfilePath,
  dotfileDocument,
  dotfileInputError,
  dotfileSummary,
  type DotfileChange,
} from '../../../common/dotfiles/dotfile-changes';
import {
  EMPTY_DOTFILE_STORE,
  type DotfileEntry,
  type DotfileStore,
} from '../../../common/dotfiles/dotfile-store';

const NOW = new Date('2026-12-02T14:03:27.512Z');
const alice = { now: NOW, by: 'alice', label: "group vision's dotfiles" };

function entry(content: string, revision: number, updatedBy = 'bob'): DotfileEntry {
  return { content, mode: '644', revision, updatedAt: '2026-11-30T09:15:00.000Z', updatedBy };
}

/** The store after `change`, or a test failure naming the refusal. */
function applied(store: DotfileStore, change: DotfileChange) {
  const result = applyDotfileChange(store, change, alice);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result;
}

/** The refusal of `change`, or a test failure when it applied. */
function refused(store: DotfileStore, change: DotfileChange) {
  const result = applyDotfileChange(store, change, alice);
  if (result.ok) throw new Error(`applied: ${JSON.stringify(result.store)}`);
  return result.error;
}

/** A store with `count` files of `bytes` bytes each, at revision `count`. */
function storeOf(count: number, bytes = 1): DotfileStore {
  const files = Object.fromEntries(
    Array.from({ length: count }, (_, index) => [
      `.f${index}`,
      entry('x'.repeat(bytes), index + 1),
    ]),
  );
  return { version: 1, revision: count, files };
}

const bashrc: DotfileStore = { version: 1, revision: 7, files: { '.bashrc': entry('old\n', 5) } };

describe('applyDotfileChange', () => {
  it('writes a new file with the next revision, the default mode, when and by whom', () => {
    const { store, entry: written } = applied(EMPTY_DOTFILE_STORE, {
      path: '.vimrc',
      content: 'set nu\n',
      baseRevision: null,
    });
    expect(written).toEqual({
      content: 'set nu\n',
      mode: '644',
      revision: 1,
      updatedAt: '2026-12-02T14:03:27.512Z',
      updatedBy: 'alice',
    });
    expect(store).toEqual({ version: 1, revision: 1, files: { '.vimrc': written } });
    expect(EMPTY_DOTFILE_STORE).toEqual({ version: 1, revision: 0, files: {} });
  });

  it('overwrites from the revision it opened, keeping the mode unless one is given', () => {
    const kept = applied(bashrc, { path: '.bashrc', content: 'new\n', baseRevision: 5 });
    expect(kept.entry).toMatchObject({ content: 'new\n', mode: '644', revision: 8 });
    expect(kept.store.revision).toBe(8);
    const private600 = applied(
      { ...bashrc, files: { '.bashrc': { ...entry('old', 5), mode: '600' } } },
      { path: '.bashrc', content: 'new\n' },
    );
    expect(private600.entry.mode).toBe('600');
    expect(applied(bashrc, { path: '.bashrc', content: 'x', mode: '755' }).entry.mode).toBe('755');
  });

  it('overwrites without a base revision (the CLI), whatever the file is at', () => {
    expect(applied(bashrc, { path: '.bashrc', content: 'cli\n' }).entry.revision).toBe(8);
    expect(applied(bashrc, { path: '.new', content: 'cli\n' }).store.files['.bashrc']).toEqual(
      bashrc.files['.bashrc'],
    );
  });

  it('refuses a save from a stale revision, naming the file, who changed it and when', () => {
    expect(refused(bashrc, { path: '.bashrc', content: 'mine', baseRevision: 4 })).toEqual({
      code: 'dotfile-conflict',
      message: '~/.bashrc was changed by bob at 2026-11-30 09:15 UTC since you opened it.',
      hint: 'Reload the file to see the other version, then save again (your text is kept).',
    });
  });

  it('says "you (elsewhere)" when the other save was the same user’s', () => {
    const own = { ...bashrc, files: { '.bashrc': entry('old', 5, 'alice') } };
    expect(refused(own, { path: '.bashrc', content: 'x', baseRevision: 3 }).message).toBe(
      '~/.bashrc was changed by you (elsewhere) at 2026-11-30 09:15 UTC since you opened it.',
    );
  });

  it('refuses a new file (base null) that someone made meanwhile', () => {
    expect(refused(bashrc, { path: '.bashrc', content: 'x', baseRevision: null })).toMatchObject({
      code: 'dotfile-conflict',
      message: '~/.bashrc was created by bob at 2026-11-30 09:15 UTC since you opened it.',
    });
  });

  it('refuses a save of a file removed meanwhile', () => {
    expect(refused(bashrc, { path: '.vimrc', content: 'x', baseRevision: 3 })).toMatchObject({
      code: 'dotfile-conflict',
      message: '~/.vimrc was removed since you opened it.',
    });
  });

  it('shows system files as they are in messages', () => {
    const lab = { version: 1 as const, revision: 2, files: { '/etc/bash.bashrc': entry('x', 2) } };
    expect(
      refused(lab, { path: '/etc/bash.bashrc', content: 'y', baseRevision: 1 }).message,
    ).toMatch(/^\/etc\/bash\.bashrc was changed by bob/);
  });

  it('removes a file, answering its entry, and refuses a missing one or a stale removal', () => {
    const removed = applied(bashrc, { path: '.bashrc', content: null, baseRevision: 5 });
    expect(removed.entry).toEqual(bashrc.files['.bashrc']);
    expect(removed.store).toEqual({ version: 1, revision: 8, files: {} });
    expect(refused(bashrc, { path: '.vimrc', content: null })).toEqual({
      code: 'dotfile-not-found',
      message: "There is no ~/.vimrc in group vision's dotfiles.",
      hint: 'labdeck dotfile ls HOST lists the files of every level.',
    });
    expect(refused(bashrc, { path: '.bashrc', content: null, baseRevision: 2 }).code).toBe(
      'dotfile-conflict',
    );
  });

  it('never reuses a revision: a file removed and made again does not match an old editor', () => {
    const first = applied(EMPTY_DOTFILE_STORE, { path: '.bashrc', content: 'a' });
    const gone = applied(first.store, { path: '.bashrc', content: null });
    const again = applied(gone.store, { path: '.bashrc', content: 'b' });
    expect([first.entry.revision, gone.store.revision, again.entry.revision]).toEqual([1, 2, 3]);
    expect(
      refused(again.store, { path: '.bashrc', content: 'c', baseRevision: first.entry.revision })
        .code,
    ).toBe('dotfile-conflict');
  });

  it('leaves the store it was given as it was', () => {
    const before = structuredClone(bashrc);
    applied(bashrc, { path: '.bashrc', content: 'x' });
    applied(bashrc, { path: '.bashrc', content: null });
    expect(bashrc).toEqual(before);
  });

  it('keeps a path such as __proto__ as an ordinary file', () => {
    const { store } = applied(EMPTY_DOTFILE_STORE, { path: '__proto__', content: 'x' });
    expect(Object.keys(store.files)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(store.files)).toBe(Object.prototype);
    expect(applied(store, { path: '__proto__', content: null }).store.files).toEqual({});
  });

  it(`takes exactly ${MAX_DOTFILES_PER_OWNER} files and refuses one more`, () => {
    const full = applied(storeOf(MAX_DOTFILES_PER_OWNER - 1), { path: '.last', content: 'x' });
    expect(Object.keys(full.store.files)).toHaveLength(100);
    expect(refused(full.store, { path: '.more', content: 'x' })).toEqual({
      code: 'dotfile-limit',
      message: "Group vision's dotfiles would have 101 files; at most 100 are allowed.",
      hint: 'Remove a file you no longer need, or make one smaller, then save again.',
    });
    // Overwriting one of the hundred is no new file.
    expect(applied(full.store, { path: '.f0', content: 'y' }).store.revision).toBe(101);
  });

  it(`takes exactly ${MAX_DOTFILE_BYTES_PER_OWNER} bytes in all and refuses one byte more`, () => {
    const quarter = MAX_DOTFILE_BYTES_PER_OWNER / 4;
    const three = storeOf(3, quarter);
    expect(applied(three, { path: '.four', content: 'x'.repeat(quarter) }).ok).toBe(true);
    expect(refused(three, { path: '.four', content: 'x'.repeat(quarter + 1) })).toMatchObject({
      code: 'dotfile-limit',
      message: `Group vision's dotfiles would hold 262145 bytes; at most 262144 (256 KiB) are allowed, all files together.`,
    });
    // Bytes of UTF-8, not characters: 'é' is two.
    expect(refused(three, { path: '.four', content: 'é'.repeat(quarter / 2) + 'x' }).code).toBe(
      'dotfile-limit',
    );
    // The file replaced no longer counts.
    expect(applied(three, { path: '.f0', content: 'x'.repeat(quarter) }).ok).toBe(true);
  });
});

describe('summaries and paths', () => {
  it('shows home files under ~ and system files as they are', () => {
    expect(displayDotfilePath('.config/git/config')).toBe('~/.config/git/config');
    expect(displayDotfilePath('/etc/profile.d/lab.sh')).toBe('/etc/profile.d/lab.sh');
  });

  it('summarises a file with its level, group, size in UTF-8 bytes and revision', () => {
    const file = entry('é\n', 4);
    expect(dotfileSummary({ scope: 'group', group: 'vision' }, '.bashrc', file)).toEqual({
      scope: 'group',
      group: 'vision',
      path: '.bashrc',
      mode: '644',
      bytes: 3,
      updatedAt: file.updatedAt,
      updatedBy: 'bob',
      revision: 4,
    });
    expect(dotfileSummary({ scope: 'domain' }, '.bashrc', file).group).toBeNull();
    expect(dotfileDocument({ scope: 'user' }, '.bashrc', file)).toMatchObject({
      scope: 'user',
      group: null,
      content: 'é\n',
    });
  });

  it('turns every validation error into one invalid-input naming each field', () => {
    expect(
      dotfileInputError([
        { field: 'path', message: 'must not have a ".." part' },
        { field: 'mode', message: 'must be three octal digits, such as 644' },
      ]),
    ).toEqual({
      code: 'invalid-input',
      message: 'path: must not have a ".." part; mode: must be three octal digits, such as 644',
      hint: 'Correct the fields named above and save again.',
    });
  });
});
