import type { EnforcementTier } from '../../common/contract/sessions';
import type { SharingCapabilities } from '../../common/agent/session-agent';
import { MICRO_SHARES_PER_GPU, parseMicroShares } from '../../common/allocator-decimal';
import type { ShareableDevice } from './session-gpus';

/**
 * How strongly a session's GPU fractions are held to, and what the container needs for it
 * (DESIGN.md §4): whole GPUs are `exclusive`, MIG devices `mig`; a fraction gets CUDA MPS limits
 * when the host runs an MPS control daemon, else HAMi-core when installed, else `none` —
 * time-sharing, "shared, not enforced".
 */

/** Where HAMi-core's library is mounted in the container. */
const HAMI_CONTAINER_LIBRARY = '/usr/local/vgpu/libvgpu.so';
/** HAMi-core's usage cache, inside the container's own /tmp: per container, so per session. */
const HAMI_SHARED_CACHE = '/tmp/labdeck-vgpu.cache';

/** What a tier adds to the container. */
export interface EnforcementConfig {
  readonly tier: EnforcementTier | null;
  readonly env: readonly string[];
  /** Docker bind mounts, `host:container[:ro]`. */
  readonly binds: readonly string[];
  /** CUDA MPS clients reach the control daemon through shared memory: the host's IPC. */
  readonly ipcHost: boolean;
}

/** Whether every share is a whole device. */
function allWhole(shares: Readonly<Record<string, string>>): boolean {
  return Object.values(shares).every((share) => parseMicroShares(share) === MICRO_SHARES_PER_GPU);
}

/** Whole percent of a device a share stands for, at least 1. */
function percentOf(share: string): number {
  const micro = parseMicroShares(share);
  return typeof micro === 'number' ? Math.max(1, Math.floor(micro / 10_000)) : 1;
}

/** MiB of a device's memory a share stands for; undefined when the memory is unknown. */
function memoryLimitMiB(share: string, device: ShareableDevice | undefined): number | undefined {
  const micro = parseMicroShares(share);
  if (typeof micro !== 'number' || device?.memoryTotalMiB == null) return undefined;
  return Math.floor((device.memoryTotalMiB * micro) / MICRO_SHARES_PER_GPU);
}

/**
 * The tier and container settings for `shares` (UUID → share, in the DeviceRequest's order) on a
 * host with `capabilities`. Device ordinals inside the container follow that order.
 */
export function enforcementFor(
  shares: Readonly<Record<string, string>>,
  devices: readonly ShareableDevice[],
  capabilities: SharingCapabilities,
): EnforcementConfig {
  const none = { env: [], binds: [], ipcHost: false };
  const uuids = Object.keys(shares);
  if (uuids.length === 0) return { tier: null, ...none };
  const byUuid = new Map(devices.map((device) => [device.uuid, device]));
  if (uuids.every((uuid) => byUuid.get(uuid)?.mig)) return { tier: 'mig', ...none };
  if (allWhole(shares)) return { tier: 'exclusive', ...none };
  const entries = uuids.map((uuid, ordinal) => ({
    ordinal,
    share: shares[uuid]!,
    mib: memoryLimitMiB(shares[uuid]!, byUuid.get(uuid)),
  }));
  const percent = Math.max(...entries.map((entry) => percentOf(entry.share)));
  if (capabilities.mpsPipeDirectory !== null) {
    const limits = entries
      .filter((entry) => entry.mib !== undefined)
      .map((entry) => `${entry.ordinal}=${entry.mib}M`);
    return {
      tier: 'mps',
      env: [
        `CUDA_MPS_PIPE_DIRECTORY=${capabilities.mpsPipeDirectory}`,
        `CUDA_MPS_ACTIVE_THREAD_PERCENTAGE=${percent}`,
        ...(limits.length > 0 ? [`CUDA_MPS_PINNED_DEVICE_MEM_LIMIT=${limits.join(',')}`] : []),
      ],
      binds: [`${capabilities.mpsPipeDirectory}:${capabilities.mpsPipeDirectory}`],
      ipcHost: true,
    };
  }
  if (capabilities.hamiLibrary !== null) {
    return {
      tier: 'hami',
      env: [
        `LD_PRELOAD=${HAMI_CONTAINER_LIBRARY}`,
        `CUDA_DEVICE_SM_LIMIT=${percent}`,
        `CUDA_DEVICE_MEMORY_SHARED_CACHE=${HAMI_SHARED_CACHE}`,
        ...entries
          .filter((entry) => entry.mib !== undefined)
          .map((entry) => `CUDA_DEVICE_MEMORY_LIMIT_${entry.ordinal}=${entry.mib}m`),
      ],
      binds: [`${capabilities.hamiLibrary}:${HAMI_CONTAINER_LIBRARY}:ro`],
      ipcHost: false,
    };
  }
  return { tier: 'none', ...none };
}
