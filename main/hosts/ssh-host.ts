import type { Client, ClientChannel } from 'ssh2';
import packageJson from '../../package.json';
import { nodeIsUsable, type ProbeReport } from '../../common/agent/probe-report';
import { AppFailure, type AppError } from '../../common/contract/result';
import type { SshHostConfig } from '../../common/hosts/host-config';
import type { DockerStatus, HostSummary } from '../../common/hosts/host-summary';
import { AgentClient } from '../agent/agent-client';
import type { AgentBundle } from '../agent/agent-bundle-file';
import { ensureAgentUploaded, remoteAgentPath } from '../agent/agent-upload';
import { probeHost } from '../agent/probe';
import { commandLine } from '../../common/shell/shell-quote';
import { openSsh, type SshConnectOptions } from '../ssh/ssh-connection';
import type { SshEndpoint } from '../ssh/ssh-endpoint';
import { HostConnection } from './host-connection';

/** Bound on the agent's hello once its process runs. */
const AGENT_HELLO_TIMEOUT_MS = 15_000;

/** What every SSH host shares: where host keys, secrets and prompts go, and the agent to push. */
export type SshHostContext = Omit<SshConnectOptions, 'target' | 'jumps' | 'onStep'> & {
  readonly bundle: () => Promise<AgentBundle>;
  readonly onChange: () => void;
};

/** The endpoint chain of a configured host: its jump hosts, then itself. */
export function endpointsOf(config: SshHostConfig): { target: SshEndpoint; jumps: SshEndpoint[] } {
  const identityFiles = config.identityFile ? [config.identityFile] : [];
  return {
    target: {
      host: config.hostname,
      port: config.port,
      user: config.user,
      identityFiles,
      identitiesOnly: config.identitiesOnly,
    },
    jumps: config.jump.map((hop) => ({
      host: hop.hostname,
      port: hop.port,
      user: hop.user,
      identityFiles: [],
      identitiesOnly: false,
    })),
  };
}

function dockerFromProbe(probe: ProbeReport | undefined): DockerStatus {
  const base = {
    socket: '/var/run/docker.sock',
    version: null,
    checkedAt: new Date().toISOString(),
  };
  switch (probe?.docker) {
    case undefined:
      return { ...base, state: 'unknown', message: 'Not checked yet: connect to the host first.' };
    case 'writable':
      return { ...base, state: 'reachable', message: 'The Docker socket is usable by you.' };
    case 'not-writable':
      return {
        ...base,
        state: 'permission-denied',
        message: 'Docker runs, but you may not use its socket.',
        hint: `Ask an admin to run \`sudo usermod -aG docker ${probe.user}\`, then reconnect.`,
      };
    case 'missing':
      return {
        ...base,
        state: 'not-installed',
        message: 'No Docker socket on this host.',
        hint: 'Ask an admin to install Docker Engine (`sudo apt-get install docker.io`).',
      };
  }
}

/**
 * One SSH host at run time: its connection (kept up by {@link HostConnection}), what the probe
 * found, and the agent client over an exec channel. Each new connection re-probes and restarts
 * the agent channel; the agent daemon itself outlives dropped connections.
 */
export class SshHost {
  readonly connection: HostConnection;
  probe: ProbeReport | undefined;
  agent: AgentClient | undefined;
  private ready: Promise<AgentClient> | undefined;

  constructor(
    public config: SshHostConfig,
    private readonly context: SshHostContext,
  ) {
    const { target, jumps } = endpointsOf(config);
    this.connection = new HostConnection((onStep) =>
      openSsh({ ...context, target, jumps, onStep }),
    );
    this.connection.on('state', () => context.onChange());
    this.connection.on('session', (session) => {
      this.agent?.close();
      this.agent = undefined;
      this.ready = this.startAgent(session.client);
      this.ready.catch(() => {});
    });
  }

  /** The host as lists show it. */
  summary(): HostSummary {
    const { config } = this;
    return {
      id: config.id,
      name: config.name,
      kind: 'ssh',
      address: `${config.user}@${config.hostname}${config.port === 22 ? '' : `:${config.port}`}`,
      docker: dockerFromProbe(this.probe),
      connection: this.connection.state,
      config,
    };
  }

  /** Connects if needed and resolves once the agent answers. */
  async agentClient(): Promise<AgentClient> {
    await this.connection.connect();
    if (!this.ready)
      throw new AppFailure({ code: 'agent-not-started', message: 'The agent was not started.' });
    return this.ready;
  }

  private async startAgent(client: Client): Promise<AgentClient> {
    const bundle = await this.context.bundle();
    this.probe = await probeHost(client, bundle.fileName);
    this.context.onChange();
    const node = this.nodeFor(this.probe);
    await ensureAgentUploaded(client, this.probe, bundle);
    const channel = await new Promise<ClientChannel>((resolve, reject) =>
      client.exec(
        commandLine([node, remoteAgentPath(this.probe!, bundle), 'connect']),
        (error, ch) => (error ? reject(error) : resolve(ch)),
      ),
    );
    const agent = await AgentClient.connect(channel, {
      client: `labdeck ${packageJson.version}`,
      timeoutMs: AGENT_HELLO_TIMEOUT_MS,
      stderr: channel.stderr,
    });
    this.agent = agent;
    return agent;
  }

  private nodeFor(probe: ProbeReport): string {
    if (probe.nodePath && nodeIsUsable(probe.nodeVersion)) return probe.nodePath;
    if (probe.cachedNodePath) return probe.cachedNodePath;
    const found: AppError = {
      code: 'node-missing',
      message: `${this.config.name} has no Node.js 18 or newer (${probe.nodeVersion ?? 'none found on the login PATH'}), which LabDeck's agent needs.`,
      hint: 'Install Node.js 18+ on the host (e.g. `sudo apt-get install nodejs`), then reconnect.',
    };
    throw new AppFailure(found);
  }
}
