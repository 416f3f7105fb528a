import type Docker from 'dockerode';
import { SESSION_FOLDERS_DIR, type FolderMount } from '../../common/folders/folder-view';
import { formatServicePorts, type ServicePort } from '../../common/service-ports';
import type { EnforcementConfig } from './session-enforcement';
import { sessionLabels, type SessionLabels } from './session-labels';
import type { SessionPlan } from './session-plan';

/**
 * Keeps a plain image's container alive so terminals can open in it, and stops at once on
 * `docker stop` (a shell as PID 1 ignores SIGTERM unless it traps it).
 */
export const KEEP_ALIVE_SCRIPT = "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done";

/** Where every service port is published: the host's loopback only, never another interface. */
export const PUBLISH_ADDRESS = '127.0.0.1';

/** Everything a session's container is made of, decided before it is created. */
export interface SessionContainerSpec {
  readonly plan: SessionPlan;
  /** Its labels; the enforcement tier, service ports and mounts are filled in from below. */
  readonly labels: Omit<SessionLabels, 'enforcement' | 'servicePorts' | 'mounts'>;
  /** The folders it mounts, resolved on the host by the agent's `folders.mounts`. */
  readonly mounts: readonly FolderMount[];
  /** The services: the form's, or else the image's own label. */
  readonly ports: readonly ServicePort[];
  /** Whether the image declares service ports (then its own command runs). */
  readonly imageDeclaresPorts: boolean;
  readonly enforcement: EnforcementConfig;
  readonly containerName: string;
  readonly version: string;
}

/** What runs as the container's process: `--command`, the image's own, or the keep-alive. */
function entrypoint(
  spec: SessionContainerSpec,
): Pick<Docker.ContainerCreateOptions, 'Entrypoint' | 'Cmd'> {
  if (spec.plan.command !== undefined)
    return { Entrypoint: ['/bin/sh', '-c'], Cmd: [spec.plan.command] };
  if (spec.imageDeclaresPorts) return {};
  return { Entrypoint: ['/bin/sh', '-c'], Cmd: [KEEP_ALIVE_SCRIPT] };
}

/** A folder's bind as Docker's `HostConfig.Binds` takes it: `PATH:TARGET`, `:ro` when read-only. */
export function folderBind(mount: FolderMount): string {
  return `${mount.path}:${mount.target}${mount.readOnly ? ':ro' : ''}`;
}

/**
 * HOME and the working directory of a session that mounts folders: `/home/work`, where they are,
 * so `pip install --user` writes into the `.local` folder (an image's HOME is often `/root`).
 * A HOME the user's `--env` sets is theirs to keep; without folders the image decides.
 */
export function folderHome(
  spec: Pick<SessionContainerSpec, 'plan' | 'mounts'>,
): Pick<Docker.ContainerCreateOptions, 'WorkingDir'> & { readonly env: readonly string[] } {
  if (spec.mounts.length === 0) return { env: [] };
  const ownHome = spec.plan.env.some((entry) => entry.startsWith('HOME='));
  return { WorkingDir: SESSION_FOLDERS_DIR, env: ownHome ? [] : [`HOME=${SESSION_FOLDERS_DIR}`] };
}

/**
 * The Docker create options of a session: its labels (the truth of its shares and mounts), one
 * nvidia DeviceRequest for exactly its GPU UUIDs, every service port published on 127.0.0.1 at a
 * port Docker picks, its folders bound at /home/work/NAME (its HOME then), and the limits asked for.
 */
export function containerOptions(spec: SessionContainerSpec): Docker.ContainerCreateOptions {
  const uuids = Object.keys(spec.labels.shares);
  const containerPorts = spec.ports.flatMap((service) => service.ports.map((p) => `${p}/tcp`));
  const { plan, enforcement } = spec;
  const binds = [...enforcement.binds, ...spec.mounts.map(folderBind)];
  const { env: homeEnv, ...workingDir } = folderHome(spec);
  return {
    name: spec.containerName,
    Image: plan.image,
    ...entrypoint(spec),
    Labels: sessionLabels(
      {
        ...spec.labels,
        enforcement: enforcement.tier,
        servicePorts: formatServicePorts(spec.ports),
        mounts: spec.mounts.map((mount) => ({
          name: mount.name,
          folderId: mount.id,
          target: mount.target,
          readOnly: mount.readOnly,
        })),
      },
      spec.version,
    ),
    // With no GPU asked for, `void` keeps an image's NVIDIA_VISIBLE_DEVICES=all from exposing every
    // GPU where the nvidia runtime is the default.
    ...workingDir,
    Env: [
      ...homeEnv,
      ...plan.env,
      ...(uuids.length === 0 ? ['NVIDIA_VISIBLE_DEVICES=void'] : []),
      ...enforcement.env,
    ],
    ExposedPorts: Object.fromEntries(containerPorts.map((port) => [port, {}])),
    HostConfig: {
      PortBindings: Object.fromEntries(
        containerPorts.map((port) => [port, [{ HostIp: PUBLISH_ADDRESS, HostPort: '' }]]),
      ),
      ...(uuids.length > 0
        ? { DeviceRequests: [{ Driver: 'nvidia', DeviceIDs: uuids, Capabilities: [['gpu']] }] }
        : {}),
      ...(plan.nanoCpus !== undefined ? { NanoCpus: plan.nanoCpus } : {}),
      ...(plan.memoryBytes !== undefined ? { Memory: plan.memoryBytes } : {}),
      ...(plan.shmBytes !== undefined ? { ShmSize: plan.shmBytes } : {}),
      ...(binds.length > 0 ? { Binds: binds } : {}),
      ...(enforcement.ipcHost ? { IpcMode: 'host' } : {}),
    },
  };
}
