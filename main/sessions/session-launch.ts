import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { allocate, AllocationError } from '../../common/allocator';
import { parseMicroShares } from '../../common/allocator-decimal';
import type { SharingCapabilities } from '../../common/agent/session-agent';
import type { DotfilePreview, DotfileReport } from '../../common/dotfiles/dotfile-store';
import { type HostDevicesCache } from './host-devices';
import { AppFailure } from '../../common/contract/result';
import { parseServicePorts, SERVICE_PORTS_LABEL } from '../../common/service-ports';
import { commandLine } from '../../common/shell/shell-quote';
import type { Host } from '../hosts/host';
import { LOCAL_HOST_ID } from '../../common/hosts/host-summary';
import { dotfilesFailed, writeContainerDotfiles } from '../dotfiles/container-dotfiles';
import { holdAllocationLease } from './allocation-lease';
import { containerOptions } from './session-container';
import { enforcementFor } from './session-enforcement';
import { allocatorDevices, heldShares, overBooked, type ShareableDevice } from './session-gpus';
import { SESSION_LABEL } from './session-labels';
import { resolveSessionMounts } from './session-mounts';
import type { SessionPlan } from './session-plan';

/** What a launch got: the created-and-started container, and what became of its dotfiles. */
export interface Launched {
  readonly containerId: string;
  readonly sessionId: string;
  readonly dotfiles: DotfileReport;
}

/** A host as messages name it, and as a command line types it. */
export interface HostNames {
  readonly id: string;
  readonly name: string;
}

/** A host as a command line names it: `local`, or its name quoted for the shell. */
function typedHost(host: HostNames): string {
  return commandLine([host.id === LOCAL_HOST_ID ? LOCAL_HOST_ID : host.name]);
}

/** An AllocationError in the researcher's terms, with what to do. */
export function allocationFailure(error: AllocationError, host: HostNames): AppFailure {
  const typed = typedHost(host);
  const hint =
    error.code === 'insufficient'
      ? `Ask for fewer GPUs, or wait until a session on ${host.name} stops (see \`labdeck gpus ${typed}\` and \`labdeck session ls ${typed}\`).`
      : 'Give the GPU amount as a multiple of 0.01, like 0.5 or 1.25.';
  return new AppFailure({ code: error.code, message: error.message, hint });
}

/** A name from the image when the user gave none: `pytorch-3f2a`. */
function defaultName(image: string, id: string): string {
  const base = image
    .split('@')[0]!
    .split('/')
    .at(-1)!
    .split(':')[0]!
    .replace(/[^A-Za-z0-9_.-]/g, '');
  return `${base || 'session'}-${id.slice(0, 4)}`;
}

/**
 * The merged dotfiles the session gets, with their texts, from the agent (issue 13): asked
 * before anything is made, so a group the user is not in, or a store that cannot be read, starts
 * nothing — the agent's error says why, and that no session was started.
 */
async function previewDotfiles(host: Host, group: string | undefined): Promise<DotfilePreview> {
  const agent = await host.agent();
  const answer = await agent.call('dotfiles.preview', {
    ...(group === undefined ? {} : { group }),
    content: true,
  });
  if (answer.ok) return answer.value;
  throw new AppFailure({
    ...answer.error,
    hint: `No session was started.${answer.error.hint ? ` ${answer.error.hint}` : ''}`,
  });
}

/** The image's config, or a failure saying it is not on the host. */
async function inspectImage(docker: Docker, image: string, host: HostNames) {
  try {
    return await docker.getImage(image).inspect();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404)
      throw new AppFailure({
        code: 'image-not-on-host',
        message: `The image ${image} is not on ${host.name}.`,
        hint: `Pull it there first: \`labdeck session pull ${typedHost(host)} ${commandLine([image])}\` (or pick one of its images: \`labdeck session images ${typedHost(host)}\`).`,
      });
    throw error;
  }
}

/** The shares of one launch under the lease, and the container created with them. */
async function createUnderLease(
  sessionId: string,
  hostDevices: HostDevicesCache,
  host: Host,
  hostName: string,
  docker: Docker,
  plan: SessionPlan,
  build: (
    shares: Record<string, string>,
    devices: readonly ShareableDevice[],
    capabilities: SharingCapabilities,
  ) => Docker.ContainerCreateOptions,
): Promise<Docker.Container> {
  const wantsGpus = parseMicroShares(plan.gpus) !== 0;
  if (!wantsGpus)
    return docker.createContainer(build({}, [], NO_SHARING)).catch(async (error: unknown) => {
      await removeSession(docker, sessionId);
      throw error;
    });
  const agent = await host.agent();
  const { devices, capabilities } = await hostDevices.get(agent);
  const lease = await holdAllocationLease(agent);
  let created: Docker.Container | undefined;
  try {
    const containers = await docker.listContainers({
      all: true,
      filters: { label: [SESSION_LABEL] },
    });
    let shares: Record<string, string>;
    try {
      shares = allocate(allocatorDevices(devices, heldShares(containers)), { amount: plan.gpus });
    } catch (error) {
      if (error instanceof AllocationError)
        throw allocationFailure(error, { id: host.id, name: hostName });
      throw error;
    }
    created = await docker.createContainer(build(shares, devices, capabilities));
    // The lease is cooperative (any user on the host can delete its lock file): count again,
    // ours included, and give the shares back if some other launch took them meanwhile.
    const after = heldShares(
      await docker.listContainers({ all: true, filters: { label: [SESSION_LABEL] } }),
    );
    const clash = overBooked(after, Object.keys(shares));
    if (clash !== undefined)
      throw new AppFailure({
        code: 'insufficient',
        message: `Another launch on ${hostName} took the same share of GPU ${clash} at the same moment, so this session was not started.`,
        hint: 'Start it again: it will get what is free now.',
      });
    if (!lease.held())
      throw new AppFailure({
        code: 'allocation-lease-lost',
        message: `The connection to ${hostName} dropped while the GPU shares were being booked, so they may clash with another launch.`,
        hint: 'Start the session again.',
      });
    return created;
  } catch (error) {
    await removeSession(docker, sessionId, created);
    throw error;
  } finally {
    lease.release();
  }
}

