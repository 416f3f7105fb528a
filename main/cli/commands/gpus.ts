import { parseArgs } from 'node:util';
import type { Client } from '../../../common/contract/client';
import { availabilityText, gpuAvailability } from '../../../common/gpu/gpu-availability';
import { gpuJson } from '../../../common/gpu/gpu-json';
import { gibText, gibUsedOfTotal } from '../../../common/gpu/gpu-memory';
import type { GpuTick } from '../../../common/gpu/gpu-sample';
import {
  CLEAR_SCREEN,
  dash,
  EXIT_FAILURE,
  jsonText,
  UsageError,
  printError,
  table,
  valueOrReport,
  type CliIo,
} from '../cli-io';
import { withCliClient } from '../cli-services';
import type { CommandContext } from './command-table';

function tickTable(tick: GpuTick, names: ReadonlyMap<number, string>): string {
  const rows = [['GPU', 'NAME', 'UTIL', 'MEMORY', 'TEMP', 'POWER']];
  for (const g of tick.gpus) {
    rows.push([
      String(g.index),
      names.get(g.index) ?? '',
      dash(g.utilizationPct, ' %'),
      gibText(g.memoryUsedMiB, '-'),
      dash(g.temperatureC, ' °C'),
      dash(g.powerW, ' W'),
    ]);
  }
  return `${new Date(tick.at).toLocaleTimeString()}\n${table(rows)}`;
}

/**
 * Follows a host's telemetry (`gpus:telemetry`) until SIGINT/SIGTERM, or until the services end
 * it (exit 1 with the reason). Ticks carry the host's id, whatever name was typed.
 */
async function watch(
  client: Client,
  host: string,
  names: ReadonlyMap<number, string>,
  json: boolean,
  io: CliIo,
): Promise<number> {
  const clear = !json && process.stdout.isTTY === true;
  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => (finish = resolve));
  const onSignal = (): void => finish(0);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const unlisten = client.listen(
    'gpus:telemetry',
    { hostId: host },
    {
      event: (tick) => {
        if (json) io.out(`${jsonText(tick)}\n`);
        else io.out(`${clear ? CLEAR_SCREEN : '\n'}${tickTable(tick, names)}`);
      },
      end: (error) => {
        if (error) printError(io, error);
        finish(EXIT_FAILURE);
      },
    },
  );
  const code = await finished;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  unlisten();
  return code;
}

/**
 * `labdeck gpus HOST` and `labdeck gpus --all`: returns the exit status. `throughApp` says a
 * running LabDeck answers (so `--all` asks only the hosts it holds connected).
 */
export async function gpusCommand(
  args: string[],
  client: Client,
  io: CliIo,
  throughApp = false,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      watch: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.all) {
    if (positionals.length > 0) {
      throw new UsageError(`gpus --all takes no HOST (got "${positionals[0]}")`);
    }
    const { gpusAll } = await import('./gpus-all');
    return gpusAll(client, { json: values.json, watch: values.watch, throughApp }, io);
  }
  const [host] = positionals;
  if (!host || positionals.length > 1) {
    throw new UsageError('gpus takes exactly one HOST, or --all for every connected host');
  }
  const inventory = valueOrReport(io, await client.request('gpus:list', { hostId: host }));
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
    io.out(`${jsonText(inventory.gpus.map(gpuJson), 2)}\n`);
  } else if (inventory.gpus.length > 0) {
    const rows = [['GPU', 'NAME', 'MEMORY', 'UTIL', 'TEMP', 'POWER', 'USED BY']];
    for (const g of inventory.gpus) {
      rows.push([
        String(g.index),
        g.name,
        gibUsedOfTotal(g.memoryUsedMiB, g.memoryTotalMiB, '-'),
        dash(g.utilizationPct, ' %'),
        dash(g.temperatureC, ' °C'),
        dash(g.powerW, ' W'),
        availabilityText(gpuAvailability(g.processes, g)),
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

/** `labdeck gpus …` as the command table runs it: with the services and a client. */
export function run(args: string[], context: CommandContext): Promise<number> {
  return withCliClient(context, (client, services) =>
    gpusCommand(args, client, context.io, services === undefined),
  );
}
