import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { Client, ClientChannel } from 'ssh2';
import packageJson from '../../package.json';
import { nodeIsUsable, type ProbeReport } from '../../common/agent/probe-report';
import { AppFailure } from '../../common/contract/result';
import type { SshHostConfig } from '../../common/hosts/host-config';
import type { DoctorReport } from '../../common/hosts/doctor-report';
import type { DockerStatus, HostSummary } from '../../common/hosts/host-summary';
import { AgentClient } from '../agent/agent-client';
import { attachArgs, daemonSocketOf, startAgentStream } from '../agent/agent-stream';
import type { StreamOpen } from '../../common/agent/stream-header';
import type { AgentBundle } from '../agent/agent-bundle-file';
import { ensureNodeRuntime, NODE_RUNTIME_VERSION } from '../agent/node-runtime';
import { ensureAgentUploaded, remoteAgentPath } from '../agent/agent-upload';
import { assertCacheSafe, probeHost, REMOTE_CACHE_DIR } from '../agent/probe';
import { commandLine } from '../../common/shell/shell-quote';
import { openSsh, type SshConnectOptions } from '../ssh/ssh-connection';
import { endpointLabel, type SshEndpoint } from '../ssh/ssh-endpoint';
import { execCollect, type ExecResult } from '../ssh/remote-exec';
import { HostConnection } from './host-connection';
import { dockerFromProbe, dockerOverSsh, sshDockerStatus } from '../docker/ssh-docker';
import type { Host, HostExecOptions } from './host';
import { doctorReport } from './host-doctor';
import { sshDoctorFacts } from './ssh-doctor';

/** RFC 4254's SSH_OPEN_ADMINISTRATIVELY_PROHIBITED: the server forbids this channel. */
const SSH_OPEN_PROHIBITED = 1;

/** Where Docker listens on a host the probe has not described yet. */
const DEFAULT_REMOTE_DOCKER_SOCKET = '/var/run/docker.sock';

/** Bound on the agent's hello once its process runs. */
const AGENT_HELLO_TIMEOUT_MS = 15_000;
/**
 * Bound on the hello of a daemon reached through a forwarded socket: it already runs, so it
 * answers in milliseconds; one that does not is left to the `connect` path, which replaces it.
 */
const FORWARDED_HELLO_TIMEOUT_MS = 3_000;

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

/**
 * Reaches this build's running daemon through a forwarded socket channel
 * (`direct-streamlocal@openssh.com`) and says hello: no Node process starts on the host. Resolves
 * undefined, closing what it opened, when the server forbids socket forwarding, nothing answers,
 * or the daemon is not the build LabDeck pushed; the caller then uses {@link openAgent}.
 */
async function openForwardedAgent(
  client: Client,
  socketPath: string,
  bundleSha256: string,
): Promise<AgentClient | undefined> {
  try {
    const channel = await new Promise<ClientChannel>((resolve, reject) =>
      client.openssh_forwardOutStreamLocal(socketPath, (error, ch) =>
        error ? reject(error) : resolve(ch),
      ),
    );
    const agent = await AgentClient.connect(channel, {
      client: `labdeck ${packageJson.version}`,
      timeoutMs: FORWARDED_HELLO_TIMEOUT_MS,
    });
    // Security: the same check as the exec path, the daemon must be the bundle we pushed.
    if (agent.hello.bundleSha256 === bundleSha256) return agent;
    agent.close();
  } catch {
    // Forwarding refused (AllowStreamLocalForwarding no), or no daemon answered: exec instead.
  }
  return undefined;
}

/** Bytes as a percentage of a total, for upload steps. */
function percent(sent: number, total: number): string {
  return `${Math.min(100, Math.round((sent / Math.max(1, total)) * 100))} %`;
}

/**
 * One SSH host at run time, as a {@link Host}: its connection (kept up by
 * {@link HostConnection}), what the probe found, and the agent client: through a forwarded socket
 * to this build's daemon when it already runs, else over an exec channel running `connect`. A
 * connection counts as up only once the agent answers: probe, uploads (with progress) and the
 * agent's start are steps of connecting. Docker and programs ride the same connection. The agent
 * daemon itself outlives dropped connections.
 */
