import type { Client } from '../../../common/contract/client';
import type { AppError } from '../../../common/contract/result';
import { shareText } from '../../../common/gpu/gpu-availability';
import { labGpuJson } from '../../../common/gpu/gpu-json';
import { gibUsedOfTotal } from '../../../common/gpu/gpu-memory';
import type { GpuInventory } from '../../../common/gpu/gpu';
import type { GpuSample } from '../../../common/gpu/gpu-sample';
import { labGpuRows, sortLabGpuRows, type LabGpuRow } from '../../../common/gpu/lab-gpus';
import type { HostSummary } from '../../../common/hosts/host-summary';
import {
  CLEAR_SCREEN,
  dash,
  EXIT_FAILURE,
  jsonText,
  printError,
  table,
  type CliIo,
} from '../cli-io';

/** `--watch` redraws once a second, the telemetry's own period. */
const REDRAW_INTERVAL_MS = 1_000;

/** `--watch` asks each host for its processes again this often; telemetry has no processes. */
const PROCESS_REFRESH_MS = 10_000;

/** The connection phases in which a host answers at once, without connecting anew. */
const ANSWERING_PHASES: ReadonlySet<string> = new Set(['connected', 'stalled']);

/** One host of the table and what it said. */
interface HostGpus {
  readonly host: HostSummary;
  inventory: GpuInventory | null;
  readonly latest: Map<string, GpuSample>;
}

/** The text table: one row per GPU, memory in GiB, who uses it, its free share. */
export function labTable(rows: readonly LabGpuRow[]): string {
  const lines = [['HOST', 'GPU', 'MODEL', 'MEMORY', 'UTIL', 'TEMP', 'FREE', 'USED BY']];
  for (const row of rows) {
    lines.push([
      row.hostName,
      String(row.gpu.index),
      row.gpu.name,
      gibUsedOfTotal(row.memoryUsedMiB, row.gpu.memoryTotalMiB, '-'),
      dash(row.utilizationPct, ' %'),
      dash(row.temperatureC, ' °C'),
      row.freeTenths === null ? '-' : shareText(row.freeTenths),
      row.usedBy,
    ]);
  }
  return table(lines);
}

/**
 * The hosts `--all` asks. Through a running LabDeck, those it holds connected (asking another
 * would connect it in the window); in-process nothing is connected yet, so every host, each
 * connected for this command as `gpus HOST` would.
 */
function hostsToAsk(hosts: readonly HostSummary[], throughApp: boolean): HostSummary[] {
  return throughApp
    ? hosts.filter((h) => h.kind === 'local' || ANSWERING_PHASES.has(h.connection.phase))
    : [...hosts];
}

/** Asks every host for its GPUs at once; failures are printed per host and counted. */
async function loadAll(client: Client, hosts: readonly HostGpus[], io: CliIo): Promise<number> {
  const results = await Promise.all(
    hosts.map((h) => client.request('gpus:list', { hostId: h.host.id })),
  );
  let failed = 0;
  results.forEach((result, i) => {
    const entry = hosts[i];
    if (!entry) return;
    const error: AppError | null = result.ok
      ? result.value.driverFailure && result.value.gpus.length === 0
        ? result.value.driverFailure
        : null
      : result.error;
    if (result.ok) entry.inventory = result.value;
    if (error && error.code !== 'gpu-nvidia-smi-not-found') {
      failed += 1;
      io.err(`${entry.host.name}:\n`);
      printError(io, error);
    }
  });
  return failed;
}

function rowsOf(hosts: readonly HostGpus[]): LabGpuRow[] {
  const known = hosts.flatMap((h) =>
    h.inventory === null
      ? []
      : [
          {
            hostId: h.host.id,
            hostName: h.host.name,
            inventory: h.inventory,
            latest: (uuid: string) => h.latest.get(uuid) ?? null,
          },
        ],
  );
  return sortLabGpuRows(labGpuRows(known), 'host');
}

function print(rows: readonly LabGpuRow[], json: boolean, io: CliIo): void {
  if (json) io.out(`${jsonText(rows.map(labGpuJson), 2)}\n`);
  else if (rows.length > 0) io.out(labTable(rows));
  else io.out('No GPU on any connected host.\n');
}

/**
 * `labdeck gpus --all [--json] [--watch]`: every GPU of every connected host, one row each.
 * Exit 1 when a host could not be asked (its error goes to stderr; the others are still shown).
 */
export async function gpusAll(
  client: Client,
  options: { readonly json: boolean; readonly watch: boolean; readonly throughApp: boolean },
  io: CliIo,
): Promise<number> {
  const listed = await client.request('hosts:list', {});
  if (!listed.ok) {
    printError(io, listed.error);
    return EXIT_FAILURE;
  }
  const hosts: HostGpus[] = hostsToAsk(listed.value, options.throughApp).map((host) => ({
    host,
    inventory: null,
    latest: new Map(),
  }));
  const failed = await loadAll(client, hosts, io);
  if (!options.watch) {
    print(rowsOf(hosts), options.json, io);
    return failed > 0 ? EXIT_FAILURE : 0;
  }
  return watchAll(client, hosts, options.json, io);
}

/**
 * Keeps the table live until SIGINT/SIGTERM: each host's `gpus:telemetry` feeds its measures,
 * the processes are asked again every {@link PROCESS_REFRESH_MS}, and the table is redrawn once
 * a second (with --json: one `{"at","gpus":[…]}` line per second).
 */
async function watchAll(
  client: Client,
  hosts: readonly HostGpus[],
  json: boolean,
  io: CliIo,
): Promise<number> {
  const clear = !json && process.stdout.isTTY === true;
  const unlisten = hosts
    .filter((h) => h.inventory !== null && h.inventory.gpus.length > 0)
    .map((h) =>
      client.listen(
        'gpus:telemetry',
        { hostId: h.host.id },
        {
          event: (tick) => tick.gpus.forEach((sample) => h.latest.set(sample.uuid, sample)),
          end: (error) => {
            if (error) {
              io.err(`${h.host.name}: live telemetry ended\n`);
              printError(io, error);
            }
          },
        },
      ),
    );
  const redraw = (): void => {
    const rows = rowsOf(hosts);
    if (json) io.out(`${jsonText({ at: Date.now(), gpus: rows.map(labGpuJson) })}\n`);
    else
      io.out(`${clear ? CLEAR_SCREEN : '\n'}${new Date().toLocaleTimeString()}\n${labTable(rows)}`);
  };
  const redraws = setInterval(redraw, REDRAW_INTERVAL_MS);
  const refreshes = setInterval(() => void loadAll(client, hosts, io), PROCESS_REFRESH_MS);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(redraws);
  clearInterval(refreshes);
  unlisten.forEach((off) => off());
  return 0;
}
