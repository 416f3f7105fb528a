import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { StreamOpen } from '../../common/agent/stream-header';
import type { DoctorReport } from '../../common/hosts/doctor-report';
import type { HostSummary } from '../../common/hosts/host-summary';
import type { AgentClient } from '../agent/agent-client';
import type { ExecResult } from '../ssh/remote-exec';

/** How {@link Host.exec} runs a program. */
export interface HostExecOptions {
  /** Written to the program's stdin, which is then closed. */
  readonly stdin?: Buffer | string;
  /** Bound on the whole run; the program is stopped past it. */
  readonly timeoutMs?: number;
}

/**
 * One machine LabDeck works on, whatever reaches it ("This computer", SSH; later Slurm or
 * Kubernetes). Features ask a host, never a transport: the agent, Docker, programs and the
 * doctor's checks come through this one interface, so no feature branches on the kind of host.
 */
export interface Host {
  /** The id every request and event names the host by. */
  readonly id: string;
  /** The host as lists show it, its Docker state no staler than the host's own cache allows. */
  summary(): Promise<HostSummary>;
  /** Checks the host's Docker engine again and returns its new state. */
  refresh(): Promise<HostSummary>;
  /** Makes the host ready (SSH: connects, asking what is needed) and returns its state. */
  connect(): Promise<HostSummary>;
  /** The host's agent, started (and, over SSH, connected) on first use and shared after. */
  agent(): Promise<AgentClient>;
  /** A dockerode client for the host's engine: the local socket, or a forward over SSH. */
  docker(): Promise<Docker>;
  /** Runs `argv` on the host (never through a local shell string) and collects its output. */
  exec(argv: readonly string[], options?: HostExecOptions): Promise<ExecResult>;
  /** The Unix user LabDeck acts as on the host: the owner of the sessions it starts. */
  user(): Promise<string>;
  /**
   * A TCP connection to `port` on the host's own 127.0.0.1 (where sessions publish their
   * services): a `direct-tcpip` channel on the host's SSH connection, or a plain socket locally.
   */
  openTcp(port: number): Promise<Duplex>;
  /**
   * A byte stream of the host's agent (a terminal's `term:<id>`; docs/agent-streams.md), the
   * open header already sent: the duplex carries the stream's frames both ways. A connection of
   * its own to the daemon's socket (forwarded over SSH), else `attach` on an exec channel.
   */
  openAgentStream(open: StreamOpen): Promise<Duplex>;
  /**
   * `[node, bundle]`: how the agent is run on the host (connecting first), for the entries that
   * run outside the daemon — host setup runs it as root through sudo.
   */
  agentCommand(): Promise<readonly string[]>;
  /** The host's Docker socket, where the agent reaches containers (session terminals). */
  dockerSocket(): Promise<string | undefined>;
  /** Checks every step of reaching the host: its own steps, then the shared ones. */
  check(): Promise<DoctorReport>;
  /** Closes the agent and the connection; the next use opens them again. */
  close(): void;
}
