import type { Duplex } from 'node:stream';
import {
  terminalStreamId,
  type TerminalAgentTarget,
  type TerminalRecord,
} from '../../common/agent/terminal-agent';
import type { RequestOutput } from '../../common/contract/contract';
import { AppFailure } from '../../common/contract/result';
import type { Terminal, TerminalLink, TerminalTarget } from '../../common/contract/terminals';
import type { TerminalSettings } from '../../common/terminals/terminal-settings';
import type { TerminalWorkspaces } from '../../common/terminals/terminal-workspace';
import type { Host } from '../hosts/host';
import type { HostsService } from '../hosts/hosts-service';
import type { SessionsService } from '../sessions/sessions-service';
import type { SettingsStore } from '../settings/settings-store';
import { TerminalAttachment } from './terminal-attachment';

/** A terminal's size. */
interface Size {
  readonly cols: number;
  readonly rows: number;
}

/** How this LabDeck's link to one terminal stands, and who listens to it. */
interface LinkEntry {
  link: TerminalLink | undefined;
  readonly listeners: Set<(link: TerminalLink) => void>;
}

function notFound(id: string): AppFailure {
  return new AppFailure({
    code: 'terminal-not-found',
    message: `No connected host has a terminal ${id}.`,
    hint: 'It may have ended, or its host is not connected: `labdeck terminal ls` lists the live ones.',
  });
}

/**
 * The terminals domain in main: opens durable terminals through each host's agent, lists them,
 * and attaches clients (windows, the CLI) with {@link TerminalAttachment}s, which survive drops.
 * Keeps which host each terminal lives on and each terminal's newest size, so a reattach asks
 * for the size the user has now, and the link state every tab shows.
 */
export class TerminalsService {
  private readonly hostOf = new Map<string, string>();
  private readonly sizes = new Map<string, Size>();
  private readonly links = new Map<string, LinkEntry>();
  private readonly attachments = new Map<string, Set<TerminalAttachment>>();

  constructor(
    private readonly hosts: HostsService,
    private readonly sessions: SessionsService,
    private readonly settings: SettingsStore,
  ) {}

  /** Starts a terminal on a host, or in one of the user's running sessions. */
  async open(target: TerminalTarget, size: Size): Promise<Terminal> {
    const { bufferBytes } = (await this.settings.read()).terminals;
    let host: Host;
    let agentTarget: TerminalAgentTarget;
    let title: string;
    if (target.kind === 'host') {
      host = await this.hosts.get(target.hostId);
      agentTarget = { kind: 'host' };
      title = (await host.summary()).name;
    } else {
      const found = this.sessions.mine(
        await this.sessions.find({ session: target.session, hostId: target.hostId }),
        'open a terminal in',
      );
      if (found.session.status !== 'running') {
        throw new AppFailure({
          code: 'session-not-running',
          message: `${found.session.name} on ${found.hostName} is ${found.session.status}, so it has no shell to open.`,
          hint: `Start it again first: \`labdeck session restart ${found.session.name}\`.`,
        });
      }
      host = found.host;
      const dockerSocket = await host.dockerSocket();
      agentTarget = {
        kind: 'session',
        container: found.container.Id,
        ...(dockerSocket === undefined ? {} : { dockerSocket }),
      };
      title = found.session.name;
    }
    const agent = await host.agent();
    const opened = await agent.call('terminal.open', {
      target: agentTarget,
      title,
      ...size,
      bufferBytes,
    });
    if (!opened.ok) throw new AppFailure(opened.error);
    this.hostOf.set(opened.value.id, host.id);
    this.sizes.set(opened.value.id, size);
    return this.view(opened.value, host.id, (await host.summary()).name);
  }

  /** The terminals of one host, or of "This computer" and every connected host. */
  async list(hostId?: string): Promise<RequestOutput<'terminals:list'>> {
    const hosts = hostId !== undefined ? [await this.hosts.get(hostId)] : await this.reachable();
    const unreachable: RequestOutput<'terminals:list'>['unreachable'][number][] = [];
    const lists = await Promise.all(
      hosts.map(async (host) => {
        const name = (await host.summary()).name;
        try {
          const listed = await (await host.agent()).call('terminal.list', {});
          if (!listed.ok) throw new AppFailure(listed.error);
          return listed.value.terminals.map((record) => {
            this.hostOf.set(record.id, host.id);
            return this.view(record, host.id, name);
          });
        } catch (error) {
          unreachable.push({
            hostId: host.id,
            host: name,
            message: `its agent did not answer (${(error as Error).message})`,
          });
          return [];
        }
      }),
    );
    return { terminals: lists.flat(), unreachable };
  }

  /** Ends terminal `id`: its process is hung up. */
  async close(id: string, hostId?: string): Promise<boolean> {
    const host = await this.locate(id, hostId);
    const closed = await (await host.agent()).call('terminal.close', { id });
    if (!closed.ok) throw new AppFailure(closed.error);
    return closed.value.closed;
  }

