import type { Stats } from 'node:fs';
import { lstat, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SharingCapabilities } from '../../common/agent/session-agent';

/** Where the CUDA MPS control daemon puts its pipes unless CUDA_MPS_PIPE_DIRECTORY says otherwise. */
export const DEFAULT_MPS_PIPE_DIRECTORY = '/tmp/nvidia-mps';
/** Where HAMi-core's preload library is installed by default. */
export const DEFAULT_HAMI_LIBRARY = '/usr/local/vgpu/libvgpu.so';

/** Mode bits that let group or others write. */
const GROUP_OR_OTHER_WRITE = 0o022;

/** Where to look for the sharing mechanisms; each undefined means its default. */
export interface SharingPlaces {
  readonly mpsPipeDirectory?: string;
  readonly hamiLibrary?: string;
}

/**
 * Whether `info` belongs to root or to this agent's user and nobody else may write it. The
 * default MPS directory is under the world-writable /tmp, and HAMi-core's library is preloaded
 * into every session: another user who could plant either would get into every session.
 */
function trusted(info: Stats): boolean {
  return ownedByRootOrMe(info) && (info.mode & GROUP_OR_OTHER_WRITE) === 0;
}

/** Whether `info` belongs to root or to this agent's user. */
function ownedByRootOrMe(info: Stats): boolean {
  return info.uid === 0 || info.uid === (process.getuid?.() ?? 0);
}

/**
 * The MPS pipe directory if it holds a control daemon's `control` pipe (a FIFO, or a socket in
 * newer CUDA) and nobody but root or this user can have put it there: the directory is theirs and
 * not writable by others. `control` itself is writable by every client user, as MPS needs.
 */
async function mpsDirectory(dir: string): Promise<string | null> {
  try {
    const [folder, control] = await Promise.all([lstat(dir), lstat(join(dir, 'control'))]);
    const pipe = control.isFIFO() || control.isSocket();
    const ok = folder.isDirectory() && trusted(folder) && pipe && ownedByRootOrMe(control);
    return ok ? dir : null;
  } catch {
    return null;
  }
}

/** The HAMi-core library if it is a file nobody else can change (through any link), else null. */
async function hamiLibrary(path: string): Promise<string | null> {
  try {
    const real = await realpath(path);
    const info = await stat(real);
    return info.isFile() && trusted(info) ? path : null;
  } catch {
    return null;
  }
}

/**
 * Which GPU sharing mechanisms the host offers: MPS when its control daemon's `control` pipe is
 * in the pipe directory (the daemon creates it on start and removes it on quit), HAMi-core when
 * its library is a file. Both must belong to root or this user and be writable by nobody else,
 * or they are not offered. Read fresh on every call: an administrator may start MPS at any time.
 */
export async function sharingCapabilities(places: SharingPlaces): Promise<SharingCapabilities> {
  const [mps, hami] = await Promise.all([
    mpsDirectory(places.mpsPipeDirectory || DEFAULT_MPS_PIPE_DIRECTORY),
    hamiLibrary(places.hamiLibrary || DEFAULT_HAMI_LIBRARY),
  ]);
  return { mpsPipeDirectory: mps, hamiLibrary: hami };
}
