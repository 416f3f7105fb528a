import { randomUUID } from 'node:crypto';
import { AppFailure } from '../../common/contract/result';
import {
  sshHostInputSchema,
  type SshHostConfig,
  type SshHostInput,
} from '../../common/hosts/host-config';
import {
  LOCAL_HOST_ID,
  type DockerStatus,
  type HostSummary,
} from '../../common/hosts/host-summary';
import type { EventHub } from '../bridge/event-hub';
import { probeLocalDocker } from '../docker/docker-probe';
import type { SettingsStore } from '../settings/settings-store';
import { SshHost, type SshHostContext } from './ssh-host';
import { attemptLimitsFromEnv } from '../ssh/connect-attempt';
import type { KnownHostsStore } from '../ssh/known-hosts';
import { replaceHostKey } from '../ssh/replace-host-key';

/** A Docker check younger than this is reused by `list`; `refresh` always checks again. */
const DOCKER_STATUS_MAX_AGE_MS = 5_000;

/** The name "This computer" is shown under in every list. */
export const LOCAL_HOST_NAME = 'This computer';

function notFound(id: string): AppFailure {
  return new AppFailure({
    code: 'host-not-found',
    message: `There is no host with id or name "${id}".`,
    hint: 'Run `labdeck host ls` to see the hosts LabDeck knows.',
  });
}

/**
 * The hosts LabDeck knows — "This computer" and the SSH hosts kept in settings — and their live
 * state. Emits `host:updated` whenever a host's connection or Docker state changes.
 */
export class HostsService {
  private local: { status: DockerStatus; at: number } | undefined;
  private readonly ssh = new Map<string, SshHost>();

  constructor(
    private readonly events: EventHub,
    private readonly env: NodeJS.ProcessEnv,
    private readonly settings: SettingsStore,
    private readonly sshContext: Omit<SshHostContext, 'onChange'>,
  ) {}

  /** Every host, "This computer" first, then SSH hosts in the order they were added. */
  async list(): Promise<HostSummary[]> {
    const fresh = this.local && Date.now() - this.local.at < DOCKER_STATUS_MAX_AGE_MS;
    const local =
      fresh && this.local ? this.localSummary(this.local.status) : await this.refreshLocal();
    return [local, ...(await this.sshHosts()).map((h) => h.summary())];
  }

  /** Checks one host again and returns its new state. */
  async refresh(idOrName: string): Promise<HostSummary> {
    if (idOrName === LOCAL_HOST_ID) return this.refreshLocal();
    const host = await this.find(idOrName);
    await host.checkDocker();
    return host.summary();
  }

  /** Adds an SSH host; names are unique, case-insensitively. */
  async add(input: SshHostInput): Promise<HostSummary> {
    const host = sshHostInputSchema.parse(input);
    const config: SshHostConfig = { ...host, id: randomUUID() };
    await this.settings.update((s) => {
      this.assertFreeName(s.hosts, config.name);
      return { ...s, hosts: [...s.hosts, config] };
    });
    return (await this.find(config.id)).summary();
  }

  /** Replaces an SSH host's settings; an open connection is closed so the next one uses them. */
  async update(idOrName: string, input: SshHostInput): Promise<HostSummary> {
    const existing = await this.find(idOrName);
    const config: SshHostConfig = { ...sshHostInputSchema.parse(input), id: existing.config.id };
    await this.settings.update((s) => {
      this.assertFreeName(
        s.hosts.filter((h) => h.id !== config.id),
        config.name,
      );
      return { ...s, hosts: s.hosts.map((h) => (h.id === config.id ? config : h)) };
    });
    existing.connection.disconnect();
    this.ssh.delete(config.id);
    return (await this.find(config.id)).summary();
  }

  /** Disconnects and forgets an SSH host. */
  async remove(idOrName: string): Promise<void> {
    const host = await this.find(idOrName);
    host.connection.disconnect();
    host.agent?.close();
    this.ssh.delete(host.config.id);
    await this.settings.update((s) => ({
      ...s,
      hosts: s.hosts.filter((h) => h.id !== host.config.id),
    }));
    this.events.emit('host:removed', { id: host.config.id });
  }

  /** Connects (asking the user what is needed) and waits until the host's agent answers. */
  async connect(idOrName: string): Promise<HostSummary> {
    if (idOrName === LOCAL_HOST_ID) return this.refreshLocal();
    const host = await this.find(idOrName);
    await host.agentClient();
    return host.summary();
  }

  /** Replaces a host's known key after the user verified the new fingerprint; then reconnect. */
  async replaceHostKey(idOrName: string, fingerprint: string): Promise<string> {
    const host = await this.find(idOrName);
    if (host.config.jump.length > 0) {
      throw new AppFailure({
        code: 'replace-key-through-jump',
        message: 'Replacing the key of a host behind jump hosts is not supported yet.',
        hint: `Remove the old key with \`ssh-keygen -R '[${host.config.hostname}]:${host.config.port}'\` and connect again to be asked.`,
      });
    }
    const replaced = await replaceHostKey(
      this.sshContext.hostKeys as KnownHostsStore,
      host.config.hostname,
      host.config.port,
      fingerprint,
    );
    host.connection.disconnect();
    return replaced;
  }

  /** Closes a host's connection and stops reconnecting. */
  async disconnect(idOrName: string): Promise<HostSummary> {
    const host = await this.find(idOrName);
    host.agent?.close();
    host.connection.disconnect();
    return host.summary();
  }

  /** The run-time object of an SSH host, by id or by name. */
  async find(idOrName: string): Promise<SshHost> {
    const hosts = await this.sshHosts();
    const host =
      hosts.find((h) => h.config.id === idOrName) ?? hosts.find((h) => h.config.name === idOrName);
    if (!host) throw notFound(idOrName);
    return host;
  }

  /** Closes every connection (on quit). */
  dispose(): void {
    for (const host of this.ssh.values()) {
      host.agent?.close();
      host.connection.disconnect();
    }
  }

  private async sshHosts(): Promise<SshHost[]> {
    const { hosts } = await this.settings.read();
    return hosts.map((config) => {
      let host = this.ssh.get(config.id);
      if (!host) {
        host = new SshHost(config, {
          ...this.sshContext,
          ...attemptLimitsFromEnv(this.env),
          // No wrapper around the prompt: each question comes with the signal of the attempt
          // that asks it, which Disconnect (an edit, removing the host) aborts, never a later one.
          onChange: () => this.events.emit('host:updated', host!.summary()),
        });
        this.ssh.set(config.id, host);
      }
      return host;
    });
  }

  private assertFreeName(hosts: readonly SshHostConfig[], name: string): void {
    if (hosts.some((h) => h.name.toLowerCase() === name.toLowerCase())) {
      throw new AppFailure({
        code: 'host-name-taken',
        message: `name: a host named "${name}" already exists.`,
        hint: 'Pick another name, or edit the existing host.',
      });
    }
  }

  private async refreshLocal(): Promise<HostSummary> {
    const status = await probeLocalDocker(this.env);
    const changed =
      this.local?.status.state !== status.state || this.local.status.version !== status.version;
    this.local = { status, at: Date.now() };
    const summary = this.localSummary(status);
    if (changed) this.events.emit('host:updated', summary);
    return summary;
  }

  private localSummary(docker: DockerStatus): HostSummary {
    return {
      id: LOCAL_HOST_ID,
      name: LOCAL_HOST_NAME,
      kind: 'local',
      address: null,
      docker,
      connection: { phase: 'connected', since: new Date(0).toISOString() },
      config: null,
    };
  }
}
