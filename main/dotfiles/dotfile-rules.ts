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

/** Every problem of naming `path` at `scope` (a remove): the path's and the group's, no content. */
export function dotfilePathProblems(
  target: Omit<DotfileWrite, 'content' | 'mode'>,
  systemPaths: readonly string[] = [],
): DotfileProblem[] {
  return dotfileWriteProblems({ ...target, content: '' }, systemPaths).filter(
    (problem) => problem.field !== 'content' && problem.field !== 'mode',
  );
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
