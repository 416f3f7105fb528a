import type { Duplex } from 'node:stream';
import {
  isRequestName,
  isStreamName,
  isTopicName,
  requests,
  streams,
  topics,
} from '../../common/contract/contract';
import { toAppError, type AppError, type Result } from '../../common/contract/result';
import { invalidInput } from '../../common/contract/validation';
import type { CallContext, Handlers, TopicCleanup, TopicSink } from './handlers';

/** The outcome of opening a stream: a duplex to pump, or the reason it could not open. */
export type OpenResult = { ok: true; stream: Duplex } | { ok: false; error: AppError };

/** The outcome of listening to a topic: the cleanup to run later, or why it was refused. */
export type ListenResult = { ok: true; cleanup: TopicCleanup } | { ok: false; error: AppError };

function unknownChannel(kind: string, channel: string): AppError {
  return {
    code: 'unknown-channel',
    message: `There is no ${kind} named "${channel}".`,
    hint: 'The window and the services are from different LabDeck versions; restart LabDeck.',
  };
}

/**
 * Routes untrusted calls to the handlers: checks the channel exists, parses the input with the
 * contract's schema, and turns anything thrown into a `{ok:false}` result. Every transport (IPC,
 * WebSocket, in-process) goes through here, so the checks are written once.
 */
export class Dispatcher {
  constructor(private readonly handlers: Handlers) {}

  async request(
    channel: string,
    rawInput: unknown,
    context: CallContext,
  ): Promise<Result<unknown>> {
    if (!isRequestName(channel)) return { ok: false, error: unknownChannel('request', channel) };
    const parsed = requests[channel].input.safeParse(rawInput ?? {});
    if (!parsed.success)
      return { ok: false, error: invalidInput(`input to ${channel}`, parsed.error) };
    try {
      const handler = this.handlers.requests[channel] as (i: unknown, c: CallContext) => unknown;
      return { ok: true, value: await handler(parsed.data, context) };
    } catch (error) {
      return { ok: false, error: toAppError(error) };
    }
  }

  async openStream(channel: string, rawInput: unknown, context: CallContext): Promise<OpenResult> {
    if (!isStreamName(channel)) return { ok: false, error: unknownChannel('stream', channel) };
    const parsed = streams[channel].input.safeParse(rawInput ?? {});
    if (!parsed.success)
      return { ok: false, error: invalidInput(`input to ${channel}`, parsed.error) };
    try {
      const handler = this.handlers.streams[channel] as (
        i: unknown,
        c: CallContext,
      ) => Promise<Duplex>;
      return { ok: true, stream: await handler(parsed.data, context) };
    } catch (error) {
      return { ok: false, error: toAppError(error) };
    }
  }

  /** Starts one subscriber's topic subscription; `sink` receives its events. */
  async listen(
    topic: string,
    rawParams: unknown,
    sink: TopicSink<unknown>,
    context: CallContext,
  ): Promise<ListenResult> {
    if (!isTopicName(topic)) return { ok: false, error: unknownChannel('topic', topic) };
    const parsed = topics[topic].params.safeParse(rawParams ?? {});
    if (!parsed.success)
      return { ok: false, error: invalidInput(`parameters of ${topic}`, parsed.error) };
    try {
      const handler = this.handlers.topics[topic] as (
        p: unknown,
        s: TopicSink<unknown>,
        c: CallContext,
      ) => Promise<TopicCleanup> | TopicCleanup;
      return { ok: true, cleanup: await handler(parsed.data, sink, context) };
    } catch (error) {
      return { ok: false, error: toAppError(error) };
    }
  }
}
