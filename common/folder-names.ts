/**
 * Folder names (issue 12): the one rule the form, the CLI, main, the agent and the privileged
 * helper all check, so a name is refused with the same words wherever it is typed.
 */

/** Longest folder name, in characters. */
export const MAX_FOLDER_NAME_CHARS = 64;

/**
 * An optional leading dot, then a letter or digit, then letters, digits, `.`, `_`, `-`, ending
 * with a letter or digit: `a`, `0Z`, `my-data`, `a..b`, `.local`.
 */
const FOLDER_NAME = /^\.?[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** Names a folder may not take: the home directory's own (a folder is mounted in the home). */
export const RESERVED_FOLDER_NAMES = ['.ssh', '.labdeck', '.terminfo', '.jupyter', '.tmux.conf'];
/** Shell and tool rc files and login profiles (`.bashrc`, `.vimrc`, `.bash_profile`). */
const RESERVED_FOLDER_PATTERNS = [/^\.[a-z0-9]+rc$/, /^\.[a-z0-9]+_profile$/];

/** The outcome of {@link validateFolderName}: the message names the rule that was broken. */
export type FolderNameCheck =
  { readonly ok: true } | { readonly ok: false; readonly message: string };

/** Whether `name` may name a folder, and if not, why, in words for the researcher. */
export function validateFolderName(name: string): FolderNameCheck {
  if (name === '') return { ok: false, message: 'must not be empty' };
  if (name.length > MAX_FOLDER_NAME_CHARS)
    return {
      ok: false,
      message: `must be at most ${MAX_FOLDER_NAME_CHARS} characters (it has ${name.length})`,
    };
  if (!FOLDER_NAME.test(name))
    return {
      ok: false,
      message:
        'may have only letters, digits, ".", "_" and "-", start with a letter or digit (after an optional leading "."), and end with a letter or digit',
    };
  if (
    RESERVED_FOLDER_NAMES.includes(name) ||
    RESERVED_FOLDER_PATTERNS.some((pattern) => pattern.test(name))
  )
    return {
      ok: false,
      message: `"${name}" is reserved for the home directory's own files (${RESERVED_FOLDER_NAMES.join(', ')}, .NAMErc, .NAME_profile)`,
    };
  return { ok: true };
}

/** A dot-folder (`.local`): private, never shared, mounted into every session of its owner. */
export function isDotFolder(name: string): boolean {
  return name.startsWith('.');
}
