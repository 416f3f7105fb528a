import { readFile, stat } from 'node:fs/promises';
import {
  MAX_DOTFILE_CONTENT_BYTES,
  validateDotfile,
  type DotfileError,
} from '../../../common/dotfiles';
import type { DotfileScopeRef } from '../../../common/dotfiles/dotfile-store';
import { groupNameSchema } from '../../../common/host-setup/privileged-ops';
import type { ParsedArgs } from '../cli-args';
import { UsageError } from '../cli-io';
import { dotfileTargetPathProblem, hostMayAllow } from '../../dotfiles/dotfile-rules';

/**
 * The words of `labdeck dotfile …` checked and turned into requests before anything connects
 * (issue 13): the scope, the path and mode by `validateDotfile`, and the local file's text, so a
 * mistake exits 2 naming the word and the rule, and nothing is written.
 */

const SCOPE_WORDS = 'user, group:NAME or domain (the lab)';
const GROUP_RULE =
  'a Unix group name is 1-32 lowercase letters, digits, "_" and "-", starting with a letter or "_"';

/** A Unix group's name as typed after `label`, or a usage error naming it. */
export function groupArg(label: string, name: string): string {
  if (groupNameSchema.safeParse(name).success) return name;
  throw new UsageError(`${label} "${name}" is not a Unix group name: ${GROUP_RULE}`);
}

/** `--scope user|group:NAME|domain` as the level it names; `user` when not given. */
export function scopeArg(text: string | undefined): DotfileScopeRef {
  if (text === undefined || text === 'user') return { scope: 'user' };
  if (text === 'domain') return { scope: 'domain' };
  if (text === 'group' || text === 'group:')
    throw new UsageError(`--scope ${text} needs the group's name: --scope group:NAME`);
  if (text.startsWith('group:')) {
    const name = text.slice('group:'.length);
    if (groupNameSchema.safeParse(name).success) return { scope: 'group', group: name };
    throw new UsageError(`--scope "${text}": "${name}" is not a Unix group name: ${GROUP_RULE}`);
  }
  throw new UsageError(`--scope "${text}" is not a level: use ${SCOPE_WORDS}`);
}

/** The word a problem of `validateDotfile` is about, as the command line names it. */
const ARGUMENT: Record<DotfileError['field'], string> = {
  scope: '--scope',
  path: 'PATH',
  mode: '--mode',
  content: '--file',
};

/** `PATH "../x" must …; --mode "8xx" must …`: every problem, each naming its word. */
function describe(errors: readonly DotfileError[], words: Record<string, string>): string {
  return errors
    .map((e) => `${ARGUMENT[e.field]}${words[e.field] ? ` "${words[e.field]}"` : ''} ${e.message}`)
    .join('; ');
}

/**
 * Checks PATH (and MODE, and the file's text) at `scope`, every problem at once; a usage error
 * naming each word otherwise. `systemPaths` are the host's own; before connecting there are none
 * and a path only the host can allow is let through, `deferred`, to be checked again with them.
 */
export function checkDotfileWords(
  scope: DotfileScopeRef,
  path: string,
  extra: { readonly mode?: string; readonly content?: string; readonly file?: string } = {},
  systemPaths: readonly string[] | undefined = undefined,
): { deferred: boolean } {
  const input = {
    scope: scope.scope,
    path,
    content: extra.content ?? '',
    ...(extra.mode === undefined ? {} : { mode: extra.mode }),
  };
  let check = validateDotfile(input, { systemPaths: systemPaths ?? [] });
  const deferred =
    systemPaths === undefined &&
    !check.ok &&
    check.errors.some((e) => e.field === 'path') &&
    hostMayAllow(scope.scope, path);
  if (deferred) check = validateDotfile(input, { systemPaths: [path] });
  if (!check.ok)
    throw new UsageError(
      describe(check.errors, { path, mode: extra.mode ?? '', content: extra.file ?? '' }),
    );
  return { deferred };
}

/**
 * The text of the local file `--file` names: a regular file of well-formed UTF-8 (read exactly,
 * a byte-order mark kept) without NUL, at most {@link MAX_DOTFILE_CONTENT_BYTES} bytes; a usage
 * error naming `--file` and the rule otherwise. Its size is checked before it is read.
 */
