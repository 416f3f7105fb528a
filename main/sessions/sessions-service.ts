import type Docker from 'dockerode';
import {
  formatMicroShares,
  MICRO_SHARES_PER_GPU,
  parseMicroShares,
} from '../../common/allocator-decimal';
import type {
  Session,
  SessionPreview,
  SessionStartInput,
  StartedSession,
} from '../../common/contract/sessions';
import type { RequestOutput } from '../../common/contract/contract';
import { AppFailure } from '../../common/contract/result';
import type { Host } from '../hosts/host';
import type { HostsService } from '../hosts/hosts-service';
import { holdAllocationLease } from './allocation-lease';
import { SessionForwards } from './session-forwards';
import { HostDevicesCache } from './host-devices';
import { heldShares } from './session-gpus';
import { SESSION_ID_PATTERN, SESSION_LABEL } from './session-labels';
import { launchSession } from './session-launch';
import { checkRestartMounts } from './session-restart-mounts';
import { hostImages, listSessionContainers, previewShares } from './session-catalog';
import { planSession } from './session-plan';
import { publishedPort, sessionView } from './session-view';

/** Sessions of several hosts, and the hosts that could not be asked. */
export type SessionList = RequestOutput<'sessions:list'>;

/** Container states whose binds are in place: a restart of one re-mounts nothing new. */
const RUNNING_STATES: ReadonlySet<string> = new Set(['running', 'restarting', 'paused']);

/** Seconds a session's process gets to exit after SIGTERM before Docker kills it. */
export const STOP_GRACE_S = 10;

/** A session found by what was typed: its host and Docker's list entry. */
export interface Found {
  readonly host: Host;
  readonly hostName: string;
  readonly docker: Docker;
  readonly container: Docker.ContainerInfo;
  readonly session: Session;
}

/** How a session is named in a request: its id or name, perhaps on a given host. */
export interface SessionRef {
  readonly session: string;
  readonly hostId?: string | undefined;
}

/**
 * Sessions: containers LabDeck starts on a host, the truth of which are their Docker labels.
 * Nothing about a session is stored on the laptop except the forwards it holds while it runs, so
 * a session keeps running while the laptop is away and is listed again on reconnecting.
 */
export class SessionsService {
  readonly forwards = new SessionForwards();
  private readonly hostDevices = new HostDevicesCache();

  constructor(
    private readonly hosts: Pick<HostsService, 'get' | 'list'>,
    private readonly version: string,
  ) {}

  /**
   * Checks the form, launches, and returns the session as lists show it (forwarded if asked),
   * with what became of its dotfiles.
   */
  async start(input: SessionStartInput, forward = false): Promise<StartedSession> {
    const plan = planSession(input);
    const host = await this.hosts.get(input.hostId);
    const hostName = (await host.summary()).name;
    const launched = await launchSession(host, hostName, plan, this.version, this.hostDevices);
    const found = await this.find({ session: launched.sessionId, hostId: host.id });
    // Best effort: the session runs either way, and Open or `session forward` can forward later.
    if (forward) await this.forwardAll(found).catch(() => undefined);
    const session = forward
      ? (await this.find({ session: launched.sessionId, hostId: host.id })).session
      : found.session;
    return { ...session, dotfiles: launched.dotfiles };
  }

  /** Every session of one host, or of "This computer" and every connected host. */
  async list(hostId?: string): Promise<SessionList> {
    if (hostId !== undefined)
      return { sessions: await this.listHost(await this.hosts.get(hostId)), unreachable: [] };
    const hosts = await this.reachableHosts();
    const unreachable: SessionList['unreachable'][number][] = [];
    const lists = await Promise.all(
      hosts.map(async (host) => {
        try {
          return await this.listHost(host);
        } catch (error) {
          const summary = await host.summary();
          // A laptop without Docker is no news: the Hosts page already says why.
          if (summary.kind !== 'local' || summary.docker.state === 'reachable')
            unreachable.push({
              hostId: host.id,
              host: summary.name,
              message: `its Docker engine did not answer (${(error as Error).message}); \`labdeck host check ${host.id === 'local' ? 'local' : summary.name}\` says why`,
            });
          return [];
        }
      }),
    );
    return { sessions: lists.flat(), unreachable };
  }

  /** Stops a session of the user's; its shares are free for others once it has exited. */
  async stop(ref: SessionRef): Promise<Session> {
    const found = this.mine(await this.find(ref), 'stop');
    await found.docker
      .getContainer(found.container.Id)
      .stop({ t: STOP_GRACE_S })
      .catch(notModified);
    return (await this.find({ session: found.session.id, hostId: found.host.id })).session;
  }

