import { validateDotfile, type DotfileError } from '../../common/dotfiles';
import { AppFailure } from '../../common/contract/result';

/**
 * Main's check of a dotfile write before the agent is asked (issue 13): `validateDotfile` with
 * the host's own system paths, plus the group a group-level request must name, every problem at
 * once in the words the form and the agent use.
 */

/** A problem of a dotfile request: {@link DotfileError}'s fields, and the group it names. */
export interface DotfileProblem {
  readonly field: DotfileError['field'] | 'group';
  readonly message: string;
}

/** A dotfile request's fields as the contract parses them. */
export interface DotfileWrite {
  readonly scope: string;
  readonly group?: string | undefined;
  readonly path: string;
  readonly content: string;
  readonly mode?: string | undefined;
}

/** Whether the request names its group exactly where it must: at group scope, and only there. */
function groupProblem(scope: string, group: string | undefined): DotfileProblem[] {
  if (scope === 'group' && group === undefined)
    return [{ field: 'group', message: 'must name the Unix group at group scope' }];
  if (scope !== 'group' && group !== undefined)
    return [
      { field: 'group', message: `must not be given at ${scope} scope (only at group scope)` },
    ];
  return [];
}

/**
 * Every problem of setting `write` on a host whose configuration allows `systemPaths` besides
 * the built-in system files; empty when it may be sent to the agent.
 */
export function dotfileWriteProblems(
  write: DotfileWrite,
  systemPaths: readonly string[] = [],
): DotfileProblem[] {
  const check = validateDotfile(
    {
      scope: write.scope,
      path: write.path,
      content: write.content,
      ...(write.mode === undefined ? {} : { mode: write.mode }),
    },
    { systemPaths },
  );
  return [...groupProblem(write.scope, write.group), ...(check.ok ? [] : check.errors)];
}

/** Longest path a dotfile request may name, as the contract bounds it. */
export const MAX_DOTFILE_PATH_LENGTH = 4096;

/**
 * Every problem of naming `path` at `scope` to show or remove a file: only its group and what no
 * store can hold (an empty path, NUL, more than {@link MAX_DOTFILE_PATH_LENGTH} characters). The
 * path's rules are the agent's to apply: a file the store already keeps may be shown and removed
 * even when today's rules refuse its path (the host's configuration dropped a system path, or
 * the store was edited by hand).
 */
export function dotfileTargetProblems(
  target: Omit<DotfileWrite, 'content' | 'mode'>,
): DotfileProblem[] {
  const problems = groupProblem(target.scope, target.group);
  const path = dotfileTargetPathProblem(target.path);
  return path === undefined ? problems : [...problems, { field: 'path', message: path }];
}

/** Why no store can hold a file at `path` (empty, NUL, too long), or undefined. */
export function dotfileTargetPathProblem(path: string): string | undefined {
  if (path === '') return 'must not be empty';
  if (path.includes('\0')) return 'must not contain NUL';
  if (path.length > MAX_DOTFILE_PATH_LENGTH)
    return `must be at most ${MAX_DOTFILE_PATH_LENGTH} characters (it has ${path.length})`;
  return undefined;
}

/**
 * Whether `path` is an absolute, normalized path at group or domain level: one the host's
 * configuration may allow (`dotfileSystemPaths`) when the built-in list does not, so only the
 * host can say. `/etc/../shadow` is not one: it is refused whatever the host allows.
 */
export function hostMayAllow(scope: string, path: string): boolean {
  if (scope === 'user' || !path.startsWith('/')) return false;
  return path
    .slice(1)
    .split('/')
    .every((part) => part !== '' && part !== '.' && part !== '..' && !part.includes('\0'));
}

/**
 * `dotfiles-need-setup` for a group or lab file on `host` whose configuration (`dotfiles.context`
 * says none) would have to allow its system path: host setup comes first.
 */
export function dotfilesNeedSetup(host: string): AppFailure {
  return new AppFailure({
    code: 'dotfiles-need-setup',
    message: `LabDeck is not set up on ${host}: group and lab dotfiles, and the system files the host's configuration adds (dotfileSystemPaths), need host setup, once, by someone who can sudo.`,
    hint: `Your own dotfiles work without it. For the others: labdeck host setup ${host}`,
  });
}

/** `path: must …; mode: …`: every problem, field first, as `invalid-input` says them. */
export function describeDotfileProblems(problems: readonly DotfileProblem[]): string {
  return problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
}

/** The `invalid-input` failure for `problems`, naming every field and rule. */
export function invalidDotfile(problems: readonly DotfileProblem[]): AppFailure {
  return new AppFailure({
    code: 'invalid-input',
    message: describeDotfileProblems(problems),
    hint: 'Correct the fields named above and save again (LabDeck refused it before asking the host).',
  });
}
