import type Docker from 'dockerode';
import { allocate, AllocationError } from '../../common/allocator';
import {
  formatMicroShares,
  MICRO_SHARES_PER_GPU,
  parseMicroShares,
} from '../../common/allocator-decimal';
import type { SessionPreview } from '../../common/contract/sessions';
import { SERVICE_PORTS_LABEL } from '../../common/service-ports';
import type { Host } from '../hosts/host';
import { enforcementFor } from './session-enforcement';
import { allocatorDevices, heldShares } from './session-gpus';
import { SESSION_LABEL } from './session-labels';
import { type HostDevicesCache } from './host-devices';
import { allocationFailure } from './session-launch';

/** What the start form shows before Start: the host's GPUs and images as sessions see them. */

/** A host's LabDeck sessions in Docker's list, every state. */
export async function listSessionContainers(docker: Docker): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [SESSION_LABEL] } });
}

/** Each GPU's free share now, and the shares (and GiB) `gpus` would get, or why it cannot. */
export async function previewShares(
  host: Host,
  gpus: string,
  hostDevices: HostDevicesCache,
): Promise<SessionPreview> {
  const [{ devices, capabilities }, containers] = await Promise.all([
    host.agent().then((agent) => hostDevices.get(agent)),
    host.docker().then(listSessionContainers),
  ]);
  const held = heldShares(containers);
  const rows = devices.map((device) => {
    const used = Math.min(MICRO_SHARES_PER_GPU, held.get(device.uuid) ?? 0);
    return {
      uuid: device.uuid,
      index: device.index,
      name: device.name,
      memoryTotalMiB: device.memoryTotalMiB,
      allocated: formatMicroShares(used),
      free: formatMicroShares(MICRO_SHARES_PER_GPU - used),
    };
  });
  try {
    const shares = allocate(allocatorDevices(devices, held), { amount: gpus.trim() || '0' });
    const memoryGiB = Object.fromEntries(
      Object.entries(shares).map(([uuid, share]) => {
        const mib = devices.find((d) => d.uuid === uuid)?.memoryTotalMiB ?? 0;
        return [
          uuid,
          Math.round(
            ((mib * (parseMicroShares(share) as number)) / MICRO_SHARES_PER_GPU / 1024) * 10,
          ) / 10,
        ];
      }),
    );
    const tier = enforcementFor(shares, devices, capabilities).tier;
    return { gpus: rows, shares, memoryGiB, enforcement: tier, error: null };
  } catch (error) {
    if (!(error instanceof AllocationError)) throw error;
    const failure = allocationFailure(error, { id: host.id, name: (await host.summary()).name });
    return {
      gpus: rows,
      shares: null,
      memoryGiB: null,
      enforcement: null,
      error: { code: failure.code, message: failure.message },
    };
  }
}

/** The host's images, newest first, with the service ports each declares. */
export async function hostImages(docker: Docker) {
  const images = await docker.listImages();
  return images
    .sort((a, b) => b.Created - a.Created)
    .flatMap((image) => {
      const tags = (image.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>');
      const refs = tags.length > 0 ? tags : [image.Id.replace(/^sha256:/, '').slice(0, 12)];
      return refs.map((ref) => ({
        ref,
        id: image.Id,
        sizeBytes: image.Size,
        servicePorts: image.Labels?.[SERVICE_PORTS_LABEL] ?? null,
      }));
    });
}
