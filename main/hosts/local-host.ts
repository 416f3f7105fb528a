import { connect } from 'node:net';
import { userInfo } from 'node:os';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { StreamOpen } from '../../common/agent/stream-header';
import packageJson from '../../package.json';
import type { DoctorReport } from '../../common/hosts/doctor-report';
import {
  LOCAL_HOST_ID,
  type DockerStatus,
  type HostSummary,
} from '../../common/hosts/host-summary';
import type { AgentClient } from '../agent/agent-client';
import { startLocalAgent } from '../agent/local-agent';
import { daemonSocketOf, startAgentStream } from '../agent/agent-stream';
import { runProbe } from '../agent/probe';
import { dockerSocketPath, localDocker, probeLocalDocker } from '../docker/local-docker';
import type { ExecResult } from '../ssh/remote-exec';
import type { Host, HostExecOptions } from './host';
import {
  dockerOutcome,
  doctorReport,
  failedOutcome,
  type DoctorOutcome,
  type DoctorStepName,
} from './host-doctor';
import { execLocal } from './local-exec';
import { localNodePath } from './local-node';

/** Bound on starting the local agent (its daemon included). */
const LOCAL_AGENT_TIMEOUT_MS = 15_000;

/** A Docker check younger than this is reused by `summary`; `refresh` always checks again. */
const DOCKER_STATUS_MAX_AGE_MS = 5_000;

/** The name "This computer" is shown under in every list. */
export const LOCAL_HOST_NAME = 'This computer';

/** What "This computer" needs from the services. */
export interface LocalHostContext {
  readonly env: NodeJS.ProcessEnv;
  /** The built agent the local child process runs. */
  readonly bundlePath: string;
  /** Told the host's new state whenever its Docker state changes. */
  readonly onChange: (summary: HostSummary) => void;
}

/**
 * "This computer" as a {@link Host}: the agent runs as a local child process (its daemon shared
 * with other LabDeck processes), Docker is the local socket, programs are child processes. Always
 * connected; its doctor steps need no network.
 */
export class LocalHost implements Host {
  readonly id = LOCAL_HOST_ID;
  private dockerState: { status: DockerStatus; at: number } | undefined;
  private running: Promise<AgentClient> | undefined;

  constructor(private readonly context: LocalHostContext) {}

  async summary(): Promise<HostSummary> {
    const known = this.dockerState;
    if (known && Date.now() - known.at < DOCKER_STATUS_MAX_AGE_MS)
      return this.summaryOf(known.status);
    return this.refresh();
  }

  async refresh(): Promise<HostSummary> {
    const status = await probeLocalDocker(this.context.env);
    const before = this.dockerState?.status;
    this.dockerState = { status, at: Date.now() };
    const summary = this.summaryOf(status);
    if (before?.state !== status.state || before.version !== status.version)
      this.context.onChange(summary);
    return summary;
  }

  connect(): Promise<HostSummary> {
    return this.refresh();
  }

  async agent(): Promise<AgentClient> {
    this.running ??= startLocalAgent({
      bundlePath: this.context.bundlePath,
      client: `labdeck ${packageJson.version}`,
      timeoutMs: LOCAL_AGENT_TIMEOUT_MS,
      env: this.context.env,
    });
    const started = this.running;
    const agent = await started.catch((error: unknown) => {
      if (this.running === started) this.running = undefined;
      throw error;
    });
    void agent.closed.then(() => {
      if (this.running === started) this.running = undefined;
    });
    return agent;
  }

  async docker(): Promise<Docker> {
    return localDocker(this.context.env);
  }

  async user(): Promise<string> {
    return userInfo().username;
  }

  async openAgentStream(open: StreamOpen): Promise<Duplex> {
    const socketPath = await daemonSocketOf(await this.agent());
    return new Promise((resolve, reject) => {
      const socket = connect(socketPath);
      // Errors after the connect are the stream's to handle; never an uncaught one meanwhile.
      socket.on('error', () => undefined);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(startAgentStream(socket, open));
      });
      socket.once('error', reject);
    });
  }

  async agentCommand(): Promise<readonly string[]> {
    return [await localNodePath(this.context.env), this.context.bundlePath];
  }

  async dockerSocket(): Promise<string | undefined> {
    return dockerSocketPath(this.context.env);
  }

  openTcp(port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(socket);
      });
      socket.once('error', reject);
    });
  }

  exec(argv: readonly string[], options: HostExecOptions = {}): Promise<ExecResult> {
    return execLocal(argv, { ...options, env: this.context.env });
  }

  /**
   * No SSH steps; the probe runs here, Docker is checked on its socket (so the state matches the
   * Hosts page), and the agent runs as a local child process.
   */
  async check(): Promise<DoctorReport> {
    const outcomes: Partial<Record<DoctorStepName, DoctorOutcome>> = {
      tcp: { status: 'pass', detail: 'This computer: no network needed.' },
      'host-key': { status: 'pass', detail: 'This computer: no SSH.' },
      authentication: { status: 'pass', detail: 'This computer: you are logged in.' },
    };
    const probe = await runProbe((argv, stdin) => this.exec(argv, { stdin }), 'none').catch(
      (error: unknown) => {
        outcomes.probe = failedOutcome(error);
        return undefined;
      },
    );
    outcomes.docker = dockerOutcome((await this.refresh()).docker);
    const agent = await this.agent().catch((error: unknown) => {
      outcomes.agent = failedOutcome(error);
      return undefined;
    });
    return doctorReport(LOCAL_HOST_NAME, {
      outcomes,
      ...(probe ? { probe } : {}),
      ...(agent ? { agent } : {}),
    });
  }

  close(): void {
    const running = this.running;
    this.running = undefined;
    void running?.then((agent) => agent.close()).catch(() => {});
  }

  private summaryOf(docker: DockerStatus): HostSummary {
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
