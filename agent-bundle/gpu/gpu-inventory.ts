import { execFile } from 'node:child_process';
import type { GpuDriverFailure, GpuInventory, GpuProcess, MigDevice } from '../../common/gpu/gpu';
import type { AppError } from '../../common/contract/result';
import { containerInfo } from '../docker/container-names';
import { classifyDriverFailure, type NvidiaSmiRun } from './classify-driver-failure';
import { computeAppsArgv, gpuListArgv, gpuQueryArgv } from './nvidia-smi-query';
import { parseComputeApps } from './parse-compute-apps';
import { type GpuRow, parseGpuCsv } from './parse-gpu-csv';
import { parseGpuList } from './parse-gpu-list';
import { readProcessOwners } from './process-owner';

/** One nvidia-smi query must answer within this; a hung driver must not hang the agent. */
const NVIDIA_SMI_TIMEOUT_MS = 15_000;

/** Where the inventory looks; tests and hosts with nvidia-smi off PATH override these. */
export interface InventorySources {
  readonly nvidiaSmi: string;
  readonly procRoot?: string;
  readonly dockerSocket?: string;
}

/** Runs nvidia-smi once (argv only, no shell) and reports how it ended; never throws. */
export function runNvidiaSmi(program: string, argv: readonly string[]): Promise<NvidiaSmiRun> {
  return new Promise((resolve) => {
    execFile(
      program,
      [...argv],
      { timeout: NVIDIA_SMI_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const failure = error as (NodeJS.ErrnoException & { code?: string | number }) | null;
        resolve({
          exitCode: failure ? (typeof failure.code === 'number' ? failure.code : null) : 0,
          stdout,
          stderr,
          spawnErrorCode: failure && typeof failure.code === 'string' ? failure.code : null,
        });
      },
    );
  });
}

/**
 * How long the `-L` MIG layout is reused. MIG instances change only when an admin reconfigures
 * them, so re-reading the layout on every refresh would spend a third of it on a constant.
 */
const MIG_LAYOUT_MAX_AGE_MS = 30_000;
const layoutCache = new Map<string, { at: number; run: Promise<NvidiaSmiRun> }>();

/** `nvidia-smi -L`, reused for {@link MIG_LAYOUT_MAX_AGE_MS}; a failed run is never reused. */
function migLayout(program: string): Promise<NvidiaSmiRun> {
  const cached = layoutCache.get(program);
  if (cached && Date.now() - cached.at < MIG_LAYOUT_MAX_AGE_MS) return cached.run;
  const run = runNvidiaSmi(program, gpuListArgv());
  layoutCache.set(program, { at: Date.now(), run });
  void run.then((r) => r.exitCode === 0 || layoutCache.delete(program));
  return run;
}

function asFailure(error: AppError): GpuDriverFailure {
  return {
    code: error.code,
    message: error.message,
    hint: error.hint ?? 'Run `nvidia-smi` on the host to see what it prints.',
  };
}

/** Forgets the cached `-L` layout, so the next inventory reads MIG devices afresh. */
export function forgetMigLayout(program: string): void {
  layoutCache.delete(program);
}

/** A GPU process with the GPU it runs on, already mapped to its container and user. */
export interface PlacedProcess extends GpuProcess {
  readonly gpuUuid: string;
}

/** What `--query-compute-apps` said at `at` (ms since the epoch, when the query was started). */
export interface ProcessSample {
  readonly at: number;
  readonly processes: readonly PlacedProcess[];
  readonly failure: GpuDriverFailure | null;
}

/**
 * What the inventory takes as fixed while a GPU stays on the bus: the `--query-gpu` rows (their
 * name, UUID, PCI bus and memory total; the measured columns are overwritten by telemetry) and the
 * MIG layout by GPU UUID.
 */
export interface StaticGpuFacts {
  readonly rows: readonly GpuRow[];
  readonly migByUuid: ReadonlyMap<string, readonly MigDevice[]>;
  readonly queryFailure: GpuDriverFailure | null;
}

/** The facts in a `--query-gpu` and a `-L` run, or the failure that leaves no GPU to list. */
function factsOf(
  query: NvidiaSmiRun,
  list: NvidiaSmiRun,
): { readonly facts: StaticGpuFacts } | { readonly failure: GpuDriverFailure } {
  const queryFailure = classifyDriverFailure(query);
  const rows = query.exitCode === 0 ? parseGpuCsv(query.stdout) : undefined;
  if (!rows?.ok) {
    const failure =
      queryFailure ??
      (rows && !rows.ok
        ? asFailure(rows.error)
        : asFailure({ code: 'gpu-nvidia-smi-failed', message: 'nvidia-smi failed.' }));
    return { failure };
  }
  const listed = list.exitCode === 0 ? parseGpuList(list.stdout) : undefined;
  const migByUuid = new Map(
    listed?.ok ? listed.value.map((g) => [g.uuid, g.migDevices] as const) : [],
  );
  return { facts: { rows: rows.value, migByUuid, queryFailure } };
}

