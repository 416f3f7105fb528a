import { parseArgs } from 'node:util';
import type { Client } from '../../../common/contract/client';
import { gpuJson, type Gpu } from '../../../common/gpu/gpu';
import type { GpuTick } from '../../../common/gpu/gpu-sample';
import { EXIT_FAILURE, UsageError, printError, table, valueOrReport, type CliIo } from '../cli-io';

/** Usage of `labdeck gpus`. */
export const GPUS_USAGE = `Usage: labdeck gpus HOST [--json] [--watch]

  Lists the GPUs of HOST ("local" for this computer): memory, utilization, temperature, power,
  MIG mode and the processes using each, with their container and user.
  --json   Print a JSON array (stable format, see README "CLI").
  --watch  Keep showing live utilization, memory, temperature and power (1 Hz) until Ctrl+C;
           with --json, one JSON object per tick and line: {"hostId","at","gpus":[…]}.
`;

/** Clears a terminal and homes the cursor, so each tick redraws in place. */
const CLEAR_SCREEN = '\u001b[H\u001b[2J';

function tickTable(tick: GpuTick, names: ReadonlyMap<number, string>): string {
  const rows = [['GPU', 'NAME', 'UTIL', 'MEMORY', 'TEMP', 'POWER']];
  for (const g of tick.gpus) {
    rows.push([
      String(g.index),
      names.get(g.index) ?? '',
      dash(g.utilizationPct, ' %'),
      dash(g.memoryUsedMiB, ' MiB'),
      dash(g.temperatureC, ' °C'),
      dash(g.powerW, ' W'),
    ]);
  }
  return `${new Date(tick.at).toLocaleTimeString()}\n${table(rows)}`;
}

/** Follows a host's telemetry until SIGINT/SIGTERM, then stops watching. */
async function watch(
  client: Client,
  host: string,
  names: ReadonlyMap<number, string>,
  json: boolean,
  io: CliIo,
): Promise<number> {
  const clear = !json && process.stdout.isTTY === true;
  const off = client.on('gpu:sampled', (tick) => {
    if (json) io.out(`${JSON.stringify(tick)}\n`);
    else io.out(`${clear ? CLEAR_SCREEN : '\n'}${tickTable(tick, names)}`);
  });
  const watching = valueOrReport(io, await client.request('gpus:watch', { id: host }));
  if (!watching) {
    off();
    return EXIT_FAILURE;
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  off();
  await client.request('gpus:unwatch', { watchId: watching.watchId });
  return 0;
}

const dash = (value: number | string | null, unit = ''): string =>
  value === null ? '-' : `${value}${unit}`;

function who(gpu: Gpu): string {
  if (gpu.processes.length === 0) return 'free';
  return gpu.processes
    .map(
      (p) =>
        `${p.user ?? '?'}${p.container ? ` (${p.container.name ?? p.container.id.slice(0, 12)})` : ''}`,
    )
    .join(', ');
}

/** `labdeck gpus HOST`: returns the exit status. */
export async function gpusCommand(args: string[], client: Client, io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      watch: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  const [host] = positionals;
  if (!host || positionals.length > 1) throw new UsageError('gpus takes exactly one HOST');
  const inventory = valueOrReport(io, await client.request('gpus:list', { id: host }));
  if (!inventory) return EXIT_FAILURE;
  if (values.watch && !inventory.driverFailure) {
    return watch(
      client,
      host,
      new Map(inventory.gpus.map((g) => [g.index, g.name])),
      values.json,
      io,
    );
  }
  if (values.json) {
    io.out(`${JSON.stringify(inventory.gpus.map(gpuJson), null, 2)}\n`);
  } else if (inventory.gpus.length > 0) {
    const rows = [['GPU', 'NAME', 'MEMORY', 'UTIL', 'TEMP', 'POWER', 'USED BY']];
    for (const g of inventory.gpus) {
      rows.push([
        String(g.index),
        g.name,
        `${dash(g.memoryUsedMiB)} / ${dash(g.memoryTotalMiB)} MiB`,
        dash(g.utilizationPct, ' %'),
        dash(g.temperatureC, ' °C'),
        dash(g.powerW, ' W'),
        who(g),
      ]);
    }
    io.out(table(rows));
  } else if (!inventory.driverFailure) {
    io.out(`${host} has no NVIDIA GPUs.\n`);
  }
  if (inventory.driverFailure) {
    printError(io, inventory.driverFailure);
    return EXIT_FAILURE;
  }
  return 0;
}
