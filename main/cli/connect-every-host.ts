import type { Client } from '../../common/contract/client';
import { terminalSafe } from '../../common/text/terminal-safe';
import type { CliIo } from './cli-io';

/**
 * In-process nothing is connected yet: connects every SSH host for this command, as the running
 * LabDeck would have them, so a command that looks everywhere (`terminal ls`, `terminal attach
 * ID`) finds what is on any host. A host that cannot be reached is named on stderr and skipped.
 */
export async function connectEveryHost(client: Client, io: CliIo): Promise<void> {
  const hosts = await client.request('hosts:list', {});
  if (!hosts.ok) return;
  await Promise.all(
    hosts.value
      .filter((h) => h.kind === 'ssh')
      .map(async (h) => {
        const connected = await client.request('hosts:connect', { hostId: h.id });
        if (!connected.ok)
          io.err(terminalSafe(`labdeck: skipped ${h.name}: ${connected.error.message}\n`));
      }),
  );
}
