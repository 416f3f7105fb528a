import type { RunMode } from '../../common/app/app-info';
import { createClient, type Client } from '../../common/contract/client';
import { createInProcessTransport } from '../bridge/in-process-transport';
import { MemorySecretStore } from '../secrets/secret-store';
import { createServices, type Services } from '../services';
import { labdeckHome } from '../settings/home-dir';
import type { CommandContext } from './commands/command-table';
import { terminalPrompt } from './terminal-prompt';

/**
 * Starts LabDeck's services for a command (this module is what pulls in ssh2, dockerode and zod,
 * so only commands that need them import it). Notices go to stderr; the settings file is read
 * first, so a repair or migration is reported before anything else.
 */
export async function startCliServices(
  { io, env }: CommandContext,
  mode: Extract<RunMode, 'cli' | 'browser'>,
): Promise<Services> {
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
  await services.settings.read();
  return services;
}

/**
 * Runs `use` with a typed client over the in-process bridge (the same checks as a window's), then
 * closes the client and the services whatever happened.
 */
export async function withCliClient(
  context: CommandContext,
  use: (client: Client, services: Services) => Promise<number>,
): Promise<number> {
  const services = await startCliServices(context, 'cli');
  const { transport, close } = createInProcessTransport(services, 'cli');
  try {
    return await use(createClient(transport), services);
  } finally {
    close();
    await services.dispose();
  }
}
