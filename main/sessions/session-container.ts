import type Docker from 'dockerode';
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
  /** Its labels; the enforcement tier and service ports are filled in from the fields below. */
  readonly labels: Omit<SessionLabels, 'enforcement' | 'servicePorts'>;
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

/**
 * The Docker create options of a session: its labels (the truth of its shares), one nvidia
 * DeviceRequest for exactly its GPU UUIDs, every service port published on 127.0.0.1 at a port
 * Docker picks, and the limits asked for.
 */
export function containerOptions(spec: SessionContainerSpec): Docker.ContainerCreateOptions {
  const uuids = Object.keys(spec.labels.shares);
  const containerPorts = spec.ports.flatMap((service) => service.ports.map((p) => `${p}/tcp`));
  const { plan, enforcement } = spec;
  return {
    name: spec.containerName,
    Image: plan.image,
    ...entrypoint(spec),
    Labels: sessionLabels(
      {
        ...spec.labels,
        enforcement: enforcement.tier,
        servicePorts: formatServicePorts(spec.ports),
      },
      spec.version,
    ),
    // With no GPU asked for, `void` keeps an image's NVIDIA_VISIBLE_DEVICES=all from exposing every
    // GPU where the nvidia runtime is the default.
    Env: [
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
      ...(enforcement.binds.length > 0 ? { Binds: [...enforcement.binds] } : {}),
      ...(enforcement.ipcHost ? { IpcMode: 'host' } : {}),
    },
  };
}
