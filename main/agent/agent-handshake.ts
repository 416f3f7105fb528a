import type { Duplex, Readable } from 'node:stream';
import {
  AGENT_PROTOCOL_VERSION,
  type AgentHello,
  type AgentMessage,
} from '../../common/agent/agent-protocol';
import { parseAgentFailure, withoutAgentFailure } from '../../common/agent/agent-failure';
import { AppFailure, type AppError } from '../../common/contract/result';

/** The end of the agent's stderr kept for error messages: enough for a Node stack or our error. */
export const STDERR_TAIL_CHARS = 4096;
/** After stdout closes, how long to wait for the rest of stderr (it may lag behind). */
const STDERR_SETTLE_MS = 500;

/** Keeps the end of a process's stderr, to quote when the connection fails. */
export class StderrTail {
  private text = '';
  private readonly ended: Promise<void>;

  constructor(stderr: Readable | undefined) {
    this.ended = new Promise((resolve) => {
      if (stderr === undefined) return resolve();
      stderr.on('data', (chunk: Buffer | string) => {
        this.text = (this.text + chunk.toString()).slice(-STDERR_TAIL_CHARS);
      });
      stderr.on('end', resolve);
      stderr.on('close', resolve);
      stderr.on('error', resolve);
    });
  }

  /** Resolves once stderr has ended, or after a short wait. */
  settled(): Promise<void> {
    return Promise.race([
      this.ended,
      new Promise<void>((resolve) => setTimeout(resolve, STDERR_SETTLE_MS).unref()),
    ]);
  }

  /** ` The agent said: …` when stderr had anything, else the empty string. */
  quote(): string {
    const said = withoutAgentFailure(this.text).trim();
    return said === '' ? '' : ` The agent said: ${said}`;
  }

  /** The error the agent itself reported (see agent-failure.ts), if it did. */
  agentFailure(): AppError | undefined {
    return parseAgentFailure(this.text);
  }

  /** True when stderr says Node itself is the problem: missing, too old, or not runnable here. */
  blamesNode(): boolean {
    return NODE_TROUBLE.test(this.text);
  }
}

/**
 * What a shell or Node prints when Node is missing, cannot run on this system, or is too old
 * to parse the bundle; only then is "check Node 18" the right advice.
 */
const NODE_TROUBLE =
  /node: (?:not found|No such file)|command not found|SyntaxError|Unexpected token|GLIBC_|error while loading shared libraries|Exec format error|cannot execute|Illegal instruction/;

/** Why the agent stopped before hello: its own report when it made one, else what stderr says. */
function closedBeforeHello(stderr: StderrTail): AppFailure {
  const reported = stderr.agentFailure();
  if (reported !== undefined) {
    return new AppFailure({ ...reported, message: `Agent handshake: ${reported.message}` });
  }
  return new AppFailure({
    code: 'agent-closed-before-hello',
    message: `Agent handshake: the agent exited before answering hello.${stderr.quote()}`,
    hint: stderr.blamesNode()
      ? 'Check that Node 18 or newer runs on the host, and read the message above.'
      : "Read the message above; agent.log beside the agent's socket on the host may say more.",
  });
}

/**
 * Waits for the agent's answer to our hello (already sent). Rejects with an {@link AppFailure}
 * that names the handshake step and why it failed.
 */
export function awaitHello(
  stream: Duplex,
  listeners: Set<(message: AgentMessage) => void>,
  stderr: StderrTail,
  timeoutMs: number,
): Promise<AgentHello> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (outcome: AgentHello | AppFailure): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      listeners.delete(onMessage);
      stream.off('close', onClose);
      stream.off('end', onClose);
      if (outcome instanceof AppFailure) reject(outcome);
      else resolve(outcome);
    };
    const onMessage = (message: AgentMessage): void => {
      if (message.t === 'hello' && message.protocol === AGENT_PROTOCOL_VERSION) {
        finish(message);
      } else if (message.t === 'incompatible' || message.t === 'hello') {
        finish(
          new AppFailure({
            code: 'agent-incompatible',
            message: `Agent handshake: the agent on this host speaks protocol ${message.protocol}, LabDeck speaks ${AGENT_PROTOCOL_VERSION}.${message.t === 'incompatible' ? ` ${message.message}` : ''}`,
            hint: 'Reconnect the host: LabDeck replaces an agent of another version when it connects.',
          }),
        );
      }
    };
    const onClose = (): void => {
      void stderr.settled().then(() => finish(closedBeforeHello(stderr)));
    };
    const timer = setTimeout(
      () =>
        finish(
          new AppFailure({
            code: 'agent-hello-timeout',
            message: `Agent handshake: no answer to hello within ${timeoutMs} ms.${stderr.quote()}`,
            hint: 'The host may be overloaded, or the agent daemon failed to start; see agent.log on the host.',
          }),
        ),
      timeoutMs,
    );
    listeners.add(onMessage);
    stream.once('close', onClose);
    stream.once('end', onClose);
  });
}
