import { matchPatternList } from './ssh-pattern';

/**
 * `Match` lines of ssh_config, read and evaluated as OpenSSH's match_cfg_line() in readconf.c
 * does: criteria are ANDed, `!` negates one, `host`/`originalhost` take a comma-separated,
 * case-insensitive pattern list, `user`/`localuser` a case-sensitive one, `canonical` and `final`
 * match only in the second pass, and `all` stands last. `exec` is never run: a block whose
 * outcome hangs on a command is reported for the hosts it would affect, and not applied.
 * https://github.com/openssh/openssh-portable/blob/master/readconf.c
 */

/** Criteria LabDeck evaluates itself. */
type KnownKind = 'all' | 'canonical' | 'final' | 'host' | 'originalhost' | 'user' | 'localuser';

/** One criterion of a Match line. */
export type MatchCriterion =
  | { readonly kind: KnownKind; readonly negate: boolean; readonly patterns: readonly string[] }
  /** `exec`, or a newer OpenSSH's criterion (localnetwork, tagged…) LabDeck cannot decide. */
  | {
      readonly kind: 'undecidable';
      readonly negate: boolean;
      readonly name: string;
      readonly arg: string;
    };

/** Criteria that take no argument. */
const BARE = new Set(['all', 'canonical', 'final']);
const PATTERNED = new Set(['host', 'originalhost', 'user', 'localuser']);
/** Valid in OpenSSH (this one or newer) but depending on the machine, not on the config. */
const UNDECIDABLE = new Set([
  'exec',
  'localnetwork',
  'tagged',
  'version',
  'sessiontype',
  'command',
]);

/** Parses a Match line's arguments; throws an Error naming what ssh would refuse. */
export function parseMatch(args: readonly string[]): MatchCriterion[] {
  const criteria: MatchCriterion[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const word = args[i] as string;
    const negate = word.startsWith('!');
    const name = (negate ? word.slice(1) : word).toLowerCase();
    if (name === 'all') {
      if (criteria.length > 1 || i !== args.length - 1)
        throw new Error('"all" cannot be combined with other Match criteria');
      criteria.push({ kind: 'all', negate, patterns: [] });
    } else if (BARE.has(name)) {
      criteria.push({ kind: name as KnownKind, negate, patterns: [] });
    } else if (PATTERNED.has(name) || UNDECIDABLE.has(name)) {
      const arg = args[i + 1];
      if (arg === undefined || arg === '') throw new Error(`"${name}" needs an argument`);
      i += 1;
      criteria.push(
        PATTERNED.has(name)
          ? { kind: name as KnownKind, negate, patterns: arg.split(',') }
          : { kind: 'undecidable', negate, name, arg },
      );
    } else {
      throw new Error(`"${word}" is not a Match criterion`);
    }
  }
  if (criteria.length === 0) throw new Error('Match needs at least one criterion');
  return criteria;
}

/** What a Match line is evaluated against, as ssh knows it at that point of reading. */
export interface MatchContext {
  /** The target: the alias, or the HostName read so far with %h expanded. */
  readonly host: string;
  /** The alias as typed. */
  readonly originalHost: string;
  /** The User read so far, or the local user. */
  readonly user: string;
  readonly localUser: string;
  /** True in the pass ssh makes again after `Match final` or CanonicalizeHostname. */
  readonly finalPass: boolean;
}

/** A Match line's outcome: `undecided` when it hangs on a criterion LabDeck does not evaluate. */
export type MatchOutcome = boolean | 'undecided';

/**
 * Evaluates the criteria, ANDed, three-valued: any false criterion makes the line false (ssh then
 * skips a later `exec`), otherwise any undecidable one leaves it undecided.
 */
export function evaluateMatch(
  criteria: readonly MatchCriterion[],
  context: MatchContext,
): MatchOutcome {
  let outcome: MatchOutcome = true;
  for (const criterion of criteria) {
    if (criterion.kind === 'undecidable') {
      outcome = 'undecided';
      continue;
    }
    if (holds(criterion.kind, criterion.patterns, context) === criterion.negate) return false;
  }
  return outcome;
}

function holds(kind: KnownKind, patterns: readonly string[], c: MatchContext): boolean {
  switch (kind) {
    case 'all':
      return true;
    case 'canonical':
    case 'final':
      return c.finalPass;
    case 'host':
      return matchPatternList(c.host.toLowerCase(), lower(patterns));
    case 'originalhost':
      return matchPatternList(c.originalHost.toLowerCase(), lower(patterns));
    case 'user':
      return matchPatternList(c.user, patterns);
    case 'localuser':
      return matchPatternList(c.localUser, patterns);
  }
}

function lower(patterns: readonly string[]): string[] {
  return patterns.map((p) => p.toLowerCase());
}

/** Whether a line asks ssh for the second pass (`final`, not negated: readconf.c). */
export function wantsFinalPass(criteria: readonly MatchCriterion[]): boolean {
  return criteria.some((c) => c.kind === 'final' && !c.negate);
}

/**
 * Says, for a host whose block LabDeck left out, which undecidable criterion kept it out and
 * which settings (`keywords`, as the manual spells them) it held.
 */
export function undecidedNote(
  criteria: readonly MatchCriterion[],
  source: string,
  keywords: readonly string[],
): string {
  const undecidable = criteria.flatMap((c) => (c.kind === 'undecidable' ? [c] : []));
  const settings = `${words(keywords)} from this block ${keywords.length === 1 ? 'was' : 'were'} not applied`;
  const [only] = undecidable;
  if (undecidable.length === 1 && only?.name === 'exec') {
    const when = only.negate ? 'fails' : 'succeeds';
    return `${source}: Match exec ${quoteArg(only.arg)} is never run by LabDeck, so ${settings} (ssh applies this block when that command ${when})`;
  }
  const written = undecidable.map((c) => `${c.negate ? '!' : ''}${c.name} ${quoteArg(c.arg)}`);
  return `${source}: LabDeck does not evaluate Match ${written.join(' ')}, so ${settings}`;
}

/** `Port`, `Port and User`, `Port, User and HostName`. */
function words(list: readonly string[]): string {
  return list.length <= 1
    ? (list[0] ?? '')
    : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}

function quoteArg(arg: string): string {
  return /\s/.test(arg) ? `"${arg}"` : arg;
}
