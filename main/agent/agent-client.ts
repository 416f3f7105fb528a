import type { Duplex, Readable } from 'node:stream';
import type * as z from 'zod';
import {
  agentContract,
  methodSpec,
  topicSpec,
  type AgentContract,
  type MethodName,
  type MethodParamsInput,
  type MethodResult,
  type TopicEvent,
  type TopicName,
  type TopicParamsInput,
  type UserAgentContract,
} from '../../common/agent/agent-contract';
import {
  AGENT_MAX_LINE_BYTES,
  AGENT_PROTOCOL_VERSION,
  agentMessageSchema,
  type AgentHello,
  type AgentMessage,
} from '../../common/agent/agent-protocol';
import { encodeLine, LineSplitter, parseLine } from '../../common/agent/line-codec';
import { fail, ok, type AppError, type Result } from '../../common/contract/result';
import { describeIssues } from '../../common/contract/validation';
import { awaitHello, StderrTail } from './agent-handshake';

/** A request that gets no answer this long fails (the connection stays up). */
export const AGENT_REQUEST_TIMEOUT_MS = 30_000;

/** How to open a client. */
export interface AgentConnectOptions<C extends AgentContract = UserAgentContract> {
  /** Names this side in the agent's log, e.g. `labdeck 0.1.0`. */
  readonly client: string;
  /** Bound on the hello round trip. */
  readonly timeoutMs: number;
  /** The agent process's stderr, if separate (exec channel, child): quoted in failures. */
  readonly stderr?: Readable;
  /** The methods and topics the agent serves; the user agent's by default. */
  readonly contract?: C;
}

/** Receives a subscription's events (parsed with the topic's schema when it is in the contract). */
export type EventListener<E = unknown> = (data: E) => void;
/** Called once when a subscription ends from the agent's side, or the connection closes. */
export type EndListener = (error?: AppError) => void;

interface Subscriber {
  readonly topic: string;
  readonly event: z.ZodType | undefined;
  readonly onEvent: EventListener;
  readonly onEnd: EndListener;
}

interface Pending {
  readonly resolve: (result: Result<unknown>) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * LabDeck's side of the agent protocol over any duplex stream (an ssh2 exec channel running
 * `labdeck-agent connect`, or a local child's stdio). Every line from the agent is parsed with zod:
 * the agent is another program, possibly another version. Nothing here throws after `connect`;
 * requests resolve to a {@link Result}. Calls and subscriptions are typed from contract `C`
 * (common/agent/agent-contract.ts), whose schemas also parse every result and event.
 */
export class AgentClient<C extends AgentContract = UserAgentContract> {
  /** Resolves with the reason once the connection has closed, for the reconnect logic. */
  readonly closed: Promise<AppError>;
  private readonly pending = new Map<number, Pending>();
  private readonly subscriptions = new Map<number, Subscriber>();
  private nextId = 1;
  private closeReason: AppError | undefined;
  private resolveClosed!: (reason: AppError) => void;

  private constructor(
    private readonly stream: Duplex,
    /** Who answered: version, build hash, pid, Node and platform of the agent. */
    readonly hello: AgentHello,
    messages: (listener: (message: AgentMessage) => void) => void,
    private readonly stderr: StderrTail,
    private readonly contract: C,
  ) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    messages((message) => this.onMessage(message));
    stream.on('close', () => this.shutDown('the agent connection closed'));
    stream.on('end', () => this.shutDown('the agent ended the connection'));
    stream.on('error', (error) => this.shutDown(`the agent connection failed: ${error.message}`));
  }

