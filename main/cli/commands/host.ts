import { parseArgs } from 'node:util';
import type { Client } from '../../../common/contract/client';
import type { HostSummary } from '../../../common/hosts/host-summary';
import { EXIT_FAILURE, UsageError, table, valueOrReport, type CliIo } from '../cli-io';

/** Usage of the `host` command group. */
export const HOST_USAGE = `Usage: labdeck host ls [--json]

  ls        List hosts with their Docker state ("This computer" first).
  --json    Print a JSON array (stable format, see README "CLI").
`;

/**
 * The stable `--json` shape of one host: every key always present, null where unknown, so
 * scripts can rely on it. Documented in the README; change only by adding keys.
 */
export function hostJson(host: HostSummary): Record<string, unknown> {
  return {
    id: host.id,
    name: host.name,
    kind: host.kind,
    address: host.address,
    docker: {
      state: host.docker.state,
      version: host.docker.version,
      socket: host.docker.socket,
      message: host.docker.message,
      hint: host.docker.hint ?? null,
      checkedAt: host.docker.checkedAt,
    },
  };
}

const DOCKER_LABELS: Readonly<Record<HostSummary['docker']['state'], string>> = {
  reachable: 'reachable',
  'not-installed': 'not installed',
  'daemon-not-running': 'daemon not running',
  'permission-denied': 'permission denied',
  error: 'error',
};

/** `labdeck host …`: returns the exit status. */
export async function hostCommand(args: string[], client: Client, io: CliIo): Promise<number> {
  const [verb, ...rest] = args;
  if (verb !== 'ls')
    throw new UsageError(verb ? `unknown host command "${verb}"` : 'missing host command');
  const { values } = parseArgs({
    args: rest,
    options: { json: { type: 'boolean', default: false } },
    strict: true,
  });
  const hosts = valueOrReport(io, await client.request('hosts:list', {}));
  if (!hosts) return EXIT_FAILURE;
  if (values.json) {
    io.out(`${JSON.stringify(hosts.map(hostJson), null, 2)}\n`);
    return 0;
  }
  const rows = [['NAME', 'KIND', 'ADDRESS', 'DOCKER']];
  for (const h of hosts) {
    const docker =
      DOCKER_LABELS[h.docker.state] + (h.docker.version ? ` (${h.docker.version})` : '');
    rows.push([h.name, h.kind, h.address ?? '-', docker]);
  }
  io.out(table(rows));
  for (const h of hosts.filter((x) => x.docker.hint))
    io.out(`\n${h.name}: ${h.docker.message}\n  fix: ${h.docker.hint}\n`);
  return 0;
}