  /** Sets terminal `id`'s size, remembered for reattaching. */
  async resize(id: string, size: Size, hostId?: string): Promise<void> {
    this.sizes.set(id, size);
    const host = await this.locate(id, hostId);
    const resized = await (await host.agent()).call('terminal.resize', { id, ...size });
    if (!resized.ok) throw new AppFailure(resized.error);
  }

  /** A client's attachment to terminal `id`: its buffer replayed, then live, across drops. */
  async attach(id: string, size: Partial<Size>, hostId?: string): Promise<Duplex> {
    const host = await this.locate(id, hostId);
    if (size.cols !== undefined && size.rows !== undefined)
      this.sizes.set(id, { cols: size.cols, rows: size.rows });
    const attachment = new TerminalAttachment({
      open: (from) =>
        host.openAgentStream({
          t: 'open',
          stream: terminalStreamId(id),
          ...this.sizes.get(id),
          ...(from === undefined ? {} : { from }),
        }),
      onLink: (link) => this.setLink(id, link),
    });
    let set = this.attachments.get(host.id);
    if (set === undefined) this.attachments.set(host.id, (set = new Set()));
    set.add(attachment);
    attachment.once('close', () => set.delete(attachment));
    return attachment;
  }

  /** Calls `listener` with terminal `id`'s link now (when known) and on every change. */
  watchLink(id: string, listener: (link: TerminalLink) => void): () => void {
    let entry = this.links.get(id);
    if (entry === undefined)
      this.links.set(id, (entry = { link: undefined, listeners: new Set() }));
    entry.listeners.add(listener);
    if (entry.link !== undefined) listener(entry.link);
    return () => entry.listeners.delete(listener);
  }

  /** The saved workspaces. */
  async workspaces(): Promise<TerminalWorkspaces> {
    return (await this.settings.read()).terminalWorkspaces;
  }

  /** Saves the workspaces. */
  async saveWorkspaces(workspaces: TerminalWorkspaces): Promise<void> {
    await this.settings.update((settings) => ({ ...settings, terminalWorkspaces: workspaces }));
  }

  /** Terminals' settings. */
  async terminalSettings(): Promise<TerminalSettings> {
    return (await this.settings.read()).terminals;
  }

  /** Saves terminals' settings. */
  async saveTerminalSettings(terminals: TerminalSettings): Promise<TerminalSettings> {
    return (await this.settings.update((settings) => ({ ...settings, terminals }))).terminals;
  }

  /**
   * Ends every attachment to terminals of a host the user disconnected or removed, so none of
   * them brings the connection back; the terminals themselves live on in the agent.
   */
  closeHost(hostId: string): void {
    for (const attachment of this.attachments.get(hostId) ?? []) {
      attachment.destroy(
        new AppFailure({
          code: 'host-disconnected',
          message: 'The host was disconnected; the terminal keeps running there.',
          hint: 'Connect the host again and reopen the terminal to reattach.',
        }),
      );
    }
    this.attachments.delete(hostId);
  }

  /** Ends every attachment (the services are shutting down); terminals live on. */
  dispose(): void {
    for (const hostId of [...this.attachments.keys()]) this.closeHost(hostId);
  }

  private setLink(id: string, link: TerminalLink): void {
    let entry = this.links.get(id);
    if (entry === undefined) this.links.set(id, (entry = { link, listeners: new Set() }));
    entry.link = link;
    for (const listener of entry.listeners) listener(link);
  }

  private view(record: TerminalRecord, hostId: string, hostName: string): Terminal {
    const session = record.target.kind === 'session' ? record.title : null;
    return {
      id: record.id,
      hostId,
      host: hostName,
      target: session === null ? `host:${hostName}` : `session:${session}@${hostName}`,
      session,
      title: record.title,
      state: record.state,
      exitCode: record.exitCode,
      createdAt: record.createdAt,
      attached: record.attached,
      cols: record.cols,
      rows: record.rows,
    };
  }

  /** The host terminal `id` lives on: the one named, the one known, or the connected one that has it. */
  private async locate(id: string, hostId?: string): Promise<Host> {
    const known = hostId ?? this.hostOf.get(id);
    if (known !== undefined) return this.hosts.get(known);
    const { terminals } = await this.list();
    const found = terminals.find((terminal) => terminal.id === id);
    if (found === undefined) throw notFound(id);
    return this.hosts.get(found.hostId);
  }

  /** "This computer" and every SSH host that is connected now. */
  private async reachable(): Promise<Host[]> {
    const summaries = await this.hosts.list();
    const ids = summaries
      .filter((s) => s.kind === 'local' || s.connection.phase === 'connected')
      .map((s) => s.id);
    return Promise.all(ids.map((id) => this.hosts.get(id)));
  }
}
