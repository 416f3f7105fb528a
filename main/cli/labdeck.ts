import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import packageJson from '../../package.json';
import { createClient } from '../../common/contract/client';
import { createInProcessTransport } from '../bridge/in-process-transport';
import { MemorySecretStore } from '../secrets/secret-store';
import { createServices } from '../services';
import { labdeckHome } from '../settings/home-dir';
import { EXIT_USAGE, UsageError, processIo, type CliIo } from './cli-io';
import { HOST_USAGE, hostCommand } from './commands/host';
import { GPUS_USAGE, gpusCommand } from './commands/gpus';
import { SERVE_USAGE, serveCommand } from './commands/serve';
import { terminalPrompt } from './terminal-prompt';

/** Top-level help of `labdeck`. */
export const USAGE = `labdeck — LabDeck from the shell: a lab's GPU workstations, hosts and sessions.

Usage: labdeck <command> [options]

Commands:
  host ls [--json]               List hosts, their connection and Docker state.
  host add NAME --ssh USER@HOST[:PORT] [--identity PATH] [--jump HOPS]
  host import-ssh-config [--file PATH]
  host connect NAME | host rm NAME
  gpus HOST [--json]             GPUs of a host ("local" for this computer) and who uses them.
  serve [--port N] [--host A]    Open LabDeck in a browser (browser mode).
  version [--json]               Print LabDeck's version.
  help [command]                 Show help for a command.

Settings live in $LABDECK_HOME (default: your OS config folder, shared with the desktop app).
Exit status: 0 success, 1 a request failed, 2 the command was mistyped.
`;

const HELP: Readonly<Record<string, string>> = {
  host: HOST_USAGE,
  serve: SERVE_USAGE,
  gpus: GPUS_USAGE,
};

/** The built renderer served by `labdeck serve`, next to this bundle in out/. */
function rendererDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', 'renderer');
}

/**
 * Runs one CLI invocation and returns its exit status; `serve` keeps running until a signal.
 * Exported for tests, which call it in-process with a captured {@link CliIo}.
 */
export async function runCli(
  argv: string[],
  io: CliIo = processIo,
  env = process.env,
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      const topic = command === 'help' ? rest[0] : undefined;
      io.out(topic && HELP[topic] ? HELP[topic] : USAGE);
      return 0;
    }
    if (command === 'version' || command === '--version') {
      io.out(
        rest.includes('--json')
          ? `${JSON.stringify({ version: packageJson.version })}\n`
          : `labdeck ${packageJson.version}\n`,
      );
      return 0;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(HELP[command] ?? USAGE);
      return 0;
    }
    if (command !== 'host' && command !== 'serve' && command !== 'gpus') {
      throw new UsageError(`unknown command "${command}"`);
    }

    const mode = command === 'serve' ? 'browser' : 'cli';
    const services = createServices({
      home: labdeckHome(env),
      mode,
      secrets: new MemorySecretStore(),
      env,
      ...(mode === 'cli' ? { prompt: terminalPrompt() } : {}),
    });
    services.events.on('app:notice-raised', (notice) => {
      io.err(`${notice.level}: ${notice.message}\n${notice.hint ? `hint: ${notice.hint}\n` : ''}`);
    });
    await services.settings.read(); // repairs or migrates the file first, reporting it on stderr
    if (command === 'serve') {
      const { code, server } = await serveCommand(rest, services, rendererDir(), io);
      if (server) await untilSignal(() => server.close().then(() => services.dispose()));
      return code;
    }
    const { transport, close } = createInProcessTransport(services, 'cli');
    try {
      const client = createClient(transport);
      return command === 'gpus'
        ? await gpusCommand(rest, client, io)
        : await hostCommand(rest, client, io, services);
    } finally {
      close();
      await services.dispose();
    }
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      io.err(`labdeck: ${(error as Error).message}\n\n${HELP[command ?? ''] ?? USAGE}`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

function untilSignal(stop: () => Promise<void>): Promise<void> {
  return new Promise((resolveStop) => {
    const onSignal = (): void => void stop().then(resolveStop);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}
