import { UsageError } from './cli-io';
import type { CommandEntry, CommandForm, OptionSpec } from './commands/command-table';
import { didYouMean } from './did-you-mean';

/** The words after a command's name, checked against its form in the command table. */
export interface ParsedArgs {
  /** The sub-command typed (`check`), if the command has them. */
  readonly verb?: string;
  /** Options given without a value (`--json`). */
  readonly flags: ReadonlySet<string>;
  /** Options given with a value (`--ssh ada@gpu1`), by name; a repeatable one's last value. */
  readonly values: ReadonlyMap<string, string>;
  /** Every value of each repeatable option (`--env A=1 --env B=2`), in the order typed. */
  readonly lists: ReadonlyMap<string, readonly string[]>;
  readonly positionals: readonly string[];
  /** The positional that names a LabDeck host, if the form has one and it was given. */
  readonly target?: string;
}

/** What a usage error is about: `['host', 'add']`; its help is shown with the error. */
export type HelpTopic = readonly string[];

/** The words that pick a form: the command's name and, if it has sub-commands, the verb. */
export function formWords(entry: CommandEntry, form: CommandForm): HelpTopic {
  return form.verb === undefined ? [entry.name] : [entry.name, form.verb];
}

/** An option as typed: `--ssh USER@HOST[:PORT]`, `--json`. */
export function optionUsage(option: OptionSpec): string {
  return option.value === undefined ? `--${option.name}` : `--${option.name} ${option.value}`;
}

function quoteList(words: readonly string[]): string {
  const quoted = words.map((w) => `"${w}"`);
  return quoted.length <= 1
    ? (quoted[0] ?? '')
    : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}

/** The options of the forms the words are checked against, each name once. */
function optionsOf(forms: readonly CommandForm[]): OptionSpec[] {
  const byName = new Map<string, OptionSpec>();
  for (const option of forms.flatMap((f) => f.options ?? []))
    if (!byName.has(option.name)) byName.set(option.name, option);
  return [...byName.values()];
}

/**
 * Picks the form a command line is for; a missing or unknown verb is a usage error. A command
 * may have verb-less forms beside its verbs (`terminal SESSION` and `terminal ls`): a first word
 * that is no verb, or none, picks those.
 */
function pickForms(
  entry: CommandEntry,
  args: readonly string[],
): { forms: readonly CommandForm[]; rest: readonly string[]; verb?: string } {
  const verbs = entry.forms.flatMap((f) => (f.verb === undefined ? [] : [f.verb]));
  const verbless = entry.forms.filter((f) => f.verb === undefined);
  if (verbs.length === 0) return { forms: entry.forms, rest: args };
  const [word, ...rest] = args;
  if (verbless.length > 0 && (word === undefined || !verbs.includes(word)))
    return { forms: verbless, rest: args };
  if (word === undefined || word.startsWith('-')) {
    throw new UsageError(`${entry.name} needs one of: ${verbs.join(', ')}`, [entry.name]);
  }
  const form = entry.forms.find((f) => f.verb === word);
  if (!form) {
    const guess = didYouMean(word, verbs, entry.synonyms);
    throw new UsageError(
      `unknown ${entry.name} command "${word}"${guess ? `. Did you mean "${entry.name} ${guess}"?` : ''}`,
      [entry.name],
    );
  }
  return { forms: [form], rest, verb: word };
}

/**
 * Checks the words after a command's name against the command table before its module loads:
 * the verb, every option (with "did you mean" for a near miss), each option's value, required
 * options and the number of positional words. Every mistake is a {@link UsageError} that says
 * which word is wrong and why, in LabDeck's words (never Node's argument parser's).
 */
export function parseCommandArgs(entry: CommandEntry, args: readonly string[]): ParsedArgs {
  const { forms, rest, verb } = pickForms(entry, args);
  const topic = verb === undefined ? [entry.name] : [entry.name, verb];
  const name = topic.join(' ');
  const options = optionsOf(forms);
  const known = options.map((o) => `--${o.name}`);
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const positionals: string[] = [];
  const fail: (message: string) => never = (message) => {
    throw new UsageError(message, topic);
  };

  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (word === '--') {
      positionals.push(...rest.slice(i + 1));
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      positionals.push(word);
      continue;
    }
    const [typed, inline] = splitInline(word);
    const option = word.startsWith('--') ? options.find((o) => `--${o.name}` === typed) : undefined;
    if (!option) {
      const guess = didYouMean(typed, known);
      fail(
        `${name} has no option ${typed}` +
          (guess
            ? `. Did you mean ${guess}?`
            : known.length > 0
              ? ` (its options: ${known.join(', ')})`
              : ''),
      );
    }
    if (option.value === undefined) {
      if (inline !== undefined) fail(`${typed} takes no value (got "${word}")`);
      flags.add(option.name);
      continue;
    }
    const value = inline ?? rest[i + 1];
    if (value === undefined || (inline === undefined && value.startsWith('-') && value !== '-')) {
      fail(
        `${typed} needs a value: ${optionUsage(option)}` +
          (value === undefined ? '' : ` (the next word, "${value}", is an option)`),
      );
    }
    if (values.has(option.name) && !option.repeatable)
      fail(`${typed} is given twice; give it once`);
    if (value === '') fail(`${typed} needs a value: ${optionUsage(option)} (got an empty one)`);
    values.set(option.name, value);
    if (option.repeatable) lists.set(option.name, [...(lists.get(option.name) ?? []), value]);
    if (inline === undefined) i += 1;
  }

  const spec = forms.length === 1 ? (forms[0]!.positionals ?? []) : widest(forms);
  if (forms.length === 1) {
    for (const option of options.filter(
      (o) => o.required && !values.has(o.name) && !flags.has(o.name),
    )) {
      const stray = positionals[spec.length];
      fail(
        `${name} needs ${optionUsage(option)}` +
          (stray !== undefined && option.value !== undefined
            ? `. Did you mean "--${option.name} ${stray}"?`
            : ''),
      );
    }
  }
  const missing = spec.find((p, index) => !p.optional && positionals[index] === undefined);
  if (missing) {
    fail(
      `${name} needs ${missing.name}` +
        (missing.host ? ` (a host's name, as \`labdeck host ls\` lists it, or "local")` : ''),
    );
  }
  if (positionals.length > spec.length) {
    const extra = positionals.slice(spec.length);
    fail(
      spec.length === 0
        ? `${name} takes no arguments (got ${quoteList(extra)})`
        : `${name} takes ${spec.map((p) => p.name).join(' ')} only; ${quoteList(extra)} ${extra.length === 1 ? 'is' : 'are'} one word too many`,
    );
  }
  const hostIndex = spec.findIndex((p) => p.host);
  const target = hostIndex >= 0 ? positionals[hostIndex] : undefined;
  return {
    ...(verb === undefined ? {} : { verb }),
    flags,
    values,
    lists,
    positionals,
    ...(target === undefined ? {} : { target }),
  };
}

/** `--name=value` as its two halves; `--name` alone has no inline value. */
function splitInline(word: string): [string, string | undefined] {
  const eq = word.indexOf('=');
  return eq < 0 ? [word, undefined] : [word.slice(0, eq), word.slice(eq + 1)];
}

/** For commands without verbs: the longest positional list of their forms, each optional. */
function widest(forms: readonly CommandForm[]) {
  const longest = forms.reduce<CommandForm['positionals']>(
    (best, f) => ((f.positionals?.length ?? 0) > (best?.length ?? 0) ? f.positionals : best),
    [],
  );
  return (longest ?? []).map((p) => ({ ...p, optional: true as const }));
}
