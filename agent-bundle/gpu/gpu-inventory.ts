import { execFile } from 'node:child_process';
import type { GpuDriverFailure, GpuInventory, GpuProcess } from '../../common/gpu/gpu';
import type { AppError } from '../../common/contract/result';
import { containerInfo } from '../docker/container-names';
import { classifyDriverFailure, type NvidiaSmiRun } from './classify-driver-failure';
import { computeAppsArgv, gpuListArgv, gpuQueryArgv } from './nvidia-smi-query';
import { parseComputeApps } from './parse-compute-apps';
import { parseGpuCsv } from './parse-gpu-csv';
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

/**
 * The host's GPUs: one `--query-gpu` run for the devices, `-L` for MIG devices, and
 * `--query-compute-apps` for processes, each mapped to its container and user through
 * /proc/<pid>/cgroup and Docker. A driver failure is a value in the result, never a throw.
 */
export async function gpuInventory(sources: InventorySources): Promise<GpuInventory> {
  const capturedAt = new Date().toISOString();
  // The queries run at once: a refresh costs one nvidia-smi start, not several in a row.
  const [query, list, apps] = await Promise.all([
    runNvidiaSmi(sources.nvidiaSmi, gpuQueryArgv()),
    migLayout(sources.nvidiaSmi),
    runNvidiaSmi(sources.nvidiaSmi, computeAppsArgv()),
  ]);
  const queryFailure = classifyDriverFailure(query);
  const rows = query.exitCode === 0 ? parseGpuCsv(query.stdout) : undefined;
  if (!rows?.ok) {
    const failure =
      queryFailure ??
      (rows && !rows.ok
        ? asFailure(rows.error)
        : asFailure({ code: 'gpu-nvidia-smi-failed', message: 'nvidia-smi failed.' }));
    return { gpus: [], driverFailure: failure, capturedAt };
  }
  const listed = list.exitCode === 0 ? parseGpuList(list.stdout) : undefined;
  const migByUuid = new Map(
    listed?.ok ? listed.value.map((g) => [g.uuid, g.migDevices] as const) : [],
  );
  const parsedApps = apps.exitCode === 0 ? parseComputeApps(apps.stdout) : undefined;
  const processes = parsedApps?.ok ? parsedApps.value : [];
  const owners = await readProcessOwners(
    processes.map((p) => p.pid),
    sources.procRoot ? { procRoot: sources.procRoot } : {},
  );
  const containerIds = [...owners.values()]
    .map((o) => o.containerId)
    .filter((id): id is string => id !== null);
  const containers = await containerInfo(containerIds, sources.dockerSocket);
  const gpus = rows.value.map((row) => ({
    ...row,
    migDevices: [...(migByUuid.get(row.uuid) ?? [])],
    processes: processes
      .filter((p) => p.gpuUuid === row.uuid)
      .map((p): GpuProcess => {
        const owner = owners.get(p.pid);
        const container = owner?.containerId
          ? { id: owner.containerId, name: containers.get(owner.containerId)?.name ?? null }
          : null;
        const labdeckUser = owner?.containerId
          ? containers.get(owner.containerId)?.labdeckUser
          : null;
        return {
          pid: p.pid,
          usedMemoryMiB: p.usedMemoryMiB,
          container,
          user: labdeckUser ?? owner?.user ?? null,
          command: p.processName,
        };
      }),
  }));
  const appsFailure = parsedApps && !parsedApps.ok ? asFailure(parsedApps.error) : null;
  return { gpus, driverFailure: queryFailure ?? appsFailure, capturedAt };
}
