import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT_USAGE, UsageError, processIo, type CliIo } from './cli-io';
import { COMMANDS, findCommand } from './commands/command-table';

/** Top-level help of `labdeck`, made from the command table. */
export const USAGE = `labdeck — LabDeck from the shell: a lab's GPU workstations, hosts and sessions.

Usage: labdeck <command> [options]

Commands:
${COMMANDS.map((c) => c.synopsis).join('\n')}
  help [command]                 Show help for a command.

Settings live in $LABDECK_HOME (default: your OS config folder, shared with the desktop app).
Exit status: 0 success, 1 a request failed, 2 the command was mistyped.
`;

const HELP_WORDS = new Set(['help', '--help', '-h']);

/** The built renderer served by `labdeck serve`, next to this bundle in out/. */
function rendererDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', 'renderer');
}

/**
 * Runs one CLI invocation and returns its exit status; `serve` keeps running until a signal.
 * The command's module (and with it the services) is loaded only now, from the command table.
 * Exported for tests, which call it in-process with a captured {@link CliIo}.
 */
export async function runCli(
  argv: string[],
  io: CliIo = processIo,
  env = process.env,
): Promise<number> {
  const [word, ...rest] = argv;
  const entry = word === undefined ? undefined : findCommand(word);
  try {
    if (word === undefined || HELP_WORDS.has(word)) {
      const topic = word === 'help' && rest[0] !== undefined ? findCommand(rest[0]) : undefined;
      io.out(topic?.usage ?? USAGE);
      return 0;
    }
    if (!entry) throw new UsageError(`unknown command "${word}"`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(entry.usage);
      return 0;
    }
    const command = await entry.load();
    return await command.run(rest, { io, env, rendererDir: rendererDir() });
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      io.err(`labdeck: ${(error as Error).message}\n\n${entry?.usage ?? USAGE}`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
