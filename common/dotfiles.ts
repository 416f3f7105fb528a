/**
 * Dotfile rules (issue 13): which path a dotfile may have at each level, its mode and its
 * content. One function the form, the CLI, main, the agent and the privileged helper all call,
 * so every error is reported at once and in the same words wherever a dotfile is typed.
 */

import { utf8Bytes } from './host-setup/privileged-ops';

/** Where a dotfile applies: the user's own, a Unix group's, or the whole lab's ("domain"). */
export const DOTFILE_SCOPES = ['user', 'group', 'domain'] as const;
export type DotfileScope = (typeof DOTFILE_SCOPES)[number];

/** Largest dotfile, in bytes of UTF-8. */
export const MAX_DOTFILE_CONTENT_BYTES = 65_536;
/** Most dotfiles one owner (a user, a group, the lab) may keep. */
export const MAX_DOTFILES_PER_OWNER = 100;
/** Most bytes of dotfiles one owner may keep, all files together. */
export const MAX_DOTFILE_BYTES_PER_OWNER = 256 * 1024;
/** The mode a dotfile gets when none is given. */
export const DEFAULT_DOTFILE_MODE = '644';

/** System files group and lab levels may set, besides `/etc/profile.d/NAME.sh`. */
export const SYSTEM_DOTFILE_PATHS = [
  '/etc/bash.bashrc',
  '/etc/profile',
  '/etc/vim/vimrc.local',
  '/etc/gitconfig',
  '/etc/tmux.conf',
  '/etc/inputrc',
] as const;
const PROFILE_D = /^\/etc\/profile\.d\/[A-Za-z0-9._-]+\.sh$/;

/** Home directories no dotfile may be in or replace: keys, LabDeck's own state, terminfo. */
export const RESERVED_DOTFILE_TREES = ['.ssh', '.labdeck', '.terminfo'] as const;
/** Directories a dotfile must not replace (a file inside them is fine: `.config/git/config`). */
export const RESERVED_DOTFILE_DIRS = ['.jupyter', '.local', '.config'] as const;

/** One dotfile as typed. */
export interface DotfileInput {
  readonly scope: string;
  readonly path: string;
  readonly content: string;
  /** Three octal digits; `644` when absent. */
  readonly mode?: string;
}

/** A field's problem, in words for the researcher. */
export interface DotfileError {
  readonly field: 'scope' | 'path' | 'content' | 'mode';
  readonly message: string;
}

/** The outcome of {@link validateDotfile}: the path as it will be kept, or every problem. */
export type DotfileCheck =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly errors: readonly DotfileError[] };

/** Whether `text` is well-formed UTF-16 (no unpaired surrogate), so it encodes as UTF-8. */
function wellFormed(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      index += 1;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) return false;
  }
  return true;
}

/**
 * The first C0 control, DEL or C1 control (U+0000–U+001F, U+007F–U+009F) in `text`, or
 * undefined: in a path they would reach terminals and listings as escape sequences or fake line
 * breaks (`.bashrc\u001b[2J`, `x\n`).
 */
function controlCharacter(text: string): number | undefined {
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit <= 0x1f || (unit >= 0x7f && unit <= 0x9f)) return unit;
  }
  return undefined;
}

/**
 * Path parts a store cannot keep: a store's files are a JSON object keyed by path, and parsing
 * drops a `__proto__` key, so the file would vanish on the next read.
 */
const UNKEEPABLE_PARTS = ['__proto__'] as const;

/** Why `path` is not a home-relative dotfile path, or undefined. */
function relativeProblem(path: string): string | undefined {
  const segments = path.split('/');
  for (const segment of segments) {
    if (segment === '') return 'must not have an empty part ("//", a leading or trailing "/")';
    if (
      segment === '.' ||
      segment === '..' ||
      (UNKEEPABLE_PARTS as readonly string[]).includes(segment)
    )
      return `must not have a "${segment}" part`;
  }
  const first = segments[0]!;
  if ((RESERVED_DOTFILE_TREES as readonly string[]).includes(first))
    return `must not be in ~/${first} (reserved: ${RESERVED_DOTFILE_TREES.join(', ')} and everything under them)`;
  if (segments.length === 1 && (RESERVED_DOTFILE_DIRS as readonly string[]).includes(first))
    return `must not replace the directory ~/${first} (${RESERVED_DOTFILE_DIRS.join(', ')} are directories; a file inside them is fine)`;
  return undefined;
}

/** What the host adds to the rules: more system files its configuration allows. */
export interface DotfileRules {
  readonly systemPaths?: readonly string[];
}

/** Why `path` is not a dotfile path at `scope`, or undefined. */
function pathProblem(
  scope: DotfileScope | undefined,
  path: string,
  rules: DotfileRules,
): string | undefined {
  if (path === '') return 'must not be empty';
  const control = controlCharacter(path);
  if (control !== undefined)
    return `must not contain control characters such as a newline, tab or escape (it has U+${control.toString(16).toUpperCase().padStart(4, '0')})`;
  if (path.startsWith('/')) {
    if (scope === 'user')
      return 'must be relative to your home directory at user level (system files are for group and lab levels)';
    const allowed = [...SYSTEM_DOTFILE_PATHS, ...(rules.systemPaths ?? [])];
    if (allowed.includes(path) || PROFILE_D.test(path)) return undefined;
    return `must be relative to the home directory, or one of ${allowed.join(', ')}, /etc/profile.d/NAME.sh`;
  }
  return relativeProblem(path);
}

/**
 * Checks one dotfile: its scope, path (relative to the home, no control character; group and lab
 * levels may also name an allowed system file, `rules.systemPaths` adding the host
 * configuration's), mode (three octal digits) and content (well-formed, no NUL, at most
 * {@link MAX_DOTFILE_CONTENT_BYTES} bytes of UTF-8). Every problem is reported at once. The
 * per-owner limits ({@link MAX_DOTFILES_PER_OWNER}, {@link MAX_DOTFILE_BYTES_PER_OWNER}) need the
 * store and are checked there.
 */
export function validateDotfile(input: DotfileInput, rules: DotfileRules = {}): DotfileCheck {
  const errors: DotfileError[] = [];
  const scope = (DOTFILE_SCOPES as readonly string[]).includes(input.scope)
    ? (input.scope as DotfileScope)
    : undefined;
  if (scope === undefined)
    errors.push({ field: 'scope', message: `must be one of ${DOTFILE_SCOPES.join(', ')}` });
  const problem = pathProblem(scope, input.path, rules);
  if (problem !== undefined) errors.push({ field: 'path', message: problem });
  const mode = input.mode ?? DEFAULT_DOTFILE_MODE;
  if (!/^[0-7]{3}$/.test(mode))
    errors.push({ field: 'mode', message: 'must be three octal digits, such as 644' });
  if (!wellFormed(input.content))
    errors.push({
      field: 'content',
      message: 'must be valid UTF-8 text (it has an unpaired surrogate)',
    });
  else {
    if (input.content.includes('\0'))
      errors.push({ field: 'content', message: 'must not contain NUL bytes' });
    const bytes = utf8Bytes(input.content);
    if (bytes > MAX_DOTFILE_CONTENT_BYTES)
      errors.push({
        field: 'content',
        message: `must be at most ${MAX_DOTFILE_CONTENT_BYTES} bytes of UTF-8 (it has ${bytes})`,
      });
  }
  return errors.length === 0 ? { ok: true, path: input.path } : { ok: false, errors };
}
