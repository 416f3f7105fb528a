import type { Readable, Writable } from 'node:stream';
import {
  AGENT_MAX_LINE_BYTES,
  AGENT_PROTOCOL_VERSION,
  clientHelloSchema,
  clientMessageSchema,
  type AgentIdentity,
  type AgentMessage,
} from '../../common/agent/agent-protocol';
import { encodeLine, LineSplitter, parseLine } from '../../common/agent/line-codec';
import { invalidInput } from '../../common/contract/validation';
import type { AgentLog } from '../runtime/agent-log';
import type { RegistryLookup } from './agent-registry';
import { dispatchMessage, type Subscription } from './dispatch';

/** A client that says nothing this long after connecting is dropped, so it cannot pin the daemon. */
export const HELLO_TIMEOUT_MS = 10_000;
/**
 * Bytes queued for a client that is not reading before it is dropped: bounds the daemon's memory
 * when a connection stalls (e.g. a laptop asleep with a subscription open).
 */
export const MAX_PENDING_OUTPUT_BYTES = 16 * 1024 * 1024;

/** What every session shares: the registry, who the agent is, and where to log. */
export interface SessionHost {
  readonly registry: RegistryLookup;
  readonly identity: AgentIdentity;
  readonly log: AgentLog;
}

/**
 * One connected client: reads its lines, answers its hello, dispatches its requests and
 * subscriptions, and undoes all of them when it goes. Every line is parsed with zod here, at the
 * boundary; nothing a client sends can throw out of this class.
 */
export class AgentSession {
  /** Resolves once the session has ended and released everything it held. */
  readonly closed: Promise<void>;
  private client = '(before hello)';
  private ready = false;
  private ended = false;
  private readonly calls = new Set<AbortController>();
  private readonly subscriptions = new Map<number, Subscription>();
  private readonly helloTimer: NodeJS.Timeout;
  private resolveClosed!: () => void;

  constructor(
    private readonly host: SessionHost,
    input: Readable,
    private readonly output: Writable,
  ) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    const splitter = new LineSplitter(AGENT_MAX_LINE_BYTES, {
      line: (text) => this.onLine(text),
      overflow: () => this.onOverflow(),
    });
    input.on('data', (chunk: Uint8Array | string) =>
      splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk),
    );
    input.on('end', () => this.close());
    input.on('close', () => this.dispose());
    input.on('error', () => this.dispose());
    output.on('error', () => this.dispose());
    this.helloTimer = setTimeout(() => {
      host.log.warn('client sent no hello in time; dropping it');
      this.close();
    }, HELLO_TIMEOUT_MS);
  }

  /** Sends one message unless the session has ended; drops a client that stopped reading. */
  send(message: AgentMessage): void {
    if (this.ended) return;
    if (this.output.writableLength > MAX_PENDING_OUTPUT_BYTES) {
      this.host.log.warn(`client ${this.client} stopped reading; dropping it`);
      this.dispose();
      this.output.destroy();
      return;
    }
    this.output.write(encodeLine(message));
  }

  /** Ends the session: flushes what was sent, then closes the client's stream. */
  close(): void {
    if (this.ended) return;
    this.dispose();
    this.output.end();
  }

  private onLine(text: string): void {
    if (this.ended) return;
    const raw = parseLine(text);
    if (!this.ready) return this.onHello(raw);
    const parsed = clientMessageSchema.safeParse(raw);
    if (parsed.success) {
      dispatchMessage(parsed.data, {
        registry: this.host.registry,
        client: this.client,
        calls: this.calls,
        subscriptions: this.subscriptions,
        send: (message) => this.send(message),
        log: this.host.log,
      });
      return;
    }
    const error = invalidInput('message', parsed.error);
    const id = (raw as { id?: unknown } | null)?.id;
    const kind = (raw as { t?: unknown } | null)?.t;
    if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) {
      this.send(
        kind === 'sub' ? { t: 'end', id, error } : { t: 'res', id, result: { ok: false, error } },
      );
    } else {
      this.host.log.warn(`dropped a malformed line from ${this.client}: ${error.message}`);
    }
  }

  private onHello(raw: unknown): void {
    clearTimeout(this.helloTimer);
    const hello = clientHelloSchema.safeParse(raw);
    if (!hello.success || hello.data.protocol !== AGENT_PROTOCOL_VERSION) {
      const message = hello.success
        ? `This agent speaks protocol ${AGENT_PROTOCOL_VERSION}; the client speaks ${hello.data.protocol}.`
        : 'The first line must be a hello.';
      this.host.log.warn(`refused a client: ${message}`);
      this.send({ t: 'incompatible', protocol: AGENT_PROTOCOL_VERSION, message });
      this.close();
      return;
    }
    this.client = hello.data.client;
    this.ready = true;
    this.host.log.info(`client ${this.client} connected`);
    this.send({ t: 'hello', ...this.host.identity });
  }

  private onOverflow(): void {
    this.host.log.warn(`dropped a line over ${AGENT_MAX_LINE_BYTES} bytes from ${this.client}`);
    if (!this.ready) this.close();
  }

  private dispose(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.helloTimer);
    for (const call of this.calls) call.abort();
    for (const subscription of this.subscriptions.values()) subscription.stop();
    this.subscriptions.clear();
    if (this.ready) this.host.log.info(`client ${this.client} disconnected`);
    this.resolveClosed();
  }
}
