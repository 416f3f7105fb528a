import type { Readable, Writable } from 'node:stream';
import type { AgentIdentity } from '../../common/agent/agent-protocol';
import { registerAgentMethods } from '../methods/agent-methods';
import { AgentRegistry } from '../rpc/agent-registry';
import { AgentServer } from '../rpc/agent-server';
import type { AgentLog } from './agent-log';

/** What `stdio` mode needs. */
export interface StdioOptions {
  readonly identity: AgentIdentity;
  readonly input: Readable;
  readonly output: Writable;
  /** Where log lines go; never `output`, which carries the protocol. */
  readonly log: AgentLog;
  /** Adds feature methods and topics beside the built-in `agent.*` ones. */
  readonly register?: (registry: AgentRegistry) => void;
}

/**
 * `stdio` mode: serves exactly one client on `input`/`output` without a daemon or socket (tests,
 * and a fallback where no socket can be made). Resolves when the client leaves or asks the agent
 * to shut down.
 */
export async function runStdio(options: StdioOptions): Promise<void> {
  const registry = new AgentRegistry();
  const server = new AgentServer({ registry, identity: options.identity, log: options.log });
  registerAgentMethods(registry, {
    identity: options.identity,
    startedAtMs: Date.now(),
    clients: () => server.clients,
    shutdown: () => void server.closeAll(),
  });
  options.register?.(registry);
  const session = server.attach(options.input, options.output);
  await session.closed;
}
