import type { RunMode } from '../../common/app/app-info';
import { createClient, type Client } from '../../common/contract/client';
import { terminalSafe } from '../../common/text/terminal-safe';
import type { Services } from '../services';
import { labdeckHome } from '../settings/home-dir';
import type { CommandContext } from './commands/command-table';

/**
 * Starts LabDeck's services for a command. They are imported only now (they pull in ssh2,
 * dockerode and zod), so a command answered by a running LabDeck loads none of them. Notices go
 * to stderr; the settings file is read first, so a repair or migration is reported before
 * anything else.
 */
export async function startCliServices(
  { io, env, target }: CommandContext,
  mode: Extract<RunMode, 'cli' | 'browser'>,
): Promise<Services> {
  const [{ createServices }, { MemorySecretStore }, { terminalPrompt }] = await Promise.all([
    import('../services'),
    import('../secrets/secret-store'),
    import('./terminal-prompt'),
  ]);
  const services = createServices({
    home: labdeckHome(env),
    mode,
    secrets: new MemorySecretStore(),
    env,
    ...(mode === 'cli' ? { prompt: terminalPrompt(undefined, target) } : {}),
  });
  services.events.on('app:notice-raised', (notice) => {
    io.err(`${notice.level}: ${notice.message}\n${notice.hint ? `hint: ${notice.hint}\n` : ''}`);
  });
  await services.settings.read();
  return services;
}

/** How a command wants its client. */
export interface CliClientOptions {
  /**
   * Whether a running LabDeck (the desktop app or `labdeck serve` for the same settings folder)
   * may answer instead of in-process services; default true. LABDECK_NO_APP=1 forces false.
   */
  readonly app?: boolean;
  /**
   * The command shows connection states (`host ls`): when a LabDeck seems to run but did not
   * answer, say on stderr that the states shown are this command's own, not that LabDeck's.
   */
  readonly showsConnections?: boolean;
}

/**
 * Runs `use` with a typed client, then closes it whatever happened. When a LabDeck for the same
 * settings folder is running, the client talks to it over its local socket (main/local-socket),
 * so its open SSH connections answer and nothing connects anew; `services` is then undefined.
 * Otherwise (none running, no answer in time, another version, an unsafe socket) the services
 * start in this process behind the in-process bridge, with the same checks as a window's.
 * LABDECK_DEBUG=1 says on stderr which one answered.
 */
export async function withCliClient(
  context: CommandContext,
  use: (client: Client, services: Services | undefined) => Promise<number>,
  options: CliClientOptions = {},
): Promise<number> {
  const { env, io } = context;
  const debug = (line: string): void => {
    if (env.LABDECK_DEBUG === '1') io.err(`labdeck: ${line}\n`);
  };
  if (options.app !== false && env.LABDECK_NO_APP !== '1') {
    const { reachRunningApp } = await import('../local-socket/local-socket-client');
    const reached = await reachRunningApp(labdeckHome(env), env);
    if (reached.ok) {
      debug(`via running LabDeck (${reached.connection.path})`);
      const client = createClient(reached.connection.transport);
      // Questions (host key, password) are asked where they always are: in the running
      // LabDeck's window or browser tab. The CLI says so and waits for the answer there.
      client.on('prompt:requested', ({ request }) => {
        const host = context.target ?? request.host;
        io.err(
          terminalSafe(
            `labdeck: ${host} needs an answer (${request.kind}): answer the question in the LabDeck window.\n`,
          ),
        );
      });
      try {
        return await use(client, undefined);
      } finally {
        reached.connection.close();
      }
    }
    debug(`in-process (${reached.reason})`);
    if (reached.appSeen && options.showsConnections)
      io.err(
        `labdeck: note: a running LabDeck was not used (${reached.reason}), so the connections shown are this command's own, not the ones LabDeck holds.\n`,
      );
  }
  const services = await startCliServices(context, 'cli');
  const { createInProcessTransport } = await import('../bridge/in-process-transport');
  const { transport, close } = createInProcessTransport(services, 'cli');
  try {
    return await use(createClient(transport), services);
  } finally {
    close();
    await services.dispose();
  }
}