const NO_SHARING: SharingCapabilities = { mpsPipeDirectory: null, hamiLibrary: null };

/**
 * Removes what a failed launch made: the container it holds, and any container with the
 * session's id (a create the engine finished after its request failed), which would otherwise
 * keep the shares and the name. Best effort: the launch's own error is what the user sees.
 */
async function removeSession(
  docker: Docker,
  sessionId: string,
  created?: Docker.Container,
): Promise<void> {
  await created?.remove({ force: true }).catch(() => undefined);
  const left = await docker
    .listContainers({ all: true, filters: { label: [`${SESSION_LABEL}=${sessionId}`] } })
    .catch(() => []);
  await Promise.all(
    left.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
}

/**
 * Launches a session on `host`: reads the image, resolves its folders and its merged dotfiles on
 * the host, takes the host-wide lease, reads every session's shares from Docker's labels,
 * allocates evenly, creates the container with its labels, DeviceRequest and folder binds,
 * releases the lease, writes the dotfiles into it and starts it. Anything that fails removes
 * what was created.
 */
export async function launchSession(
  host: Host,
  hostName: string,
  plan: SessionPlan,
  version: string,
  hostDevices: HostDevicesCache,
): Promise<Launched> {
  // The device list is asked while the image is read (it is cached for the lease's turn).
  if (parseMicroShares(plan.gpus) !== 0)
    void host
      .agent()
      .then((agent) => hostDevices.get(agent))
      .catch(() => undefined);
  const [docker, owner] = await Promise.all([host.docker(), host.user()]);
  const image = await inspectImage(docker, plan.image, { id: host.id, name: hostName });
  const label = image.Config?.Labels?.[SERVICE_PORTS_LABEL];
  const declared = label ? parseServicePorts(label) : undefined;
  if (declared && !declared.ok && plan.ports.length === 0)
    throw new AppFailure({
      code: 'invalid-image-ports',
      message: `The image ${plan.image} declares service ports LabDeck cannot use (${SERVICE_PORTS_LABEL}="${label}").`,
      hint: 'Give the ports yourself with --port NAME:PROTOCOL:PORT (or in the form).',
    });
  const imagePorts = declared?.ok ? declared.ports : [];
  // Before the lease and the container: a folder that cannot be mounted, or dotfiles that
  // cannot be read (a group the user is not in), start nothing.
  const [mounts, dotfiles] = await Promise.all([
    resolveSessionMounts(host, hostName, plan),
    previewDotfiles(host, plan.group),
  ]);
  const sessionId = randomBytes(6).toString('hex');
  const name = plan.name ?? defaultName(plan.image, sessionId);
  const container = await createUnderLease(
    sessionId,
    hostDevices,
    host,
    hostName,
    docker,
    plan,
    (shares, devices, capabilities) =>
      containerOptions({
        plan,
        labels: { id: sessionId, name, owner, shares },
        mounts,
        ports: plan.ports.length > 0 ? plan.ports : imagePorts,
        imageDeclaresPorts: imagePorts.length > 0,
        enforcement: enforcementFor(shares, devices, capabilities),
        containerName: `labdeck-${owner}-${name}`.replace(/[^A-Za-z0-9_.-]/g, '_'),
        version,
      }),
  ).catch((error: unknown) => {
    if ((error as { statusCode?: number }).statusCode === 409)
      throw new AppFailure({
        code: 'session-name-taken',
        message: `You already have a session named ${name} on ${hostName}.`,
        hint: 'Choose another name, or remove the old session (`labdeck session rm NAME`).',
      });
    throw error;
  });
  let written: Omit<DotfileReport, 'group'>;
  try {
    written = await writeContainerDotfiles(container, dotfiles.files, mounts);
  } catch (error) {
    await removeSession(docker, sessionId, container);
    throw dotfilesFailed(hostName, typedHost({ id: host.id, name: hostName }), error);
  }
  try {
    await container.start();
  } catch (error) {
    await removeSession(docker, sessionId, container);
    throw new AppFailure({
      code: 'session-start-failed',
      message: `Docker on ${hostName} created the session but could not start it: ${(error as Error).message}`,
      hint: 'Check the image and the GPU runtime (`labdeck host check HOST`); nothing was left behind.',
    });
  }
  return { containerId: container.id, sessionId, dotfiles: { group: dotfiles.group, ...written } };
}
