import { parseArgs } from 'node:util';
import {
  NonLoopbackRefused,
  startBrowserServer,
  type BrowserServer,
} from '../../server/browser-server';
import { keepServingOnUnexpectedErrors } from '../../diag/unexpected-errors';
import type { Services } from '../../services';
import { EXIT_FAILURE, UsageError, printError, type CliIo } from '../cli-io';

/** Usage of `labdeck serve`. */
export const SERVE_USAGE = `Usage: labdeck serve [--port N] [--host ADDRESS]

  Serves the LabDeck window to a browser on this computer and prints its URL, which ends in
  #token=… : the key of this run. The tab keeps the token to itself (no cookie), so open the
  printed URL again for a new tab or window.
  --port N        Port to listen on (default: settings serve.port, 4780; 0 = any free port).
  --host ADDRESS  Address to bind (default 127.0.0.1). A non-loopback address is allowed only
                  when given here explicitly; anyone who can reach it and has the token gets in.
`;

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
  args: string[],
  services: Services,
  rendererDir: string,
  io: CliIo,
): Promise<{ code: number; server?: BrowserServer }> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, host: { type: 'string' } },
    strict: true,
  });
  const port =
    values.port === undefined
      ? (await services.settings.read()).serve.port
      : parsePort(values.port);
  let server: BrowserServer;
  try {
    server = await startBrowserServer({
      services,
      rendererDir,
      host: values.host ?? '127.0.0.1',
      port,
      allowNonLoopback: values.host !== undefined,
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
