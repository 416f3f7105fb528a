import { describe, expect, it } from 'vitest';
import {
  checkNewFolder,
  fieldError,
  folderNameProblem,
  inviteeProblem,
  parseQuota,
  quotaText,
} from '../../../../renderer/src/features/folders/folder-form';
import { folder } from './folder-fixtures';

const GiB = 1024 ** 3;

describe('folderNameProblem', () => {
  it('refuses the names the host refuses, in the shared rule’s words', () => {
    expect(folderNameProblem('.bashrc', [])).toContain('is reserved');
    expect(folderNameProblem('a/b', [])).toContain('may have only letters, digits');
    expect(folderNameProblem('x'.repeat(65), [])).toContain('at most 64 characters');
    expect(folderNameProblem('', [])).toBe('The name must not be empty.');
    expect(folderNameProblem('my-data', [])).toBeUndefined();
  });

  it('refuses a name a visible folder has, except the one being renamed', () => {
    expect(folderNameProblem('data', [folder()])).toContain('already have a folder named "data"');
    expect(folderNameProblem('data', [folder()], 'data')).toBeUndefined();
  });
});

describe('parseQuota', () => {
  it('reads sizes as a quota, empty as none, and says what a size looks like', () => {
    expect(parseQuota('')).toEqual({ ok: true, bytes: 0 });
    expect(parseQuota('10g')).toEqual({ ok: true, bytes: 10 * GiB });
    expect(parseQuota('2TiB')).toEqual({ ok: true, bytes: 2 * 1024 ** 4 });
    expect(parseQuota('ten gigs')).toEqual({
      ok: false,
      message: '"ten gigs" is not a size: use bytes, or 512m, 10g, 2TiB (empty for no limit).',
    });
  });

  it('writes a quota back in the form’s own words', () => {
    expect([0, 10 * GiB, 512 * 1024 ** 2, 1000].map(quotaText)).toEqual([
      '',
      '10g',
      '512m',
      '1000',
    ]);
    expect(parseQuota(quotaText(3 * 1024 ** 4))).toEqual({ ok: true, bytes: 3 * 1024 ** 4 });
  });
});

describe('checkNewFolder', () => {
  const values = { name: 'data', volume: 'xfs', quota: '1g', cloneable: true, group: '' };

  it('gives the create request', () => {
    expect(checkNewFolder(values, [])).toEqual({
      ok: true,
      input: { name: 'data', volume: 'xfs', quotaBytes: GiB, cloneable: true },
    });
  });

  it('makes a group folder when a group is named', () => {
    const checked = checkNewFolder({ ...values, group: ' vision ' }, []);
    expect(checked.ok && checked.input.group).toBe('vision');
  });

  it('gives every error by its field at once', () => {
    const checked = checkNewFolder(
      { name: '..', volume: '', quota: 'lots', cloneable: false, group: 'Vision Lab' },
      [],
    );
    expect(checked.ok ? [] : Object.keys(checked.errors).sort()).toEqual([
      'group',
      'name',
      'quota',
      'volume',
    ]);
  });
});

describe('inviteeProblem and fieldError', () => {
  it('asks for a user name that is not the owner’s', () => {
    expect(inviteeProblem('', 'alice')).toContain('Name the user');
    expect(inviteeProblem('alice', 'alice')).toContain('You own the folder');
    expect(inviteeProblem('bob smith', 'alice')).toContain('is not a user name');
    expect(inviteeProblem(' bob ', 'alice')).toBeUndefined();
  });

  it('puts a name clash beside the field, with its hint, and other failures under the form', () => {
    expect(fieldError({ code: 'folder-name-taken', message: 'Taken.', hint: 'Use --as.' })).toBe(
      'Taken. Use --as.',
    );
    expect(fieldError({ code: 'folder-mounted', message: 'Mounted by s1.' })).toBeNull();
  });
});
