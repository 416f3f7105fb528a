import {
  NonLoopbackRefused,
  startBrowserServer,
  type BrowserServer,
} from '../../server/browser-server';
import { keepServingOnUnexpectedErrors } from '../../diag/unexpected-errors';
import type { Services } from '../../services';
import { labdeckHome } from '../../settings/home-dir';
import type { ParsedArgs } from '../cli-args';
import { EXIT_FAILURE, UsageError, printError, type CliIo } from '../cli-io';
import { startCliServices } from '../cli-services';
import type { CommandContext } from './command-table';

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535 (got "${text}")`);
  }
  return port;
}

/**
 * `labdeck serve`: browser mode. Resolves once the server is listening; `whenStopped` settles
 * when SIGINT/SIGTERM closes it.
 */
export async function serveCommand(
  args: ParsedArgs,
  services: Services,
  rendererDir: string,
  io: CliIo,
): Promise<{ code: number; server?: BrowserServer }> {
  const portText = args.values.get('port');
  const host = args.values.get('host');
  const port =
    portText === undefined ? (await services.settings.read()).serve.port : parsePort(portText);
  let server: BrowserServer;
  try {
    server = await startBrowserServer({
      services,
      rendererDir,
      host: host ?? '127.0.0.1',
      port,
      allowNonLoopback: host !== undefined,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof NonLoopbackRefused) {
      printError(io, { code: 'serve-non-loopback', message: error.message });
    } else if (code === 'EADDRINUSE') {
      printError(io, {
        code: 'serve-port-in-use',
        message: `Port ${port} is already in use (is another \`labdeck serve\` running?).`,
        hint: 'Pass --port with another number, or --port 0 to take any free port.',
      });
    } else {
      throw error;
    }
    return { code: EXIT_FAILURE };
  }
  keepServingOnUnexpectedErrors((line) => io.err(`${line}\n`));
  io.out(`LabDeck is running in browser mode.\n\n  Open: ${server.url}\n\n`);
  io.out(
    'The part after #token= is the key to this run: share it with no one. Each browser tab keeps\n' +
      'it for itself (not in a cookie), so open this URL again for a new tab.\n',
  );
  io.out(
    'Secrets you ask LabDeck to remember are kept only while this server runs (no OS keychain here).\n',
  );
  io.out('Press Ctrl+C to stop.\n');
  return { code: 0, server };
}

function untilSignal(stop: () => Promise<void>): Promise<void> {
  return new Promise((resolveStop) => {
    const onSignal = (): void => void stop().then(resolveStop);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}

/**
 * `labdeck serve` as the command table runs it: serves the browser and, on the local socket, the
 * CLI, until SIGINT/SIGTERM.
 */
export async function run(_args: string[], context: CommandContext): Promise<number> {
  const services = await startCliServices(context, 'browser');
  const started = await serveCommand(
    context.parsed,
    services,
    context.rendererDir,
    context.io,
  ).catch(async (error: unknown) => {
    await services.dispose();
    throw error;
  });
  const { server } = started;
  if (!server) {
    await services.dispose();
    return started.code;
  }
  // CLIs of this user and settings folder reuse these services and connections (issue 7).
  const { startLocalSocketServer } = await import('../../local-socket/local-socket-server');
  const local = await startLocalSocketServer({
    services,
    home: labdeckHome(context.env),
    env: context.env,
    warn: (line) => context.io.err(`${line}\n`),
  });
  await untilSignal(async () => {
    await local?.close();
    await server.close();
    await services.dispose();
  });
  return started.code;
}
