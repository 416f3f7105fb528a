import type { EventName, EventPayload } from '../../common/contract/contract';
import type { EventSource } from './handlers';

/** A typed publish/subscribe hub for the contract's events; services emit, bridges listen. */
export class EventHub implements EventSource {
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();

  /** Subscribes to one event; returns the unsubscribe function. */
  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Delivers a payload to every current listener; one failing listener does not stop the rest. */
  emit<K extends EventName>(event: K, payload: EventPayload<K>): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as (payload: EventPayload<K>) => void)(payload);
      } catch (error) {
        console.error(`listener for ${event} failed`, error);
      }
    }
  }
}
