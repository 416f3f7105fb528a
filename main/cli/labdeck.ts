import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCommandArgs } from './cli-args';
import { helpFor, overview, usageHint } from './cli-help';
import { EXIT_USAGE, UsageError, processIo, type CliIo } from './cli-io';
import { COMMANDS, findCommand } from './commands/command-table';
import { didYouMean } from './did-you-mean';

const HELP_FLAGS = new Set(['--help', '-h']);

/** The built renderer served by `labdeck serve`, next to this bundle in out/. */
function rendererDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', 'renderer');
}

/** A word that is no command, with the closest command when there is one. */
function noSuchCommand(word: string): UsageError {
  const names = [...COMMANDS.map((c) => c.name), 'help'];
  const guess = didYouMean(word, names, { hosts: 'host', gpu: 'gpus', server: 'serve' });
  return new UsageError(
    `unknown command "${word}"${guess ? `. Did you mean "${guess}"?` : ''}`,
    [],
  );
}

/** `labdeck help [COMMAND [SUB-COMMAND]]`. */
function help(topic: readonly string[], io: CliIo): number {
  if (topic.length === 0) {
    io.out(overview());
    return 0;
  }
  const entry = findCommand(topic[0]!);
  if (!entry) throw noSuchCommand(topic[0]!);
  const text = helpFor([entry.name, ...topic.slice(1, 2)]);
  if (text === undefined) {
    // The sub-command is unknown: the same error as typing it.
    parseCommandArgs(entry, topic.slice(1, 2));
  }
  io.out(text ?? overview());
  return 0;
}

/**
 * Runs one CLI invocation and returns its exit status; `serve` keeps running until a signal.
 * Every word is checked against the command table first (a mistake exits 2 with "did you mean"
 * and the command's usage); only then the command's module, and with it the services, is loaded.
 * Exported for tests, which call it in-process with a captured {@link CliIo}.
 */
export async function runCli(
  argv: string[],
  io: CliIo = processIo,
  env = process.env,
): Promise<number> {
  const [word, ...rest] = argv;
  let topic: readonly string[] = [];
  try {
    if (word === undefined || HELP_FLAGS.has(word)) return help([], io);
    if (word === 'help') return help(rest, io);
    const entry = findCommand(word);
    if (!entry) throw noSuchCommand(word);
    topic = [entry.name];
    if (rest.some((w) => HELP_FLAGS.has(w)) || rest[0] === 'help') {
      const verb = rest.find((w) => !w.startsWith('-') && w !== 'help');
      return help(verb === undefined ? topic : [...topic, verb], io);
    }
    const parsed = parseCommandArgs(entry, rest);
    topic = parsed.verb === undefined ? topic : [...topic, parsed.verb];
    const command = await entry.load();
    return await command.run(rest, {
      io,
      env,
      rendererDir: rendererDir(),
      parsed,
      ...(parsed.target === undefined ? {} : { target: parsed.target }),
    });
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`labdeck: ${error.message}\n${usageHint(error.topic ?? topic)}`);
      return EXIT_USAGE;
    }
    // The table checks every option first, so a module's own parseArgs should never refuse one;
    // if it does, it is still a usage mistake, said without Node's wording.
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(
        `labdeck: ${topic.join(' ')}: these options cannot be used together as typed\n${usageHint(topic)}`,
      );
      return EXIT_USAGE;
    }
    throw error;
  }
}