/** Runs `--query-gpu` and `-L` (at once) for the static facts; null when nvidia-smi fails. */
export async function readStaticFacts(sources: InventorySources): Promise<StaticGpuFacts | null> {
  const [query, list] = await Promise.all([
    runNvidiaSmi(sources.nvidiaSmi, gpuQueryArgv()),
    migLayout(sources.nvidiaSmi),
  ]);
  const read = factsOf(query, list);
  return 'facts' in read ? read.facts : null;
}

/**
 * Maps a `--query-compute-apps` run (spawned here when not given) to containers and users through
 * /proc/<pid>/cgroup and Docker. A failed run is an empty sample, as the GPU query reports why.
 */
export async function sampleProcesses(
  sources: InventorySources,
  started: { readonly at: number; readonly apps: Promise<NvidiaSmiRun> } = {
    at: Date.now(),
    apps: runNvidiaSmi(sources.nvidiaSmi, computeAppsArgv()),
  },
): Promise<ProcessSample> {
  const apps = await started.apps;
  const parsedApps = apps.exitCode === 0 ? parseComputeApps(apps.stdout) : undefined;
  const listed = parsedApps?.ok ? parsedApps.value : [];
  const owners = await readProcessOwners(
    listed.map((p) => p.pid),
    sources.procRoot ? { procRoot: sources.procRoot } : {},
  );
  const containerIds = [...owners.values()]
    .map((o) => o.containerId)
    .filter((id): id is string => id !== null);
  const containers = await containerInfo(containerIds, sources.dockerSocket);
  const processes = listed.map((p): PlacedProcess => {
    const owner = owners.get(p.pid);
    const container = owner?.containerId
      ? { id: owner.containerId, name: containers.get(owner.containerId)?.name ?? null }
      : null;
    const labdeckUser = owner?.containerId ? containers.get(owner.containerId)?.labdeckUser : null;
    return {
      gpuUuid: p.gpuUuid,
      pid: p.pid,
      usedMemoryMiB: p.usedMemoryMiB,
      container,
      user: labdeckUser ?? owner?.user ?? null,
      uid: owner?.uid ?? null,
      command: p.processName,
    };
  });
  const failure = parsedApps && !parsedApps.ok ? asFailure(parsedApps.error) : null;
  return { at: started.at, processes, failure };
}

/** The inventory made of static facts (with `rows` as measured) and a process sample. */
export function assembleInventory(
  facts: StaticGpuFacts,
  rows: readonly GpuRow[],
  sample: ProcessSample,
  capturedAt: string,
): GpuInventory {
  const gpus = rows.map((row) => ({
    ...row,
    migDevices: [...(facts.migByUuid.get(row.uuid) ?? [])],
    processes: sample.processes
      .filter((p) => p.gpuUuid === row.uuid)
      .map(({ gpuUuid: _, ...process }): GpuProcess => process),
  }));
  return { gpus, driverFailure: facts.queryFailure ?? sample.failure, capturedAt };
}

/** An inventory read by spawning nvidia-smi, with the parts a warm inventory reuses. */
export interface SpawnedInventory {
  readonly inventory: GpuInventory;
  /** Null when the GPU query failed. */
  readonly facts: StaticGpuFacts | null;
  readonly processes: ProcessSample;
}

/** {@link gpuInventory}, keeping the static facts and process sample it read. */
export async function spawnInventory(sources: InventorySources): Promise<SpawnedInventory> {
  const at = Date.now();
  const capturedAt = new Date(at).toISOString();
  // The queries run at once: a refresh costs one nvidia-smi start, not several in a row.
  const apps = runNvidiaSmi(sources.nvidiaSmi, computeAppsArgv());
  const [query, list, processes] = await Promise.all([
    runNvidiaSmi(sources.nvidiaSmi, gpuQueryArgv()),
    migLayout(sources.nvidiaSmi),
    sampleProcesses(sources, { at, apps }),
  ]);
  const read = factsOf(query, list);
  if ('failure' in read) {
    return {
      inventory: { gpus: [], driverFailure: read.failure, capturedAt },
      facts: null,
      processes,
    };
  }
  const inventory = assembleInventory(read.facts, read.facts.rows, processes, capturedAt);
  return { inventory, facts: read.facts, processes };
}

/**
 * The host's GPUs: one `--query-gpu` run for the devices, `-L` for MIG devices, and
 * `--query-compute-apps` for processes, each mapped to its container and user through
 * /proc/<pid>/cgroup and Docker. A driver failure is a value in the result, never a throw.
 */
export async function gpuInventory(sources: InventorySources): Promise<GpuInventory> {
  return (await spawnInventory(sources)).inventory;
}