  /**
   * Restarts a session of the user's. A stopped one with GPU shares gets them back only if they
   * are still free: checked under the host-wide lease, as a launch is. A stopped one that mounts
   * folders starts again only if each is still the user's, the same folder and ready.
   */
  async restart(ref: SessionRef): Promise<Session> {
    const found = this.mine(await this.find(ref), 'restart');
    const container = found.docker.getContainer(found.container.Id);
    if (!RUNNING_STATES.has(found.container.State))
      await checkRestartMounts(found.host, found.hostName, found.session);
    const holdsShares = Object.keys(found.session.gpuShares).length > 0;
    if (holdsShares) {
      // Under the lease, and with its state read again there: a session that stopped a moment
      // ago must not come back on shares someone else has taken since.
      const lease = await holdAllocationLease(await found.host.agent());
      try {
        const all = await listSessionContainers(found.docker);
        const now = all.find((c) => c.Id === found.container.Id);
        if (now?.State === 'running' || now?.State === 'restarting') {
          await container.restart({ t: STOP_GRACE_S });
          return (await this.find({ session: found.session.id, hostId: found.host.id })).session;
        }
        const held = heldShares(all);
        for (const [uuid, share] of Object.entries(found.session.gpuShares)) {
          const total = (held.get(uuid) ?? 0) + (parseMicroShares(share) as number);
          if (total > MICRO_SHARES_PER_GPU)
            throw new AppFailure({
              code: 'insufficient',
              message: `${found.session.name} held ${share} of GPU ${uuid}, but only ${formatMicroShares(Math.max(0, MICRO_SHARES_PER_GPU - (held.get(uuid) ?? 0)))} of it is free now.`,
              hint: 'Wait until another session on that GPU stops, or start a new session with fewer GPUs.',
            });
        }
        // It stopped since it was found running: its folders were not checked above.
        if (RUNNING_STATES.has(found.container.State))
          await checkRestartMounts(found.host, found.hostName, found.session);
        await container.start();
      } finally {
        lease.release();
      }
    } else {
      await container.restart({ t: STOP_GRACE_S });
    }
    return (await this.find({ session: found.session.id, hostId: found.host.id })).session;
  }

  /** Stops and removes a session of the user's, and closes its forwards. */
  async remove(ref: SessionRef): Promise<{ id: string }> {
    const found = this.mine(await this.find(ref), 'remove');
    this.forwards.closeSession(found.host.id, found.session.id);
    const container = found.docker.getContainer(found.container.Id);
    await container.stop({ t: STOP_GRACE_S }).catch(() => undefined);
    await container.remove({ force: true });
    return { id: found.session.id };
  }

  /** Forwards every port of service `name` to the laptop; returns the first one's address. */
  async forward(ref: SessionRef, name: string, localPort?: number) {
    // Another user's service stays theirs: it is never exposed on this laptop (PEERS.md).
    const found = this.mine(await this.find(ref), 'forward');
    const ports = found.session.ports.filter((port) => port.name === name);
    if (ports.length === 0)
      throw new AppFailure({
        code: 'service-not-found',
        message: `${found.session.name} has no service named ${name}${found.session.ports.length > 0 ? ` (it has: ${[...new Set(found.session.ports.map((p) => p.name))].join(', ')})` : ''}.`,
        hint: 'Services are declared at start with --port NAME:PROTOCOL:PORT or by the image.',
      });
    const opened = await Promise.all(
      ports.map((port, i) =>
        this.openForward(found, port.containerPort, port.protocol, i === 0 ? localPort : undefined),
      ),
    );
    return { name, localPort: opened[0]!.localPort, localUrl: opened[0]!.url };
  }

  /** The GPUs' free shares now, and what `gpus` would get (or why it cannot). */
  async preview(hostId: string, gpus: string): Promise<SessionPreview> {
    return previewShares(await this.hosts.get(hostId), gpus, this.hostDevices);
  }

  /** The host's images, newest first, with the service ports each declares. */
  async images(hostId: string) {
    return hostImages(await (await this.hosts.get(hostId)).docker());
  }

  /** The Docker engine of a host, by id or name. */
  async docker(hostId: string): Promise<Docker> {
    return (await this.hosts.get(hostId)).docker();
  }