export async function readDotfileFile(file: string): Promise<string> {
  const refuse = (why: string): never => {
    throw new UsageError(`--file "${file}" ${why}`);
  };
  const info = await stat(file).catch((error: NodeJS.ErrnoException) =>
    refuse(
      error.code === 'ENOENT'
        ? 'does not exist'
        : `cannot be read (${error.code ?? error.message})`,
    ),
  );
  if (!info.isFile()) refuse('is not a regular file');
  if (info.size > MAX_DOTFILE_CONTENT_BYTES)
    refuse(`must be at most ${MAX_DOTFILE_CONTENT_BYTES} bytes of UTF-8 (it has ${info.size})`);
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) =>
    refuse(`cannot be read (${error.code ?? error.message})`),
  );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return refuse('must be UTF-8 text (it is not: a binary file?)');
  }
  if (text.includes('\0')) refuse('must not contain NUL bytes');
  return text;
}

/** The dotfile request a command line makes: its channel and input, host included. */
export type DotfileCall =
  | {
      readonly channel: 'dotfiles:list';
      readonly input: { hostId: string; scope?: 'user' | 'group' | 'domain'; group?: string };
    }
  | { readonly channel: 'dotfiles:read'; readonly input: DotfileTarget }
  | {
      readonly channel: 'dotfiles:set';
      readonly input: DotfileTarget & { content: string; mode?: string };
    }
  | { readonly channel: 'dotfiles:remove'; readonly input: DotfileTarget }
  | { readonly channel: 'dotfiles:preview'; readonly input: { hostId: string; group?: string } };

/** One file on a host: where it is and at which level. */
export type DotfileTarget = { hostId: string; path: string } & DotfileScopeRef;

/**
 * The request `labdeck dotfile VERB …` makes, every word checked first (a {@link UsageError}
 * naming the word otherwise), and whether its path waits for the host's own system paths.
 */
export async function dotfileCall(
  args: ParsedArgs,
): Promise<{ call: DotfileCall; deferred: boolean }> {
  const [hostId = '', path = ''] = args.positionals;
  const verb = args.verb ?? '';
  const typedScope = args.values.get('scope');
  switch (verb) {
    case 'ls':
      return {
        call: {
          channel: 'dotfiles:list',
          input: { hostId, ...(typedScope === undefined ? {} : scopeArg(typedScope)) },
        },
        deferred: false,
      };
    case 'preview': {
      const group = args.values.get('group');
      return {
        call: {
          channel: 'dotfiles:preview',
          input: { hostId, ...(group === undefined ? {} : { group: groupArg('--group', group) }) },
        },
        deferred: false,
      };
    }
    case 'show':
    case 'rm': {
      // Only what no store can hold: a file kept under a path today's rules refuse (the host's
      // configuration dropped it, or the store was edited by hand) can still be shown and
      // removed; the host's agent decides.
      const target = { hostId, path, ...scopeArg(typedScope) };
      const problem = dotfileTargetPathProblem(path);
      if (problem !== undefined) throw new UsageError(`PATH "${path}" ${problem}`);
      const channel = verb === 'show' ? 'dotfiles:read' : 'dotfiles:remove';
      return { call: { channel, input: target }, deferred: false };
    }
    case 'set': {
      const scope = scopeArg(typedScope);
      const mode = args.values.get('mode');
      const file = args.values.get('file') ?? '';
      const read = await readDotfileFile(file).then(
        (content) => ({ content, problem: undefined }),
        (error: unknown) => {
          if (!(error instanceof UsageError)) throw error;
          return { content: '', problem: error.message };
        },
      );
      let deferred = false;
      let problems = read.problem === undefined ? [] : [read.problem];
      try {
        ({ deferred } = checkDotfileWords(scope, path, {
          content: read.content,
          file,
          ...(mode === undefined ? {} : { mode }),
        }));
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        problems = [error.message, ...problems];
      }
      // Every problem at once: the words' and the file's.
      if (problems.length > 0) throw new UsageError(problems.join('; '));
      return {
        call: {
          channel: 'dotfiles:set',
          input: {
            hostId,
            path,
            ...scope,
            content: read.content,
            ...(mode === undefined ? {} : { mode }),
          },
        },
        deferred,
      };
    }
    default:
      throw new Error(`dotfile ${verb}: not implemented`);
  }
}
