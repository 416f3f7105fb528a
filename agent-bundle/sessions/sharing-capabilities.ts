import { lstat, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SharingCapabilities } from '../../common/agent/session-agent';

/** Where the CUDA MPS control daemon puts its pipes unless CUDA_MPS_PIPE_DIRECTORY says otherwise. */
export const DEFAULT_MPS_PIPE_DIRECTORY = '/tmp/nvidia-mps';
/** Where HAMi-core's preload library is installed by default. */
export const DEFAULT_HAMI_LIBRARY = '/usr/local/vgpu/libvgpu.so';

/** Where to look for the sharing mechanisms; each undefined means its default. */
export interface SharingPlaces {
  readonly mpsPipeDirectory?: string;
  readonly hamiLibrary?: string;
}

async function exists(check: Promise<unknown>): Promise<boolean> {
  return check.then(
    () => true,
    () => false,
  );
}

/**
 * Which GPU sharing mechanisms the host offers: MPS when its control daemon's `control` pipe is
 * in the pipe directory (the daemon creates it on start and removes it on quit), HAMi-core when
 * its library is a file. Read fresh on every call: an administrator may start MPS at any time.
 */
export async function sharingCapabilities(places: SharingPlaces): Promise<SharingCapabilities> {
  const mpsDir = places.mpsPipeDirectory || DEFAULT_MPS_PIPE_DIRECTORY;
  const hami = places.hamiLibrary || DEFAULT_HAMI_LIBRARY;
  const [mps, hamiFile] = await Promise.all([
    exists(lstat(join(mpsDir, 'control'))),
    stat(hami).then(
      (info) => info.isFile(),
      () => false,
    ),
  ]);
  return { mpsPipeDirectory: mps ? mpsDir : null, hamiLibrary: hamiFile ? hami : null };
}