  /** The session `ref` names: by id or name, on the host given or on any reachable host. */
  async find(ref: SessionRef): Promise<Found> {
    const hosts =
      ref.hostId !== undefined ? [await this.hosts.get(ref.hostId)] : await this.reachableHosts();
    const matches: Found[] = [];
    const unreachable: string[] = [];
    await Promise.all(
      hosts.map(async (host) => {
        try {
          const docker = await host.docker();
          const context = await this.viewContext(host);
          for (const container of await this.candidates(docker, ref.session)) {
            const session = sessionView(container, context);
            if (session && (session.id === ref.session || session.name === ref.session))
              matches.push({ host, hostName: context.host, docker, container, session });
          }
        } catch (error) {
          // Asked about one host, its failure is the answer; else it is named below.
          if (ref.hostId !== undefined) throw error;
          unreachable.push(`${host.id}: ${(error as Error).message}`);
        }
      }),
    );
    const mine = matches.filter((m) => m.session.mine);
    const pick = matches.length === 1 ? matches[0] : mine.length === 1 ? mine[0] : undefined;
    if (pick) return pick;
    if (matches.length > 1)
      throw new AppFailure({
        code: 'session-ambiguous',
        message: `"${ref.session}" names ${matches.length} sessions (${matches.map((m) => `${m.session.id} on ${m.hostName}`).join(', ')}).`,
        hint: 'Name it by its id, or add --host HOST.',
      });
    throw new AppFailure({
      code: 'session-not-found',
      message: `There is no session "${ref.session}"${ref.hostId !== undefined ? ` on ${ref.hostId}` : ' on this computer or a connected host'}${unreachable.length > 0 ? ` (not looked on ${unreachable.join('; ')})` : ''}.`,
      hint:
        ref.hostId !== undefined
          ? 'See `labdeck session ls HOST`.'
          : 'See `labdeck session ls`, or add --host HOST to look on a host that is not connected.',
    });
  }

  /** Stops the forwards to one host: the user disconnected or removed it. */
  closeHost(hostId: string): void {
    this.forwards.closeHost(hostId);
  }

  /** Stops every forward (the services are closing). */
  dispose(): void {
    this.forwards.dispose();
  }

  /**
   * The containers that may be the session `typed` names: by its id label when it looks like an
   * id (one container, however many sessions the host has), else every session.
   */
  private async candidates(docker: Docker, typed: string): Promise<Docker.ContainerInfo[]> {
    if (SESSION_ID_PATTERN.test(typed)) {
      const byId = await docker.listContainers({
        all: true,
        filters: { label: [`${SESSION_LABEL}=${typed}`] },
      });
      if (byId.length > 0) return byId;
    }
    return listSessionContainers(docker);
  }

  private async listHost(host: Host): Promise<Session[]> {
    const [docker, context] = await Promise.all([host.docker(), this.viewContext(host)]);
    const containers = await listSessionContainers(docker);
    return containers
      .map((container) => sessionView(container, context))
      .filter((session): session is Session => session !== undefined)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  private async viewContext(host: Host) {
    const [summary, user] = await Promise.all([host.summary(), host.user()]);
    return {
      host: summary.name,
      user,
      localUrl: (sessionId: string, port: number) =>
        this.forwards.localUrl(host.id, sessionId, port),
    };
  }

  /** "This computer" and every SSH host that is connected now. */
  private async reachableHosts(): Promise<Host[]> {
    const summaries = await this.hosts.list();
    const ids = summaries
      .filter((s) => s.kind === 'local' || s.connection.phase === 'connected')
      .map((s) => s.id);
    return Promise.all(ids.map((id) => this.hosts.get(id)));
  }

  /** `found` if it is the user's own session, else the `session-not-yours` failure. */
  mine(found: Found, verb: string): Found {
    if (found.session.mine) return found;
    throw new AppFailure({
      code: 'session-not-yours',
      message: `${found.session.name} on ${found.hostName} belongs to ${found.session.owner}; you can see it, not ${verb} it.`,
      hint: `Ask ${found.session.owner} to ${verb} it.`,
    });
  }

  private openForward(found: Found, containerPort: number, protocol: string, localPort?: number) {
    const containerId = found.container.Id;
    return this.forwards.open(
      {
        hostId: found.host.id,
        sessionId: found.session.id,
        containerPort,
        protocol,
        openTcp: (port) => found.host.openTcp(port),
        hostPort: async () => {
          const docker = await found.host.docker();
          const [now] = await docker.listContainers({ all: true, filters: { id: [containerId] } });
          const port = now ? publishedPort(now, containerPort) : undefined;
          if (port === undefined)
            throw new AppFailure({
              code: 'service-not-published',
              message: `Port ${containerPort} of ${found.session.name} is not published (is the session running?).`,
            });
          return port;
        },
      },
      localPort,
    );
  }

  private async forwardAll(found: Found): Promise<void> {
    if (!found.session.mine) return;
    await Promise.all(
      found.session.ports.map((port) => this.openForward(found, port.containerPort, port.protocol)),
    );
  }
}

/** Docker answers 304 to stopping a stopped container: that is what the user wanted. */
function notModified(error: unknown): void {
  if ((error as { statusCode?: number }).statusCode !== 304) throw error;
}
