import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserNames } from './user-names';

/** Where the kernel shows processes; tests point this at a folder they write. */
export const DEFAULT_PROC_ROOT = '/proc';

/** Who holds a GPU process, as far as the host can tell. */
export interface ProcessOwner {
  readonly pid: number;
  /** Full id of the Docker container the process runs in; null outside Docker or in a k8s pod. */
  readonly containerId: string | null;
  /** Real uid (who started it, not a setuid binary's effective uid); null if the process is gone. */
  readonly uid: number | null;
  /** Name of `uid` as NSS resolves it (`getent passwd`); null when no source knows it. */
  readonly user: string | null;
}

/** Where {@link readProcessOwners} reads from. */
export interface ProcessOwnerSources {
  readonly procRoot?: string;
  /** Resolves uids to names; the agent's shared, cached NSS lookup when absent. */
  readonly userNames?: UserNames;
}

/** One cache for the agent's whole life: every inventory asks the same uids again. */
const sharedUserNames = new UserNames();

/**
 * A Docker container's id in a cgroup path, for both cgroup drivers: `cgroupfs` gives
 * `/docker/<id>`, `systemd` gives `/system.slice/docker-<id>.scope` (also under a rootless
 * user's `user@<uid>.service`). containerd (`cri-containerd-<id>`) and podman (`libpod-<id>`)
 * name theirs otherwise and are deliberately not matched: LabDeck starts its sessions with Docker.
 */
const DOCKER_CGROUP = /(?:^|\/)docker[-/]([0-9a-f]{64})(?:\.scope)?(?=\/|$)/g;

/** One `/proc/<pid>/cgroup` line: `hierarchy-id:controller-list:path` (v2's is `0::/path`). */
const CGROUP_LINE = /^(\d+):([^:]*):(.*)$/;

/**
 * The Docker container a process runs in, from the text of `/proc/<pid>/cgroup` (cgroup v1,
 * v2 or hybrid; see `man 7 cgroups`). The v2 line is trusted first. Kubernetes pods (`kubepods`)
 * are never a LabDeck container even when their runtime is Docker, so they give null. Nested
 * containers give the innermost id, which is the one `docker ps` shows on the host.
 */
export function containerIdFromCgroup(text: string): string | null {
  const entries = text
    .split('\n')
    .map((line) => CGROUP_LINE.exec(line.trim()))
    .filter((match) => match !== null)
    .map(([, hierarchy = '', , path = '']) => ({ hierarchy, path }));
  if (entries.some(({ path }) => path.includes('kubepods'))) return null;
  const ordered = [...entries].sort((a, b) => Number(a.hierarchy) - Number(b.hierarchy));
  for (const { path } of ordered) {
    const innermost = [...path.matchAll(DOCKER_CGROUP)].at(-1)?.[1];
    if (innermost !== undefined) return innermost;
  }
  return null;
}

/** The real uid from the text of `/proc/<pid>/status` (`Uid:\treal\teffective\tsaved\tfs`). */
export function uidFromStatus(text: string): number | null {
  const uid = /^Uid:\s+(\d+)/m.exec(text)?.[1];
  return uid === undefined ? null : Number(uid);
}

/** A file's text, or null when it cannot be read (the process exited, or `hidepid` hides it). */
async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Finds the container and user of each host PID that nvidia-smi reported. Never throws: a PID
 * that exited in between, or cannot be read, gets nulls. Names come from {@link UserNames}.
 */
export async function readProcessOwners(
  pids: readonly number[],
  { procRoot = DEFAULT_PROC_ROOT, userNames = sharedUserNames }: ProcessOwnerSources = {},
): Promise<ReadonlyMap<number, ProcessOwner>> {
  const owners = await Promise.all(
    pids.map(async (pid): Promise<ProcessOwner> => {
      // Only a plain positive number may become a path segment under procRoot.
      const valid = Number.isSafeInteger(pid) && pid > 0;
      const dir = join(procRoot, String(pid));
      const [cgroup, status] = valid
        ? await Promise.all([readOptional(join(dir, 'cgroup')), readOptional(join(dir, 'status'))])
        : [null, null];
      const uid = status === null ? null : uidFromStatus(status);
      return {
        pid,
        containerId: cgroup === null ? null : containerIdFromCgroup(cgroup),
        uid,
        user: uid === null ? null : await userNames.name(uid),
      };
    }),
  );
  return new Map(owners.map((owner) => [owner.pid, owner]));
}
