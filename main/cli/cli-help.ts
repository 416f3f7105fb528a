import { formWords, optionUsage } from './cli-args';
import {
  COMMANDS,
  findCommand,
  type CommandEntry,
  type CommandForm,
  type OptionSpec,
} from './commands/command-table';

/** Where the one-line summaries start in a list of commands, at the most. */
const SUMMARY_COLUMN = 40;

/** `host add NAME --ssh USER@HOST[:PORT] [--identity PATH]`: required options before the others. */
export function formUsage(entry: CommandEntry, form: CommandForm): string {
  const options = form.options ?? [];
  return [
    ...formWords(entry, form),
    ...(form.positionals ?? []).map((p) => (p.optional ? `[${p.name}]` : p.name)),
    ...options.filter((o) => o.required).map(optionUsage),
    ...options
      .filter((o) => !o.required)
      .map((o) => `[${optionUsage(o)}]${o.repeatable ? '...' : ''}`),
  ].join(' ');
}

/**
 * Terms and their texts in two columns, the texts starting after the longest term (at most at
 * {@link SUMMARY_COLUMN}); a longer term puts its text on the next line.
 */
function rows(items: readonly (readonly [string, string])[]): string {
  const column = Math.min(SUMMARY_COLUMN, Math.max(...items.map(([term]) => term.length)) + 4);
  const pad = ' '.repeat(column);
  return items
    .map(([term, text]) => {
      const [first = '', ...more] = text.split('\n');
      const head =
        term.length + 4 <= column
          ? `  ${term.padEnd(column - 2)}${first}`
          : `  ${term}\n${pad}${first}`;
      return [head, ...more.map((line) => `${pad}${line}`)].join('\n');
    })
    .join('\n');
}

function commandRows(entries: readonly CommandEntry[]): [string, string][] {
  return entries.flatMap((entry) =>
    entry.forms.map((form): [string, string] => [formUsage(entry, form), form.summary]),
  );
}

/** `labdeck --help`: every form of every command, one entry each, from the command table. */
export function overview(): string {
  return `labdeck — LabDeck from the shell: a lab's GPU workstations, hosts and sessions.

Usage: labdeck COMMAND [options]

Commands:
${rows([...commandRows(COMMANDS), ['help [COMMAND]', 'Options and examples of a command: help host add.']])}

Settings live in $LABDECK_HOME (default: your OS config folder, shared with the desktop app).
Exit status: 0 success, 1 a request failed, 2 the command was mistyped.
`;
}

function optionRows(options: readonly OptionSpec[]): string {
  return rows(options.map((o) => [optionUsage(o), o.help]));
}

function indent(lines: readonly string[]): string {
  return lines.map((line) => `  ${line}`).join('\n');
}

/** The full help of the forms named: usage, what they do, options, examples. */
function formsHelp(entry: CommandEntry, forms: readonly CommandForm[]): string {
  const usage = forms
    .map((f, i) => `${i === 0 ? 'Usage: ' : '       '}labdeck ${formUsage(entry, f)}`)
    .join('\n');
  const about = forms.map((f) => [f.summary, f.details].filter(Boolean).join('\n')).join('\n\n');
  const options = [...new Map(forms.flatMap((f) => f.options ?? []).map((o) => [o.name, o]))];
  const examples = forms.flatMap((f) => f.examples ?? []);
  return [
    usage,
    about,
    options.length > 0 ? `Options:\n${optionRows(options.map(([, o]) => o))}` : '',
    examples.length > 0 ? `Examples:\n${indent(examples)}` : '',
  ]
    .filter(Boolean)
    .join('\n\n')
    .concat('\n');
}

/**
 * `labdeck help host`, `labdeck help host add` (also `labdeck host add --help`): a command with
 * sub-commands lists them; a form (or a command without sub-commands) gets its options and
 * examples. Undefined when the topic names no command or sub-command.
 */
export function helpFor(topic: readonly string[]): string | undefined {
  const [name, verb] = topic;
  const entry = name === undefined ? undefined : findCommand(name);
  if (!entry) return undefined;
  const hasVerbs = entry.forms.some((f) => f.verb !== undefined);
  if (!hasVerbs) return formsHelp(entry, entry.forms);
  const form = verb === undefined ? undefined : entry.forms.find((f) => f.verb === verb);
  if (form) return formsHelp(entry, [form]);
  const verbless = entry.forms.filter((f) => f.verb === undefined);
  const more = `Run \`labdeck help ${entry.name} COMMAND\` (or \`labdeck ${entry.name} COMMAND --help\`) for its options and examples.\n`;
  // `terminal SESSION` and `terminal ls`: a word that is no verb is the verb-less form's.
  if (verbless.length > 0) {
    const verbs = { ...entry, forms: entry.forms.filter((f) => f.verb !== undefined) };
    return `${formsHelp(entry, verbless)}\nCommands:\n${rows(commandRows([verbs]))}\n\n${more}`;
  }
  if (verb !== undefined) return undefined;
  return `Usage: labdeck ${entry.name} COMMAND [options]

Commands:
${rows(commandRows([entry]))}

${more}`;
}

/** What follows a usage error: how the command is typed, and where its help is. */
export function usageHint(topic: readonly string[]): string {
  const entry = topic[0] === undefined ? undefined : findCommand(topic[0]);
  if (!entry) return 'Run `labdeck --help` to see every command.\n';
  const forms = entry.forms.filter((f) => topic[1] === undefined || f.verb === topic[1]);
  const lines = forms.map((f) => `  labdeck ${formUsage(entry, f)}`).join('\n');
  return `Usage:\n${lines}\nRun \`labdeck help ${topic.join(' ')}\` for options and examples.\n`;
}
