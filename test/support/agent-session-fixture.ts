import { Duplex, PassThrough } from 'node:stream';
import {
  agentContract,
  type AgentContract,
  type UserAgentContract,
} from '../../common/agent/agent-contract';
import { AGENT_MAX_LINE_BYTES, type AgentIdentity } from '../../common/agent/agent-protocol';
import { LineSplitter, parseLine } from '../../common/agent/line-codec';
import { AgentRegistry } from '../../agent-bundle/rpc/agent-registry';
import { AgentServer } from '../../agent-bundle/rpc/agent-server';
import type { AgentSession } from '../../agent-bundle/rpc/agent-session';
import type { AgentLog } from '../../agent-bundle/runtime/agent-log';

/** Longest a test waits for the agent's next line. */
const NEXT_LINE_TIMEOUT_MS = 2_000;

/** A fixed identity for in-process agents. */
export const TEST_IDENTITY: AgentIdentity = {
  protocol: 1,
  agentVersion: '0.0.0-test',
  bundleSha256: 'f'.repeat(64),
  pid: 4242,
  node: 'v20.0.0',
  platform: 'linux',
  arch: 'x64',
};

/** An in-process agent session over two pipes, and a client-side view of it. */
export interface SessionFixture<C extends AgentContract = UserAgentContract> {
  readonly server: AgentServer;
  readonly session: AgentSession;
  readonly registry: AgentRegistry<C>;
  /** Warnings the agent logged. */
  readonly warnings: string[];
  /** The client's end as one duplex, for `AgentClient` (use it, or `next`, not both). */
  readonly clientStream: Duplex;
  /** Writes raw text, or one message as a line. */
  send(message: unknown): void;
  /** The agent's next line, parsed; rejects after a timeout, resolves `'closed'` at the end. */
  next(): Promise<unknown>;
  /** Resolves once the agent has ended its output. */
  readonly outputEnded: Promise<void>;
}

/**
 * Starts an in-process agent session serving `contract` (the user agent's by default); `register`
 * adds methods and topics first.
 */
export function startSession<C extends AgentContract = UserAgentContract>(
  register?: (registry: AgentRegistry<C>) => void,
  contract: C = agentContract as AgentContract as C,
): SessionFixture<C> {
  const registry = new AgentRegistry<C>(contract);
  register?.(registry);
  const warnings: string[] = [];
  const log: AgentLog = {
    info: () => undefined,
    warn: (message) => warnings.push(message),
    close: async () => undefined,
  };
  const server = new AgentServer({ registry, identity: TEST_IDENTITY, log });
  const toAgent = new PassThrough();
  const fromAgent = new PassThrough();
  const session = server.attach(toAgent, fromAgent);

  const queue: unknown[] = [];
  const waiters: ((line: unknown) => void)[] = [];
  const deliver = (value: unknown): void => {
    const waiter = waiters.shift();
    if (waiter) waiter(value);
    else queue.push(value);
  };
  let resolveEnded!: () => void;
  const outputEnded = new Promise<void>((resolve) => (resolveEnded = resolve));
  let reading = false;
  const readLines = (): void => {
    if (reading) return;
    reading = true;
    const splitter = new LineSplitter(AGENT_MAX_LINE_BYTES, {
      line: (text) => deliver(parseLine(text)),
      overflow: () => deliver('overflow'),
    });
    fromAgent.on('data', (chunk: Buffer) => splitter.push(chunk));
    fromAgent.on('end', () => {
      deliver('closed');
      resolveEnded();
    });
  };

  return {
    server,
    session,
    registry,
    warnings,
    get clientStream() {
      return Duplex.from({ readable: fromAgent, writable: toAgent });
    },
    get outputEnded() {
      readLines();
      return outputEnded;
    },
    send: (message) =>
      toAgent.write(typeof message === 'string' ? message : `${JSON.stringify(message)}\n`),
    next: () => {
      readLines();
      return queue.length > 0
        ? Promise.resolve(queue.shift())
        : new Promise((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error('no line from the agent in time')),
              NEXT_LINE_TIMEOUT_MS,
            );
            waiters.push((value) => {
              clearTimeout(timer);
              resolve(value);
            });
          });
    },
  };
}
