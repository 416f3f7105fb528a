import type Docker from 'dockerode';
import {
  sessionStatusSchema,
  type Session,
  type SessionPort,
} from '../../common/contract/sessions';
import { parseServicePorts } from '../../common/service-ports';
import { readSessionLabels } from './session-labels';

/** Where the laptop reaches a forwarded container port, if it is forwarded. */
export type LocalUrlOf = (sessionId: string, containerPort: number) => string | null;

/** What a session view needs besides the container. */
export interface SessionViewContext {
  /** The LabDeck host's name. */
  readonly host: string;
  /** The Unix user LabDeck acts as there. */
  readonly user: string;
  readonly localUrl: LocalUrlOf;
}

/**
 * A container of Docker's list as a {@link Session}, or undefined when it is not a LabDeck
 * session. Other users' labels are untrusted: anything malformed reads as empty, never throws.
 */
export function sessionView(
  container: Docker.ContainerInfo,
  context: SessionViewContext,
): Session | undefined {
  const labels = readSessionLabels(container.Labels);
  if (!labels) return undefined;
  const status = sessionStatusSchema.safeParse(container.State);
  const declared = parseServicePorts(labels.servicePorts);
  const ports: SessionPort[] = declared.ok
    ? declared.ports.flatMap((service) =>
        service.ports.map((containerPort) => ({
          name: service.name,
          protocol: service.protocol,
          containerPort,
          localUrl: context.localUrl(labels.id, containerPort),
        })),
      )
    : [];
  return {
    id: labels.id,
    name: labels.name,
    host: context.host,
    owner: labels.owner,
    mine: labels.owner === context.user,
    image: container.Image,
    status: status.success ? status.data : 'dead',
    statusText: container.Status,
    gpuShares: { ...labels.shares },
    enforcement: labels.enforcement,
    ports,
    createdAt: new Date(container.Created * 1000).toISOString(),
    containerId: container.Id,
    mounts: labels.mounts.map((mount) => ({ ...mount })),
  };
}

/** The host port Docker published `containerPort` on, from the container's list entry. */
export function publishedPort(
  container: Docker.ContainerInfo,
  containerPort: number,
): number | undefined {
  const binding = container.Ports.find(
    (port) => port.PrivatePort === containerPort && port.Type === 'tcp' && port.PublicPort,
  );
  return binding?.PublicPort;
}
