import { describe, expect, it } from 'vitest';
import { isDotFolder, validateFolderName } from '../../common/folder-names';

describe('validateFolderName', () => {
  it.each(['a', '0Z', 'my-data', 'a..b', '.local', 'data_2024.v1', 'x'.repeat(64)])(
    'accepts %s',
    (name) => {
      expect(validateFolderName(name)).toEqual({ ok: true });
    },
  );

  it.each([
    ['', 'must not be empty'],
    ['_', 'start with a letter or digit'],
    ['..a', 'start with a letter or digit'],
    ['..', 'start with a letter or digit'],
    ['data.', 'end with a letter or digit'],
    ['-data', 'start with a letter or digit'],
    ['my data', 'only letters, digits'],
    ['a/b', 'only letters, digits'],
    ['x'.repeat(65), 'at most 64 characters (it has 65)'],
  ])('refuses %j: %s', (name, words) => {
    const check = validateFolderName(name);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toContain(words);
  });

  it.each([
    '.ssh',
    '.labdeck',
    '.terminfo',
    '.jupyter',
    '.tmux.conf',
    '.bashrc',
    '.vimrc',
    '.zshrc',
    '.bash_profile',
  ])('refuses the reserved %s, saying it is reserved', (name) => {
    const check = validateFolderName(name);
    expect(check).toEqual({ ok: false, message: expect.stringContaining('reserved') });
  });

  it('does not reserve names that only look like rc files', () => {
    expect(validateFolderName('bashrc').ok).toBe(true);
    expect(validateFolderName('.Bashrc').ok).toBe(true);
    expect(validateFolderName('.rc').ok).toBe(true);
  });

  it('tells dot-folders apart', () => {
    expect(isDotFolder('.local')).toBe(true);
    expect(isDotFolder('local')).toBe(false);
  });
});
