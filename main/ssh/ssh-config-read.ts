import { readdir } from 'node:fs/promises';
import { isAbsolute, join, parse, sep } from 'node:path';
import { knownSshConfigKeyword } from './ssh-config-keywords';
import { parseMatch, type MatchCriterion } from './ssh-config-match';

/**
 * Reads ssh_config files into keyword lines, following `Include`s, the way OpenSSH's readconf.c
 * does: keywords are case-insensitive, `Key Value` and `Key=Value` both work, arguments are split
 * like a shell would with "double" or 'single' quotes, and `#` starts a comment at a word's start.
 */

/** OpenSSH's READCONF_MAX_DEPTH: deeper nesting is almost certainly a file including itself. */
export const MAX_INCLUDE_DEPTH = 16;

/** One keyword line of an ssh_config file. */
export interface ConfigLine {
  readonly kind: 'line';
  /** Lowercased, e.g. `hostname`. */
  readonly keyword: string;
  readonly args: readonly string[];
  /** Everything after the keyword, unsplit (ProxyCommand and ProxyJump take it whole). */
  readonly rest: string;
  /** `file:line`, for messages. */
  readonly source: string;
}

/** An `Include` line and the files it matched, in glob order, each already read. */
export interface ConfigInclude {
  readonly kind: 'include';
  readonly files: readonly (readonly ConfigItem[])[];
}

/** A `Match` line, its criteria parsed once; none when ssh would refuse the line. */
export interface ConfigMatch {
  readonly kind: 'match';
  readonly criteria: readonly MatchCriterion[] | undefined;
  readonly source: string;
}

/** A line of a config file as the host evaluator walks it. */
export type ConfigItem = ConfigLine | ConfigInclude | ConfigMatch;

/** What reading needs: the user's home (for `~` and relative Includes) and a file reader. */
export interface ConfigReadOptions {
  readonly home: string;
  readonly readFile: (path: string) => Promise<string>;
  /** Told about each line that cannot be used, with its `file:line`. */
  readonly report: (source: string, message: string) => void;
}

/**
 * Splits arguments as OpenSSH's argv_split() does: quotes group, a backslash escapes a quote, a
 * backslash or (outside quotes) a space, and `#` at the start of a word ends the line.
 * Returns undefined for an unclosed quote.
 */
export function splitArguments(text: string): string[] | undefined {
  const args: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === '\t') i += 1;
    if (i >= text.length || text[i] === '#') break;
    let arg = '';
    let quote = '';
    for (; i < text.length; i += 1) {
      const c = text[i] as string;
      const next = text[i + 1];
      if (c === '\\' && next !== undefined && (`'"\\`.includes(next) || (!quote && next === ' '))) {
        arg += next;
        i += 1;
      } else if (!quote && (c === ' ' || c === '\t')) break;
      else if (!quote && (c === '"' || c === "'")) quote = c;
      else if (quote && c === quote) quote = '';
      else arg += c;
    }
    if (quote) return undefined;
    args.push(arg);
  }
  return args;
}

/** Reads one config file; undefined when it does not exist (no ~/.ssh/config is normal). */
export async function readConfigFile(
  path: string,
  options: ConfigReadOptions,
  depth = 0,
): Promise<ConfigItem[] | undefined> {
  let text: string;
  try {
    text = await options.readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const items: ConfigItem[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const source = `${path}:${index + 1}`;
    const match = /^\s*([^\s=]+)\s*(?:=\s*)?(.*?)\s*$/.exec(raw);
    if (!match || match[1]?.startsWith('#')) continue;
    const keyword = (match[1] as string).toLowerCase();
    const rest = match[2] as string;
    const args = splitArguments(rest);
    if (args === undefined) options.report(source, 'a quote is not closed; line ignored');
    else if (keyword === 'match') items.push(readMatch(args, source, options));
    else if (args.length === 0) options.report(source, noValueMessage(keyword));
    else if (keyword === 'include') items.push(await readInclude(args, source, options, depth));
    else items.push({ kind: 'line', keyword, args, rest, source });
  }
  return items;
}

/** A Match line ssh would refuse is reported once, and its block applies to no host. */
function readMatch(
  args: readonly string[],
  source: string,
  options: ConfigReadOptions,
): ConfigMatch {
  try {
    return { kind: 'match', criteria: parseMatch(args), source };
  } catch (error) {
    options.report(
      source,
      `${(error as Error).message}; ssh refuses this line, so LabDeck applies its block to no host`,
    );
    return { kind: 'match', criteria: undefined, source };
  }
}

/**
 * Says what is wrong with a line that has a single word. Only a real ssh_config keyword is
 * named: any other word may be a secret's content (a key file named by mistake).
 */
function noValueMessage(keyword: string): string {
  const known = knownSshConfigKeyword(keyword);
  return known
    ? `${known} has no value; line ignored`
    : 'not an ssh_config setting (a single word); line ignored';
}

async function readInclude(
  args: readonly string[],
  source: string,
  options: ConfigReadOptions,
  depth: number,
): Promise<ConfigInclude> {
  if (depth + 1 > MAX_INCLUDE_DEPTH) {
    options.report(source, `Include nested more than ${MAX_INCLUDE_DEPTH} deep; not followed`);
    return { kind: 'include', files: [] };
  }
  const files: ConfigItem[][] = [];
  for (const arg of args) {
    if (/^~[^/]/.test(arg)) {
      options.report(source, `Include ${arg}: another user's ~ is not supported; not followed`);
      continue;
    }
    for (const path of await globPaths(includePath(arg, options.home))) {
      try {
        const items = await readConfigFile(path, options, depth + 1);
        if (items) files.push(items);
      } catch (error) {
        options.report(source, `Include ${path} could not be read (${(error as Error).message})`);
      }
    }
  }
  return { kind: 'include', files };
}

/** `~/x` is in the home folder; a relative path is relative to ~/.ssh (ssh_config(5), Include). */
function includePath(arg: string, home: string): string {
  if (arg === '~' || arg.startsWith('~/')) return join(home, arg.slice(1));
  return isAbsolute(arg) ? arg : join(home, '.ssh', arg);
}

const GLOB_CHARS = /[*?[]/;

/** The files a glob(3) pattern names, sorted; a path without wildcards is returned as is. */
async function globPaths(pattern: string): Promise<string[]> {
  if (!GLOB_CHARS.test(pattern)) return [pattern];
  const { root } = parse(pattern);
  let current = [root];
  for (const segment of pattern.slice(root.length).split(sep).filter(Boolean)) {
    const next: string[] = [];
    for (const dir of current) {
      if (!GLOB_CHARS.test(segment)) {
        next.push(join(dir, segment));
        continue;
      }
      const names = await readdir(dir).catch(() => [] as string[]);
      const matcher = segmentMatcher(segment);
      next.push(...names.filter((name) => matcher.test(name)).map((name) => join(dir, name)));
    }
    current = next;
  }
  return current.sort();
}

/** glob(3) for one path segment: `*`, `?`, `[a-z]`/`[!a-z]`; a leading dot must be written. */
function segmentMatcher(segment: string): RegExp {
  let source = segment.startsWith('.') ? '' : '(?!\\.)';
  for (let i = 0; i < segment.length; i += 1) {
    const c = segment[i] as string;
    const close = c === '[' ? segment.indexOf(']', i + 2) : -1;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (close > 0) {
      const body = segment
        .slice(i + 1, close)
        .replace(/^!/, '^')
        .replace(/[\\\]]/g, '\\$&');
      source += `[${body}]`;
      i = close;
    } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}
