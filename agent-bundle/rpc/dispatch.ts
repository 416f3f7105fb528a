import type { AgentMessage, ClientMessage } from '../../common/agent/agent-protocol';
import { toAppError, type AppError } from '../../common/contract/result';
import { invalidInput } from '../../common/contract/validation';
import type { AgentLog } from '../runtime/agent-log';
import type { RegistryLookup, TopicCleanup } from './agent-registry';

/** Subscriptions one client may hold at once: bounds what a buggy client can start. */
export const MAX_SUBSCRIPTIONS_PER_CLIENT = 1000;

/** One live subscription of a session. */
export interface Subscription {
  /** Stops the topic for this subscriber without telling the client (the session is gone). */
  stop(): void;
}

/** The per-session state a message acts on. */
export interface DispatchContext {
  readonly registry: RegistryLookup;
  readonly client: string;
  readonly calls: Set<AbortController>;
  readonly subscriptions: Map<number, Subscription>;
  readonly log: AgentLog;
  send(message: AgentMessage): void;
}

function notFound(kind: 'method' | 'topic', name: string): AppError {
  return {
    code: `unknown-agent-${kind}`,
    message: `The agent has no ${kind} named "${name}".`,
    hint: 'LabDeck and the agent on this host are from different versions; reconnect the host.',
  };
}

async function answer(
  ctx: DispatchContext,
  id: number,
  method: string,
  params: unknown,
): Promise<void> {
  const entry = ctx.registry.method(method);
  if (entry === undefined)
    return ctx.send({ t: 'res', id, result: { ok: false, error: notFound('method', method) } });
  const parsed = entry.spec.params.safeParse(params ?? {});
  if (!parsed.success) {
    const error = invalidInput(`params of ${method}`, parsed.error);
    return ctx.send({ t: 'res', id, result: { ok: false, error } });
  }
  const controller = new AbortController();
  ctx.calls.add(controller);
  try {
    const value = await entry.handler(parsed.data, {
      client: ctx.client,
      signal: controller.signal,
    });
    ctx.send({ t: 'res', id, result: { ok: true, value } });
  } catch (thrown) {
    const error = toAppError(thrown);
    if (error.code === 'internal-error') ctx.log.warn(`${method} failed: ${String(thrown)}`);
    ctx.send({ t: 'res', id, result: { ok: false, error } });
  } finally {
    ctx.calls.delete(controller);
  }
}

function subscribe(ctx: DispatchContext, id: number, topic: string, params: unknown): void {
  const end = (error?: AppError): void =>
    ctx.send(error ? { t: 'end', id, error } : { t: 'end', id });
  const entry = ctx.registry.topic(topic);
  if (entry === undefined) return end(notFound('topic', topic));
  if (ctx.subscriptions.has(id)) {
    return end({ code: 'duplicate-subscription', message: `Subscription ${id} is already open.` });
  }
  if (ctx.subscriptions.size >= MAX_SUBSCRIPTIONS_PER_CLIENT) {
    return end({
      code: 'too-many-subscriptions',
      message: `A client may hold ${MAX_SUBSCRIPTIONS_PER_CLIENT} subscriptions.`,
    });
  }
  const parsed = entry.spec.params.safeParse(params ?? {});
  if (!parsed.success) return end(invalidInput(`params of ${topic}`, parsed.error));

  const controller = new AbortController();
  let cleanup: TopicCleanup | void = undefined;
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    ctx.subscriptions.delete(id);
    controller.abort();
    try {
      cleanup?.();
    } catch (thrown) {
      ctx.log.warn(`stopping ${topic} failed: ${String(thrown)}`);
    }
  };
  const finish = (error?: AppError): void => {
    if (stopped) return;
    stop();
    end(error);
  };
  ctx.subscriptions.set(id, { stop });
  try {
    cleanup = entry.start(
      parsed.data,
      {
        emit: (data) => {
          if (!stopped) ctx.send({ t: 'ev', id, data });
        },
        end: finish,
      },
      controller.signal,
    );
  } catch (thrown) {
    finish(toAppError(thrown));
  }
  if (stopped) cleanup?.();
}

/** Acts on one parsed client message: answers a request, or opens or closes a subscription. */
export function dispatchMessage(message: ClientMessage, ctx: DispatchContext): void {
  switch (message.t) {
    case 'req':
      void answer(ctx, message.id, message.method, message.params);
      return;
    case 'sub':
      return subscribe(ctx, message.id, message.topic, message.params);
    case 'unsub': {
      const subscription = ctx.subscriptions.get(message.id);
      if (subscription === undefined) return;
      subscription.stop();
      ctx.send({ t: 'end', id: message.id });
      return;
    }
    default:
      return message satisfies never;
  }
}