export class SshHost implements Host {
  readonly connection: HostConnection;
  probe: ProbeReport | undefined;
  private agentClient: AgentClient | undefined;
  private dockerStatus: DockerStatus | undefined;
  private client: Client | undefined;
  /** `<node> <agent>` on the host, for `attach` when the daemon's socket cannot be forwarded. */
  private agentArgv: readonly string[] | undefined;

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
      let agent: AgentClient;
      try {
        signal.throwIfAborted();
        this.agentClient?.close();
        this.agentClient = undefined;
        agent = await this.startAgent(session.client, onStep);
        this.agentClient = agent;
      } catch (error) {
        session.close();
        throw error;
      } finally {
        signal.removeEventListener('abort', stop);
      }
      this.client = session.client;
      void this.askDocker(session.client);
      // An agent channel that dies while SSH stays up is a dropped connection too.
      void agent.closed.then(() => session.close());
      return session;
    });
    this.connection.on('state', () => context.onChange());
  }

  get id(): string {
    return this.config.id;
  }

  /** The host as lists show it, now (what `host:updated` carries). */
  current(): HostSummary {
    const { config } = this;
    return {
      id: config.id,
      name: config.name,
      kind: 'ssh',
      address: endpointLabel({ user: config.user, host: config.hostname, port: config.port }),
      docker: this.dockerStatus ?? dockerFromProbe(this.probe),
      connection: this.connection.state,
      config,
    };
  }

  async summary(): Promise<HostSummary> {
    return this.current();
  }

  /** Asks the host's Docker engine (over the open connection, if one is) for its state again. */
  async refresh(): Promise<HostSummary> {
    if (this.client && this.connection.state.phase === 'connected')
      await this.askDocker(this.client);
    return this.current();
  }

  async connect(): Promise<HostSummary> {
    await this.agent();
    return this.current();
  }

  /** Connects if needed and resolves once the agent answers. */
  async agent(): Promise<AgentClient> {
    await this.connection.connect();
    if (!this.agentClient) {
      throw new AppFailure({ code: 'agent-not-started', message: 'The agent was not started.' });
    }
    return this.agentClient;
  }

  /** The engine over this host's connection (a forward to its socket per HTTP connection). */
  async docker(): Promise<Docker> {
    const { client } = await this.connection.connect();
    return dockerOverSsh(client, this.probe?.dockerSocket ?? DEFAULT_REMOTE_DOCKER_SOCKET);
  }

  async user(): Promise<string> {
    await this.connection.connect();
    return this.probe?.user ?? this.config.user;
  }

  async openTcp(port: number): Promise<Duplex> {
    const { client } = await this.connection.connect();
    // A synchronous throw (ssh2's "Not connected" on a link that just dropped) rejects.
    return new Promise((resolve, reject) =>
      client.forwardOut('127.0.0.1', 0, '127.0.0.1', port, (error, channel) => {
        if (!error) return resolve(channel);
        // OpenSSH says only "open failed"; the reason code tells a forbidden forward apart.
        const prohibited = (error as Error & { reason?: number }).reason === SSH_OPEN_PROHIBITED;
        reject(
          prohibited
            ? new AppFailure({
                code: 'forward-prohibited',
                message: `${this.config.name}'s SSH server refused to forward port ${port} (administratively prohibited)`,
                hint: 'The server has AllowTcpForwarding no: ask its admin to allow forwarding for your user.',
              })
            : error,
        );
      }),
    );
  }

  async openAgentStream(open: StreamOpen): Promise<Duplex> {
    const agent = await this.agent();
    const { client } = await this.connection.connect();
    try {
      const socketPath = await daemonSocketOf(agent);
      const channel = await new Promise<ClientChannel>((resolve, reject) =>
        client.openssh_forwardOutStreamLocal(socketPath, (error, ch) =>
          error ? reject(error) : resolve(ch),
        ),
      );
      return startAgentStream(channel, open);
    } catch (error) {
      // AllowStreamLocalForwarding no: `attach` on an exec channel proxies to the same socket.
      if (this.agentArgv === undefined) throw error;
      const command = commandLine([...this.agentArgv, ...attachArgs(open)]);
      return new Promise((resolve, reject) =>
        client.exec(command, (failure, channel) => {
          if (failure) return reject(failure);
          // Unread stderr would fill its buffer and stall the channel's window: drain it.
          channel.stderr.resume();
          resolve(channel);
        }),
      );
    }
  }

  async agentCommand(): Promise<readonly string[]> {
    await this.agent();
    if (this.agentArgv === undefined)
      throw new AppFailure({ code: 'agent-not-started', message: 'The agent was not started.' });
    return this.agentArgv;
  }

  async dockerSocket(): Promise<string | undefined> {
    await this.connection.connect();
    return this.probe?.dockerSocket ?? DEFAULT_REMOTE_DOCKER_SOCKET;
  }

  async exec(argv: readonly string[], options: HostExecOptions = {}): Promise<ExecResult> {
    const { client } = await this.connection.connect();
    return execCollect(client, argv, options);
  }

  /**
   * TCP, host key, login, probe, Node, agent — then the shared steps: Docker, nvidia-smi, NVIDIA
   * container runtime, XFS quotas. Steps after a failed connection step are skipped.
   */
  async check(): Promise<DoctorReport> {
    return doctorReport(this.config.name, await sshDoctorFacts(this));
  }

  /** Closes the agent channel and the connection, and stops reconnecting. */
  close(): void {
    this.agentClient?.close();
    this.connection.disconnect();
  }

  private async askDocker(client: Client): Promise<void> {
    if (!this.probe) return;
    this.dockerStatus = await sshDockerStatus(client, this.probe);
    this.context.onChange();
  }

  private async startAgent(client: Client, step: (name: string) => void): Promise<AgentClient> {
    const bundle = await this.context.bundle();
    step('probing the host');
    const probe = await probeHost(client, bundle, NODE_RUNTIME_VERSION);
    this.probe = probe;
    this.dockerStatus = undefined;
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
    this.agentArgv = [node, remoteAgentPath(probe, bundle)];
    step('starting the agent');
    if (probe.daemonSocket !== null) {
      const forwarded = await openForwardedAgent(client, probe.daemonSocket, bundle.sha256);
      if (forwarded !== undefined) return forwarded;
    }
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