  /**
   * Says hello over `stream` and resolves once the agent has answered. Rejects with an
   * {@link AppFailure} naming the step that failed: no reply in time, an incompatible agent, or
   * the stream closing first (the agent's stderr, if given, is quoted); the stream is destroyed
   * then. Lines that are not protocol messages (a noisy shell rc file) are skipped.
   */
  static async connect<C extends AgentContract = UserAgentContract>(
    stream: Duplex,
    options: AgentConnectOptions<C>,
  ): Promise<AgentClient<C>> {
    const stderr = new StderrTail(options.stderr);
    const listeners = new Set<(message: AgentMessage) => void>();
    const splitter = new LineSplitter(AGENT_MAX_LINE_BYTES, {
      line: (text) => {
        const parsed = agentMessageSchema.safeParse(parseLine(text));
        if (parsed.success) for (const listener of listeners) listener(parsed.data);
      },
      overflow: () => undefined,
    });
    stream.on('data', (chunk: Buffer | string) =>
      splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk),
    );
    stream.on('error', () => undefined);
    stream.write(
      encodeLine({ t: 'hello', protocol: AGENT_PROTOCOL_VERSION, client: options.client }),
    );
    let hello: AgentHello;
    try {
      hello = await awaitHello(stream, listeners, stderr, options.timeoutMs);
    } catch (error) {
      stream.destroy();
      throw error;
    }
    const contract = options.contract ?? (agentContract as AgentContract as C);
    return new AgentClient(stream, hello, (listener) => listeners.add(listener), stderr, contract);
  }

  /**
   * Calls contract method `method`; resolves with its result parsed by the contract's schema, or
   * a failure naming the method if the answer does not parse (`agent-bad-response`), the agent
   * does not answer within `timeoutMs`, or the connection closes first.
   */
  call<M extends MethodName<C>>(
    method: M,
    params: MethodParamsInput<C, M>,
    options: { readonly timeoutMs?: number } = {},
  ): Promise<Result<MethodResult<C, M>>> {
    const schema = methodSpec(this.contract, method)?.result as z.ZodType<MethodResult<C, M>>;
    return this.request(method, params, options.timeoutMs).then((result) =>
      parseValue(`answer to ${method}`, result, schema),
    );
  }

  /**
   * Subscribes to contract topic `topic`; each event is parsed with the contract's schema, and
   * one that does not parse ends the subscription with `agent-bad-response` naming the topic.
   * `onEnd` runs once if the agent ends the subscription or the connection closes; not after the
   * returned unsubscribe has been called.
   */
  subscribe<T extends TopicName<C>>(
    topic: T,
    params: TopicParamsInput<C, T>,
    onEvent: EventListener<TopicEvent<C, T>>,
    onEnd: EndListener,
  ): () => void;
  subscribe(
    topic: string,
    params: unknown,
    onEvent: EventListener<never>,
    onEnd: EndListener,
  ): () => void {
    if (this.closeReason) {
      const reason = this.closeReason;
      queueMicrotask(() => onEnd(reason));
      return () => undefined;
    }
    const id = this.nextId++;
    const event = topicSpec(this.contract, topic)?.event;
    this.subscriptions.set(id, { topic, event, onEvent: onEvent as EventListener, onEnd });
    this.send({ t: 'sub', id, topic, params });
    return () => {
      if (this.subscriptions.delete(id)) this.send({ t: 'unsub', id });
    };
  }

  /** Subscribes to the connection closing; returns the unsubscribe. */
  onClosed(listener: (reason: AppError) => void): () => void {
    let active = true;
    void this.closed.then((reason) => active && listener(reason));
    return () => (active = false);
  }

  /** Closes the connection; pending requests fail and subscriptions end. */
  close(): void {
    this.shutDown('LabDeck closed the agent connection');
    this.stream.end();
  }

  private request(method: string, params: unknown, timeoutMs?: number): Promise<Result<unknown>> {
    if (this.closeReason) return Promise.resolve(fail(this.closeReason));
    const id = this.nextId++;
    const limitMs = timeoutMs ?? AGENT_REQUEST_TIMEOUT_MS;
    return new Promise<Result<unknown>>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(
          fail({
            code: 'agent-timeout',
            message: `The agent did not answer ${method} within ${limitMs} ms.`,
            hint: 'The host may be overloaded or the connection stalled; LabDeck will retry.',
          }),
        );
      }, limitMs);
      this.pending.set(id, { resolve, timer });
      this.send({ t: 'req', id, method, params });
    });
  }

  private send(message: unknown): void {
    if (!this.closeReason) this.stream.write(encodeLine(message));
  }

  private onMessage(message: AgentMessage): void {
    if (message.t === 'res') {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      clearTimeout(pending.timer);
      pending.resolve(message.result.ok ? ok(message.result.value) : fail(message.result.error));
    } else if (message.t === 'ev') {
      this.onEvent(message.id, message.data);
    } else if (message.t === 'end') {
      const subscription = this.subscriptions.get(message.id);
      this.subscriptions.delete(message.id);
      subscription?.onEnd(message.error);
    }
  }

  private onEvent(id: number, data: unknown): void {
    const subscription = this.subscriptions.get(id);
    if (subscription === undefined) return;
    const event = parseValue(`event of ${subscription.topic}`, ok(data), subscription.event);
    if (event.ok) return subscription.onEvent(event.value);
    this.subscriptions.delete(id);
    this.send({ t: 'unsub', id });
    subscription.onEnd(event.error);
  }

  private shutDown(what: string): void {
    if (this.closeReason) return;
    const reason: AppError = {
      code: 'agent-disconnected',
      message: `Lost the agent: ${what}.${this.stderr.quote()}`,
      hint: 'LabDeck reconnects by itself; if this repeats, check the host is reachable.',
    };
    this.closeReason = reason;
    for (const { resolve, timer } of this.pending.values()) {
      clearTimeout(timer);
      resolve(fail(reason));
    }
    this.pending.clear();
    const subscriptions = [...this.subscriptions.values()];
    this.subscriptions.clear();
    for (const { onEnd } of subscriptions) onEnd(reason);
    this.resolveClosed(reason);
  }
}

/** `result` with its value parsed by `schema` (none: as it is); `what` names it in the failure. */
function parseValue<T>(what: string, result: Result<unknown>, schema?: z.ZodType<T>): Result<T> {
  if (!result.ok || schema === undefined) return result as Result<T>;
  const parsed = schema.safeParse(result.value);
  if (parsed.success) return ok(parsed.data);
  return fail({
    code: 'agent-bad-response',
    message: `The agent's ${what} has an unexpected shape: ${describeIssues(parsed.error)}`,
    hint: 'LabDeck and the agent on this host are from different versions; reconnect the host.',
  });
}
