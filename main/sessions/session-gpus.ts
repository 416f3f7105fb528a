import type { AllocatorDevice } from '../../common/allocator';
import { formatMicroShares, MICRO_SHARES_PER_GPU } from '../../common/allocator-decimal';
import type { GpuInventory } from '../../common/gpu/gpu';
import { parseMicroShares } from '../../common/allocator-decimal';
import { readSessionLabels } from './session-labels';

/**
 * The GPUs a session can get shares of, and what sessions hold of each now. A GPU with MIG on
 * offers its MIG devices instead (each a whole device: MIG is hardware isolation in fixed slices).
 */

/** One device shares are given of: a GPU, or a MIG device of one. */
export interface ShareableDevice {
  readonly uuid: string;
  /** The GPU's index on the host. */
  readonly index: number;
  readonly name: string;
  readonly memoryTotalMiB: number | null;
  readonly mig: boolean;
}

/** What Docker's container list says of a container, as far as shares go. */
export interface ContainerShares {
  readonly State?: string;
  readonly Labels?: Readonly<Record<string, string>>;
}

/** States in which a container holds no GPU: its shares are free for others. */
const RELEASED_STATES: ReadonlySet<string> = new Set(['exited', 'dead']);

/** Every device of the inventory a session may get shares of. */
export function shareableDevices(inventory: GpuInventory): ShareableDevice[] {
  return inventory.gpus.flatMap((gpu): ShareableDevice[] =>
    gpu.migMode === 'enabled' && gpu.migDevices.length > 0
      ? gpu.migDevices.map((mig) => ({
          uuid: mig.uuid,
          index: gpu.index,
          name: `${gpu.name} MIG ${mig.profile}`,
          memoryTotalMiB: migMemoryMiB(mig.profile),
          mig: true,
        }))
      : [
          {
            uuid: gpu.uuid,
            index: gpu.index,
            name: gpu.name,
            memoryTotalMiB: gpu.memoryTotalMiB,
            mig: false,
          },
        ],
  );
}

/** GiB of a MIG profile's memory, from its name (`1g.10gb` → 10 GiB), in MiB. */
function migMemoryMiB(profile: string): number | null {
  const match = /(\d+)gb$/.exec(profile);
  return match ? Number(match[1]) * 1024 : null;
}

/**
 * Micro-shares held per device UUID by the LabDeck sessions among `containers` that are not
 * stopped. Labels are untrusted: a malformed one holds nothing.
 */
export function heldShares(containers: readonly ContainerShares[]): Map<string, number> {
  const held = new Map<string, number>();
  for (const container of containers) {
    const labels = readSessionLabels(container.Labels);
    if (!labels || RELEASED_STATES.has(container.State ?? '')) continue;
    for (const [uuid, share] of Object.entries(labels.shares)) {
      const micro = parseMicroShares(share);
      if (typeof micro === 'number') held.set(uuid, (held.get(uuid) ?? 0) + micro);
    }
  }
  return held;
}

/** The first of `uuids` whose holders add up to more than one whole device, if any. */
export function overBooked(
  held: ReadonlyMap<string, number>,
  uuids: readonly string[],
): string | undefined {
  return uuids.find((uuid) => (held.get(uuid) ?? 0) > MICRO_SHARES_PER_GPU);
}

/** The allocator's view of the devices: each one whole, minus what sessions hold (at most all). */
export function allocatorDevices(
  devices: readonly ShareableDevice[],
  held: ReadonlyMap<string, number>,
): AllocatorDevice[] {
  return devices.map((device) => ({
    id: device.uuid,
    capacity: '1',
    allocated: formatMicroShares(Math.min(MICRO_SHARES_PER_GPU, held.get(device.uuid) ?? 0)),
    numaNode: null,
  }));
}
