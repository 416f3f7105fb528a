import { dirname } from 'node:path';
import { AppFailure } from '../../common/contract/result';
import { quoteArg } from '../../common/shell/shell-quote';

/** Words for the errno codes a settings folder actually meets; anything else is shown as is. */
const ERRNO_WORDS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'your disk quota is used up',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of its path is not a folder',
};

function describeErrno(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined) return error instanceof Error ? error.message : String(error);
  return ERRNO_WORDS[code] ? `${ERRNO_WORDS[code]} (${code})` : code;
}

/** True for an error from the filesystem (it carries an errno code such as EACCES). */
export function isErrnoError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}

/**
 * The settings file (or its folder) cannot be read or written: said in words with the fix, instead
 * of a raw `EACCES: permission denied, open …` stack.
 */
export function settingsAccessFailure(
  action: 'read' | 'save',
  path: string,
  error: unknown,
): AppFailure {
  return new AppFailure({
    code: action === 'read' ? 'settings-unreadable' : 'settings-unwritable',
    message: `LabDeck cannot ${action} its settings file ${path}: ${describeErrno(error)}.`,
    hint: `The settings folder and its files must belong to you: \`chown -R "$USER" ${quoteArg(dirname(path))}\`, then \`chmod 700\` the folder and \`chmod 600\` the files. Or point LABDECK_HOME at a folder you own.`,
  });
}

/** Why a change is refused while settings.json comes from a newer LabDeck. */
export function settingsReadOnlyFailure(found: number, path: string): AppFailure {
  return new AppFailure({
    code: 'settings-read-only',
    message: `Your settings were written by a newer LabDeck (settings version ${found}), so they are read-only in this one until you upgrade: nothing was changed.`,
    hint: `Update LabDeck to the newest version. This version will not overwrite ${path}.`,
  });
}
