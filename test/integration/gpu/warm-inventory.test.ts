import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GpuInventory } from '../../../common/gpu/gpu';
import { gpuInventory, type InventorySources } from '../../../agent-bundle/gpu/gpu-inventory';
import {
  COMPUTE_APPS_FIELDS,
  computeAppsArgv,
  GPU_QUERY_FIELDS,
  gpuListArgv,
  gpuQueryArgv,
  telemetryArgv,
} from '../../../agent-bundle/gpu/nvidia-smi-query';
import { TelemetryLineParser, type TelemetryTick } from '../../../agent-bundle/gpu/telemetry-lines';
import { WarmInventory } from '../../../agent-bundle/gpu/warm-inventory';
import {
  installFakeNvidiaSmi,
  readFakeNvidiaSmiLog,
  readNvidiaSmiCapture,
  selectCaptureColumns,
} from '../../harness/fake-nvidia-smi';
import { until } from '../../harness/wait';

/** Which of LabDeck's command lines an argv is. */
function kind(argv: readonly string[]): string {
  const same = (other: readonly string[]) =>
    argv.length === other.length && argv.every((arg, i) => arg === other[i]);
  if (same(gpuQueryArgv())) return 'query';
  if (same(gpuListArgv())) return 'list';
  if (same(computeAppsArgv())) return 'apps';
  if (argv.includes('-lms')) return 'telemetry';
  return 'other';
}

/** A real `nvidia-smi -lms` loop feeding `warm`, wired as agent-bundle/gpu/gpu-methods.ts does. */
interface RunningLoop {
  readonly pid: number;
  readonly ticks: TelemetryTick[];
  nextTick(): Promise<TelemetryTick>;
  stop(): void;
}

function runLoop(warm: WarmInventory, program: string, intervalMs: number): RunningLoop {
  const feed = warm.startLoop(intervalMs);
  const child = spawn(program, [...telemetryArgv(intervalMs)], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const parser = new TelemetryLineParser({ intervalMs, learnGpuCount: true });
  const ticks: TelemetryTick[] = [];
  const waiting: ((tick: TelemetryTick) => void)[] = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    for (const tick of parser.push(chunk)) {
      if (!tick.ok) throw new Error(tick.error.message);
      feed.tick(tick.value);
      ticks.push(tick.value);
      for (const resolve of waiting.splice(0)) resolve(tick.value);
    }
  });
  return {
    pid: child.pid ?? 0,
    ticks,
    nextTick: () => new Promise((resolve) => waiting.push(resolve)),
    stop: () => {
      feed.stop();
      child.kill('SIGCONT');
      child.kill('SIGTERM');
    },
  };
}

/** The inventory without the moment it was taken, to compare readings. */
function readings(inventory: GpuInventory): Omit<GpuInventory, 'capturedAt'> {
  const { capturedAt: _, ...rest } = inventory;
  return rest;
}

