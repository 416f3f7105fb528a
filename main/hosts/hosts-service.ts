import { randomUUID } from 'node:crypto';
import { AppFailure } from '../../common/contract/result';
import {
  sshHostInputSchema,
  type SshHostConfig,
  type SshHostInput,
} from '../../common/hosts/host-config';
import type { HostSummary } from '../../common/hosts/host-summary';
import type { EventHub } from '../bridge/event-hub';
import type { SettingsStore } from '../settings/settings-store';
import type { Host } from './host';
import { LocalHost } from './local-host';
import { SshHost, type SshHostContext } from './ssh-host';
import { attemptLimitsFromEnv } from '../ssh/connect-attempt';
import type { KnownHostsStore } from '../ssh/known-hosts';
import { replaceHostKey } from '../ssh/replace-host-key';
import { knownHostsName } from '../ssh/known-hosts-parse';
import { commandLine } from '../../common/shell/shell-quote';

function notFound(idOrName: string): AppFailure {
  return new AppFailure({
    code: 'host-not-found',
    message: `There is no host with id or name "${idOrName}".`,
    hint: 'Run `labdeck host ls` to see the hosts LabDeck knows.',
  });
}

/** What the hosts need from the services around them. */
export interface HostsContext {
  readonly env: NodeJS.ProcessEnv;
  /** The built agent "This computer" runs as a child process. */
  readonly localAgentBundlePath: string;
  /** Host keys, secrets, prompts and the agent to push, shared by every SSH host. */
  readonly ssh: Omit<SshHostContext, 'onChange'>;
  /** Where an accepted new host key is recorded. */
  readonly hostKeys: KnownHostsStore;
}

/**
 * The hosts LabDeck knows — "This computer" and the SSH hosts kept in settings — each a
 * {@link Host} resolved once from what was typed. Emits `host:updated` whenever a host's
 * connection or Docker state changes. Adding, editing and forgetting are about SSH hosts'
 * settings; everything else goes through the Host.
 */
export class HostsService {
  private readonly local: LocalHost;
  private readonly ssh = new Map<string, SshHost>();

  constructor(
    private readonly events: EventHub,
    private readonly settings: SettingsStore,
    private readonly context: HostsContext,
  ) {
    this.local = new LocalHost({
      env: context.env,
      bundlePath: context.localAgentBundlePath,
      onChange: (summary) => events.emit('host:updated', summary),
    });
  }

  /** Every host, "This computer" first, then SSH hosts in the order they were added. */
  async list(): Promise<HostSummary[]> {
    return Promise.all([this.local, ...(await this.sshHosts())].map((h) => h.summary()));
  }

  /** The host with this id or name; fails with `host-not-found` naming what was typed. */
  async get(idOrName: string): Promise<Host> {
    if (idOrName === this.local.id) return this.local;
    return this.findSsh(idOrName);
  }

  /** Adds an SSH host; names are unique, case-insensitively. */
  async add(input: SshHostInput): Promise<HostSummary> {
    const host = sshHostInputSchema.parse(input);
    const config: SshHostConfig = { ...host, id: randomUUID() };
    await this.settings.update((s) => {
      this.assertFreeName(s.hosts, config.name);
      return { ...s, hosts: [...s.hosts, config] };
    });
    return (await this.findSsh(config.id)).summary();
  }

  /** Replaces an SSH host's settings; an open connection is closed so the next one uses them. */
  async update(idOrName: string, input: SshHostInput): Promise<HostSummary> {
    const existing = await this.findSsh(idOrName);
    const config: SshHostConfig = { ...sshHostInputSchema.parse(input), id: existing.config.id };
    await this.settings.update((s) => {
      this.assertFreeName(
        s.hosts.filter((h) => h.id !== config.id),
        config.name,
      );
      return { ...s, hosts: s.hosts.map((h) => (h.id === config.id ? config : h)) };
    });
    existing.close();
    this.ssh.delete(config.id);
    return (await this.findSsh(config.id)).summary();
  }

  /** Disconnects and forgets an SSH host. */
  async remove(idOrName: string): Promise<void> {
    const host = await this.findSsh(idOrName);
    host.close();
    this.ssh.delete(host.id);
    await this.settings.update((s) => ({
      ...s,
      hosts: s.hosts.filter((h) => h.id !== host.id),
    }));
    this.events.emit('host:removed', { id: host.id });
  }

  /**
   * Calls `listener` with every host whenever the hosts in settings change, whoever changed them:
   * this process, the CLI, another window or LabDeck. Other settings (notices, the serve port)
   * do not call it. Resolves to the function that stops watching.
   */
  async watchList(listener: (hosts: HostSummary[]) => void): Promise<() => void> {
    let seen = JSON.stringify((await this.settings.read()).hosts);
    return this.settings.watch(() => {
      void (async () => {
        const now = JSON.stringify((await this.settings.read()).hosts);
        if (now === seen) return;
        seen = now;
        listener(await this.list());
      })().catch(() => {}); // an unreadable file is reported by the read that repairs it
    });
  }

  /** Replaces a host's known key after the user verified the new fingerprint; then reconnect. */
  async replaceHostKey(idOrName: string, fingerprint: string): Promise<string> {
    const host = await this.findSsh(idOrName);
    if (host.config.jump.length > 0) {
      throw new AppFailure({
        code: 'replace-key-through-jump',
        message: 'Replacing the key of a host behind jump hosts is not supported yet.',
        hint: `Remove the old key with \`${commandLine(['ssh-keygen', '-R', knownHostsName(host.config.hostname, host.config.port)])}\` and connect again to be asked.`,
      });
    }
    const replaced = await replaceHostKey(
      this.context.hostKeys,
      host.config.hostname,
      host.config.port,
      fingerprint,
    );
    host.close();
    return replaced;
  }

  /** Closes every host's agent and connection (on quit). */
  dispose(): void {
    this.local.close();
    for (const host of this.ssh.values()) host.close();
  }

  /** An SSH host by id or name: the one kind whose settings can be edited. */
  private async findSsh(idOrName: string): Promise<SshHost> {
    const hosts = await this.sshHosts();
    const host =
      hosts.find((h) => h.config.id === idOrName) ?? hosts.find((h) => h.config.name === idOrName);
    if (!host) throw notFound(idOrName);
    return host;
  }

  private async sshHosts(): Promise<SshHost[]> {
    const { hosts } = await this.settings.read();
    this.forgetChangedElsewhere(hosts);
    return hosts.map((config) => {
      let host = this.ssh.get(config.id);
      if (!host) {
        host = new SshHost(config, {
          ...this.context.ssh,
          ...attemptLimitsFromEnv(this.context.env),
          // No wrapper around the prompt: each question comes with the signal of the attempt
          // that asks it, which Disconnect (an edit, removing the host) aborts, never a later one.
          onChange: () => this.events.emit('host:updated', host!.current()),
        });
        this.ssh.set(config.id, host);
      }
      return host;
    });
  }

  /**
   * Drops the hosts whose settings another process (the CLI, another window) edited or removed,
   * closing their connections, as `update` and `remove` do here: the next look uses the settings
   * as they are now, and a removed host stops connecting.
   */
  private forgetChangedElsewhere(configs: readonly SshHostConfig[]): void {
    for (const [id, host] of this.ssh) {
      const config = configs.find((c) => c.id === id);
      if (config && JSON.stringify(config) === JSON.stringify(host.config)) continue;
      host.close();
      this.ssh.delete(id);
      if (!config) this.events.emit('host:removed', { id });
    }
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
}
