import {
  DEFAULT_DOTFILE_MODE,
  SYSTEM_DOTFILE_PATHS,
  validateDotfile,
  type DotfileError,
} from '../../../../common/dotfiles';
import { displayDotfilePath } from '../../../../common/dotfiles/dotfile-changes';
import type {
  DotfileContext,
  DotfileScopeRef,
  DotfileSummary,
} from '../../../../common/dotfiles/dotfile-store';

/**
 * The dotfile editor's fields checked as they are typed, with `validateDotfile` — the function
 * main, the agent and the privileged helper apply — and which levels the user may change.
 */

/** The fields the editor checks. */
export type DotfileField = 'path' | 'mode' | 'content';

/** Errors by field; a field without errors is absent. */
export type DotfileFieldErrors = Partial<Record<DotfileField, readonly string[]>>;

/** An editor's fields as typed. */
export interface DotfileValues {
  readonly path: string;
  readonly mode: string;
  readonly content: string;
}

/** The fields in the words an error starts with. */
const FIELD_WORDS: Readonly<Record<DotfileError['field'], string>> = {
  scope: 'The level',
  path: 'The path',
  mode: 'The mode',
  content: 'The text',
};

/** One `validateDotfile` error as a sentence: "The path must not have a ".." part." */
export function errorSentence(error: DotfileError): string {
  return `${FIELD_WORDS[error.field]} ${error.message}.`;
}

/**
 * Every problem with the editor's fields at `level`: `validateDotfile`'s (the host's extra
 * system paths from `context`), and for a new file a path the level already has.
 */
export function checkDotfile(
  level: DotfileScopeRef,
  values: DotfileValues,
  context: Pick<DotfileContext, 'systemPaths'> | null,
  existing: readonly Pick<DotfileSummary, 'path'>[] | null,
): DotfileFieldErrors {
  const checked = validateDotfile(
    { scope: level.scope, path: values.path, mode: values.mode, content: values.content },
    { systemPaths: context?.systemPaths ?? [] },
  );
  const errors: Partial<Record<DotfileField, string[]>> = {};
  if (!checked.ok)
    for (const error of checked.errors)
      if (error.field !== 'scope') (errors[error.field] ??= []).push(errorSentence(error));
  if (existing?.some((file) => file.path === values.path))
    (errors.path ??= []).push(
      `${displayDotfilePath(values.path)} is already at this level: open it from the list.`,
    );
  return errors;
}

/** True when no field has an error. */
export function noErrors(errors: DotfileFieldErrors): boolean {
  return Object.values(errors).every((list) => list.length === 0);
}

/** The values of a new file: no path yet, the default mode, no text. */
export const NEW_DOTFILE_VALUES: DotfileValues = {
  path: '',
  mode: DEFAULT_DOTFILE_MODE,
  content: '',
};

/** A level as a key: `user`, `group:NAME`, `domain`. */
export function levelKey(level: DotfileScopeRef): string {
  return level.scope === 'group' ? `group:${level.group}` : level.scope;
}

/** The scope fields of a `dotfiles:*` request for `level`: `{scope}`, or `{scope, group}`. */
export function scopeFields(level: DotfileScopeRef): {
  scope: DotfileScopeRef['scope'];
  group?: string;
} {
  return level.scope === 'group' ? { scope: 'group', group: level.group } : { scope: level.scope };
}

/** The same level twice? */
export function sameLevel(a: DotfileScopeRef, b: DotfileScopeRef): boolean {
  return levelKey(a) === levelKey(b);
}

/** A level as its tab and the preview name it: "Mine", "Group ml", "Lab". */
export function levelTitle(level: { scope: string; group?: string | null }): string {
  if (level.scope === 'group') return `Group ${level.group ?? ''}`;
  return level.scope === 'domain' ? 'Lab' : 'Mine';
}

/** A group the Group level offers, and how its option reads: "ml (primary)", "vision (admin)". */
export interface LevelGroup {
  readonly name: string;
  readonly label: string;
  /** The user administers it without being in it: its files are theirs to change, not to get. */
  readonly adminOnly: boolean;
}

/**
 * The groups whose files the Group level can show: the user's own groups as the host lists
 * them (the primary first), then the groups they are an admin of without being in them,
 * marked "admin". A session takes only the first kind (`--group` needs membership), so the
 * session form and the preview offer `groups` alone.
 */
export function levelGroups(
  context: Pick<DotfileContext, 'groups' | 'groupAdmin' | 'primaryGroup'>,
): readonly LevelGroup[] {
  const member = context.groups.map((name) => ({
    name,
    label: name === context.primaryGroup ? `${name} (primary)` : name,
    adminOnly: false,
  }));
  const adminOnly = context.groupAdmin
    .filter((name) => !context.groups.includes(name))
    .map((name) => ({ name, label: `${name} (admin)`, adminOnly: true }));
  return [...member, ...adminOnly];
}

/** Whether the user may change a level's files, and if not why (shown beside the files). */
export type LevelAccess =
  { readonly editable: true } | { readonly editable: false; readonly reason: string };

/**
 * What the user may do at `level` on host `hostName`, from `dotfiles:context`: their own files
 * always; a group's and the lab's only once the host has a lab configuration, and only as an
 * admin of that group (`groupAdmins` of the host configuration) or of the lab (`labAdmins`).
 * The helper refuses the others too: this only says so before they try.
 */
export function levelAccess(
  context: DotfileContext,
  level: DotfileScopeRef,
  hostName: string,
): LevelAccess {
  if (level.scope === 'user') return { editable: true };
  if (!context.configured)
    return {
      editable: false,
      reason: `${hostName} is not set up for LabDeck (no lab configuration): group and lab dotfiles can be read but not changed until its admin runs host setup.`,
    };
  if (level.scope === 'domain')
    return context.domainAdmin
      ? { editable: true }
      : {
          editable: false,
          reason: `Only the lab's admins may change the lab's dotfiles; you are not one on ${hostName}.`,
        };
  return context.groupAdmin.includes(level.group)
    ? { editable: true }
    : {
        editable: false,
        reason: `Only the admins of group ${level.group} may change its dotfiles; you are not one on ${hostName}.`,
      };
}

/** Home files most people keep, offered at every level. */
const HOME_SUGGESTIONS = [
  '.bashrc',
  '.profile',
  '.bash_profile',
  '.bash_aliases',
  '.zshrc',
  '.inputrc',
  '.vimrc',
  '.tmux.conf',
  '.gitconfig',
  '.config/git/config',
];

/**
 * Paths the New file form suggests at `scope`: home files everywhere, and at group and lab
 * level the system files they may set (the host's own extra ones too).
 */
export function pathSuggestions(
  scope: DotfileScopeRef['scope'],
  context: Pick<DotfileContext, 'systemPaths'> | null,
): readonly string[] {
  if (scope === 'user') return HOME_SUGGESTIONS;
  return [
    ...HOME_SUGGESTIONS,
    ...SYSTEM_DOTFILE_PATHS,
    '/etc/profile.d/lab.sh',
    ...(context?.systemPaths ?? []),
  ];
}