describe('warm GPU inventory beside a telemetry loop (replaying fake nvidia-smi)', () => {
  let dir: string;
  let log: string;
  let sources: InventorySources;
  const loops: RunningLoop[] = [];
  const kindsSince = async (count: number) =>
    (await readFakeNvidiaSmiLog(log)).slice(count).map((entry) => kind(entry.argv));
  const logLength = async () => (await readFakeNvidiaSmiLog(log)).length;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labdeck-warm-inventory-'));
    log = join(dir, 'invocations.jsonl');
    const bin = join(dir, 'bin');
    const program = await installFakeNvidiaSmi(
      bin,
      {
        gpus: selectCaptureColumns(
          await readNvidiaSmiCapture('query-gpu-csv-allfields-h100-mig.txt'),
          GPU_QUERY_FIELDS,
        ),
        list: await readNvidiaSmiCapture('L-mig-h100.txt'),
        apps: selectCaptureColumns(
          await readNvidiaSmiCapture('query-compute-apps-csv-h100-mig.txt'),
          COMPUTE_APPS_FIELDS,
        ),
      },
      { invocationLog: log },
    );
    // An empty /proc and no Docker: owners are null, the same for every read.
    await mkdir(join(dir, 'proc'));
    sources = {
      nvidiaSmi: program,
      procRoot: join(dir, 'proc'),
      dockerSocket: join(dir, 'no-docker.sock'),
    };
  });
  afterEach(() => {
    for (const loop of loops.splice(0)) loop.stop();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('with no telemetry loop, spawns the GPU and compute-apps queries as before', async () => {
    const warm = new WarmInventory(sources);
    const before = await logLength();
    const inventory = await warm.inventory();
    expect(await kindsSince(before)).toEqual(expect.arrayContaining(['query', 'apps']));
    expect(readings(inventory)).toEqual(readings(await gpuInventory(sources)));
  });

  it('reads the static facts afresh (GPU query and -L) when a loop starts', async () => {
    const warm = new WarmInventory(sources);
    await warm.inventory(); // -L is now cached for 30 s by the spawned path
    const before = await logLength();
    loops.push(runLoop(warm, sources.nvidiaSmi, 1000));
    const started = await until('three nvidia-smi starts', async () => {
      const kinds = await kindsSince(before);
      return kinds.length >= 3 ? kinds : undefined;
    });
    expect(started.sort()).toEqual(['list', 'query', 'telemetry']);
  });

  it("while the loop runs, a request spawns nothing and returns the latest tick's values", async () => {
    const warm = new WarmInventory(sources);
    const loop = runLoop(warm, sources.nvidiaSmi, 1000);
    loops.push(loop);
    await loop.nextTick();
    await warm.inventory(); // someone asks: the loop samples compute apps on its next ticks
    await loop.nextTick();
    await sleep(600); // that tick's compute-apps sample has finished; the next is 400 ms away
    const before = await logLength();
    const inventory = await warm.inventory();
    expect(await kindsSince(before)).toEqual([]);
    const latest = loop.ticks.at(-1);
    expect(inventory.capturedAt).toBe(new Date(latest?.at ?? 0).toISOString());
    expect(inventory.gpus.map((gpu) => [gpu.uuid, gpu.memoryUsedMiB, gpu.powerW])).toEqual(
      latest?.gpus.map((gpu) => [gpu.uuid, gpu.memoryUsedMiB, gpu.powerW]),
    );
    // Every value, processes and MIG devices included, is what a spawned query gives.
    const spawned = await gpuInventory(sources);
    expect(spawned.gpus[0]?.processes).toHaveLength(3);
    expect(readings(inventory)).toEqual(readings(spawned));
  });

  it('falls back to a spawn once the latest tick is more than two periods old', async () => {
    const warm = new WarmInventory(sources);
    const loop = runLoop(warm, sources.nvidiaSmi, 300);
    loops.push(loop);
    await loop.nextTick();
    await warm.inventory();
    process.kill(loop.pid, 'SIGSTOP'); // the loop hangs, as with a stuck driver
    const stoppedAt = loop.ticks.at(-1)?.at ?? 0;
    await sleep(900);
    const before = await logLength();
    const inventory = await warm.inventory();
    expect(await kindsSince(before)).toEqual(expect.arrayContaining(['query', 'apps']));
    expect(Date.parse(inventory.capturedAt)).toBeGreaterThan(stoppedAt + 600);
  });

  it('spawns and keeps the new facts when the GPUs of a tick differ from them', async () => {
    const warm = new WarmInventory(sources);
    const feed = warm.startLoop(1000);
    const facts = await warm.inventory(); // waits for the facts the loop start reads
    const gpu = { index: 0, memoryUsedMiB: 1, utilizationPct: 2, temperatureC: 3, powerW: 4 };
    feed.tick({
      at: Date.now(),
      gpus: [{ ...gpu, uuid: 'GPU-11111111-2222-3333-4444-555555555555' }],
    });
    let before = await logLength();
    await warm.inventory();
    expect(await kindsSince(before)).toContain('query');
    // The host's real GPU again: served from the tick and the facts the spawn kept.
    feed.tick({ at: Date.now(), gpus: [{ ...gpu, uuid: facts.gpus[0]?.uuid ?? '' }] });
    before = await logLength();
    const inventory = await warm.inventory();
    // (A compute-apps sample may start on that tick: someone has been asking.)
    expect(await kindsSince(before)).not.toEqual(expect.arrayContaining(['query']));
    expect(inventory.gpus[0]).toMatchObject({ ...gpu, name: facts.gpus[0]?.name });
    feed.stop();
  });
});
