import type { Client, ClientChannel } from 'ssh2';
import packageJson from '../../package.json';
import { nodeIsUsable, type ProbeReport } from '../../common/agent/probe-report';
import { AppFailure } from '../../common/contract/result';
import type { SshHostConfig } from '../../common/hosts/host-config';
import type { DockerStatus, HostSummary } from '../../common/hosts/host-summary';
import { AgentClient } from '../agent/agent-client';
import type { AgentBundle } from '../agent/agent-bundle-file';
import { ensureNodeRuntime, NODE_RUNTIME_VERSION } from '../agent/node-runtime';
import { ensureAgentUploaded, remoteAgentPath } from '../agent/agent-upload';
import { assertCacheSafe, probeHost, REMOTE_CACHE_DIR } from '../agent/probe';
import { commandLine } from '../../common/shell/shell-quote';
import { openSsh, type SshConnectOptions } from '../ssh/ssh-connection';
import type { SshEndpoint } from '../ssh/ssh-endpoint';
import { HostConnection } from './host-connection';
import { dockerFromProbe, sshDockerStatus } from '../docker/ssh-docker';

/** Bound on the agent's hello once its process runs. */
const AGENT_HELLO_TIMEOUT_MS = 15_000;

/** What every SSH host shares: where host keys, secrets and prompts go, and the agent to push. */
export type SshHostContext = Omit<SshConnectOptions, 'target' | 'jumps' | 'onStep' | 'signal'> & {
  readonly bundle: () => Promise<AgentBundle>;
  /** Where the Node runtimes to push live (resources/node-runtimes). */
  readonly runtimesDir: string;
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

/** Runs `node agentPath connect` over an exec channel and says hello through it. */
async function openAgent(client: Client, node: string, agentPath: string): Promise<AgentClient> {
  const channel = await new Promise<ClientChannel>((resolve, reject) =>
    client.exec(commandLine([node, agentPath, 'connect']), (error, ch) =>
      error ? reject(error) : resolve(ch),
    ),
  );
  return AgentClient.connect(channel, {
    client: `labdeck ${packageJson.version}`,
    timeoutMs: AGENT_HELLO_TIMEOUT_MS,
    stderr: channel.stderr,
  });
}

/** Bytes as a percentage of a total, for upload steps. */
function percent(sent: number, total: number): string {
  return `${Math.min(100, Math.round((sent / Math.max(1, total)) * 100))} %`;
}

/**
 * One SSH host at run time: its connection (kept up by {@link HostConnection}), what the probe
 * found, and the agent client over an exec channel. A connection counts as up only once the
 * agent answers: probe, uploads (with progress) and the agent's start are steps of connecting.
 * The agent daemon itself outlives dropped connections.
 */
export class SshHost {
  readonly connection: HostConnection;
  probe: ProbeReport | undefined;
  agent: AgentClient | undefined;
  private docker: DockerStatus | undefined;
  private client: Client | undefined;

  constructor(
    public config: SshHostConfig,
    private readonly context: SshHostContext,
  ) {
    const { target, jumps } = endpointsOf(config);
    this.connection = new HostConnection(async (onStep, signal) => {
      const session = await openSsh({ ...context, target, jumps, onStep, signal });
      // Disconnect during the probe or an upload: closing the client fails whatever runs on it.
      const stop = (): void => session.close();
      signal.addEventListener('abort', stop);
      try {
        signal.throwIfAborted();
        this.agent?.close();
        this.agent = await this.startAgent(session.client, onStep);
      } catch (error) {
        session.close();
        throw error;
      } finally {
        signal.removeEventListener('abort', stop);
      }
      this.client = session.client;
      void this.askDocker(session.client);
      // An agent channel that dies while SSH stays up is a dropped connection too.
      void this.agent.closed.then(() => session.close());
      return session;
    });
    this.connection.on('state', () => context.onChange());
  }

  /** The host as lists show it. */
  summary(): HostSummary {
    const { config } = this;
    return {
      id: config.id,
      name: config.name,
      kind: 'ssh',
      address: `${config.user}@${config.hostname}${config.port === 22 ? '' : `:${config.port}`}`,
      docker: this.docker ?? dockerFromProbe(this.probe),
      connection: this.connection.state,
      config,
    };
  }

  /** Asks the host's Docker engine (over the open connection) for its state again. */
  async checkDocker(): Promise<void> {
    if (this.client && this.connection.state.phase === 'connected')
      await this.askDocker(this.client);
  }

  private async askDocker(client: Client): Promise<void> {
    if (!this.probe) return;
    this.docker = await sshDockerStatus(client, this.probe);
    this.context.onChange();
  }

  /** Connects if needed and resolves once the agent answers. */
  async agentClient(): Promise<AgentClient> {
    await this.connection.connect();
    if (!this.agent) {
      throw new AppFailure({ code: 'agent-not-started', message: 'The agent was not started.' });
    }
    return this.agent;
  }

  private async startAgent(client: Client, step: (name: string) => void): Promise<AgentClient> {
    const bundle = await this.context.bundle();
    step('probing the host');
    const probe = await probeHost(client, bundle.fileName, NODE_RUNTIME_VERSION);
    this.probe = probe;
    this.docker = undefined;
    this.context.onChange();
    assertCacheSafe(probe);
    const node = await this.nodeFor(client, probe, step);
    const upload = (force: boolean) =>
      ensureAgentUploaded(
        client,
        probe,
        bundle,
        (sent, total) => step(`uploading the agent: ${percent(sent, total)}`),
        force,
      );
    await upload(false);
    step('starting the agent');
    const agent = await openAgent(client, node, remoteAgentPath(probe, bundle));
    if (agent.hello.bundleSha256 === bundle.sha256) return agent;
    // The file changed after the probe hashed it: push ours again and start from it, once.
    agent.close();
    await upload(true);
    const again = await openAgent(client, node, remoteAgentPath(probe, bundle));
    if (again.hello.bundleSha256 === bundle.sha256) return again;
    again.close();
    throw new AppFailure({
      code: 'agent-bundle-mismatch',
      message: `The agent that answered on the host is not the one LabDeck pushed (its bundle hashes to ${again.hello.bundleSha256.slice(0, 12)}…, LabDeck's to ${bundle.sha256.slice(0, 12)}…).`,
      hint: `Something keeps changing ${remoteAgentPath(probe, bundle)}; remove ~/${REMOTE_CACHE_DIR}/agent on the host and connect again.`,
    });
  }

  private async nodeFor(
    client: Client,
    probe: ProbeReport,
    step: (name: string) => void,
  ): Promise<string> {
    if (probe.nodePath && nodeIsUsable(probe.nodeVersion)) return probe.nodePath;
    return ensureNodeRuntime(client, probe, this.context.runtimesDir, (sent, total) =>
      step(`uploading Node ${NODE_RUNTIME_VERSION}: ${percent(sent, total)}`),
    );
  }
}
