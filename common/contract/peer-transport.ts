import type { AppError, Result } from './result';
import type { StreamControl, StreamSink, TopicSink, Transport } from './transport';
import type { ClientMessage, MessagePortLike, ServerMessage } from './wire';

const DISCONNECTED: AppError = {
  code: 'bridge-disconnected',
  message: 'The connection to the LabDeck services was lost.',
  hint: 'Reload the window. In browser mode, check that `npm run serve` is still running.',
};

/**
 * A {@link Transport} over a message port: the client half of the bridge protocol, shared by the
 * preload (Electron IPC) and browser mode (WebSocket). Pending requests fail, and open streams
 * end, when the port closes, so nothing waits forever; so do topic subscriptions.
 */
export function createPeerTransport(
  port: MessagePortLike<ServerMessage, ClientMessage>,
): Transport {
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const sinks = new Map<number, StreamSink>();
  const topicSinks = new Map<number, TopicSink>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  port.onMessage((message) => {
    switch (message.t) {
      case 'res': {
        pending.get(message.id)?.(message.result);
        pending.delete(message.id);
        return;
      }
      case 'ev': {
        for (const listener of listeners.get(message.ev) ?? []) listener(message.payload);
        return;
      }
      case 'data': {
        sinks.get(message.id)?.data(message.bytes);
        return;
      }
      case 'end': {
        const sink = sinks.get(message.id);
        sinks.delete(message.id);
        sink?.end(message.error);
        return;
      }
      case 'topic': {
        topicSinks.get(message.id)?.event(message.payload);
        return;
      }
      case 'unlistened': {
        const sink = topicSinks.get(message.id);
        topicSinks.delete(message.id);
        sink?.end(message.error);
        return;
      }
    }
  });

  port.onClose(() => {
    closed = true;
    for (const resolve of pending.values()) resolve({ ok: false, error: DISCONNECTED });
    pending.clear();
    for (const sink of sinks.values()) sink.end(DISCONNECTED);
    sinks.clear();
    for (const sink of topicSinks.values()) sink.end(DISCONNECTED);
    topicSinks.clear();
  });

  return {
    request(channel, input) {
      if (closed) return Promise.resolve({ ok: false, error: DISCONNECTED });
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        port.send({ t: 'req', id, ch: channel, input });
      });
    },

    on(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
        if (!closed) port.send({ t: 'sub', ev: event });
      }
      set.add(listener);
      return () => {
        const current = listeners.get(event);
        if (!current?.delete(listener) || current.size > 0) return;
        listeners.delete(event);
        if (!closed) port.send({ t: 'unsub', ev: event });
      };
    },

    openStream(channel, input, sink): StreamControl {
      const id = nextId++;
      if (closed) {
        queueMicrotask(() => sink.end(DISCONNECTED));
      } else {
        sinks.set(id, sink);
        port.send({ t: 'open', id, ch: channel, input });
      }
      return {
        write(bytes) {
          if (sinks.has(id)) port.send({ t: 'write', id, bytes });
        },
        ack(bytes) {
          if (sinks.has(id) && bytes > 0) port.send({ t: 'credit', id, bytes });
        },
        close() {
          if (sinks.delete(id)) port.send({ t: 'close', id });
        },
      };
    },

    listen(topic, params, sink) {
      const id = nextId++;
      if (closed) {
        queueMicrotask(() => sink.end(DISCONNECTED));
        return () => {};
      }
      topicSinks.set(id, sink);
      port.send({ t: 'listen', id, topic, params });
      return () => {
        if (topicSinks.delete(id) && !closed) port.send({ t: 'unlisten', id });
      };
    },
  };
}
