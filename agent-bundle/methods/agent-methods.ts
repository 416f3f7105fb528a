import {
  AGENT_METHOD_SHUTDOWN,
  AGENT_PROTOCOL_VERSION,
  type AgentIdentity,
} from '../../common/agent/agent-protocol';
import type { AgentRegistry } from '../rpc/agent-registry';
import { sharedTopic } from '../rpc/shared-topic';

/** What the built-in methods need from the process that runs the agent. */
export interface AgentMethodsHost {
  readonly identity: AgentIdentity;
  /** `Date.now()` when the agent started. */
  readonly startedAtMs: number;
  /** The daemon's socket; undefined in `stdio` mode. */
  readonly socketPath?: string;
  /** Connected clients right now. */
  clients(): number;
  /**
   * Closes every client and exits. Called after the `agent.shutdown` reply has been queued, so
   * the caller learns that the agent agreed before its connection closes.
   */
  shutdown(): void;
}

const MS_PER_S = 1000;

/**
 * Registers `agent.info`, `agent.shutdown` and the `agent.heartbeat` topic. The heartbeat is a
 * shared topic (one timer per interval, however many subscribe), which also exercises the
 * start-on-first, stop-on-last machinery that GPU telemetry relies on.
 */
export function registerAgentMethods(registry: AgentRegistry, host: AgentMethodsHost): void {
  registry.handle('agent.info', () => ({
    agentVersion: host.identity.agentVersion,
    protocol: AGENT_PROTOCOL_VERSION,
    pid: host.identity.pid,
    uptimeS: Math.floor((Date.now() - host.startedAtMs) / MS_PER_S),
    clients: host.clients(),
    node: host.identity.node,
    platform: host.identity.platform,
    arch: host.identity.arch,
    ...(host.socketPath === undefined ? {} : { socketPath: host.socketPath }),
  }));

  registry.handle(AGENT_METHOD_SHUTDOWN, () => {
    // After this reply is written: the handler's value is sent before any macrotask runs.
    setImmediate(() => host.shutdown());
    return {};
  });

  registry.publish(
    'agent.heartbeat',
    sharedTopic({
      key: ({ intervalMs }) => String(intervalMs),
      start: ({ intervalMs }, sink) => {
        const timer = setInterval(() => sink.emit({ at: Date.now() }), intervalMs);
        return () => clearInterval(timer);
      },
    }),
  );
}
