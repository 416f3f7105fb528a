import type { Readable, Writable } from 'node:stream';
import { AgentSession, type SessionHost } from './agent-session';

/** Called whenever the number of connected clients changes. */
export type ClientsListener = (clients: number) => void;

/**
 * Every client session of one agent process, whatever carries them (the daemon's socket, or
 * stdio). Counts them so the daemon can exit when idle, and closes them all on shutdown.
 */
export class AgentServer {
  private readonly sessions = new Set<AgentSession>();
  private readonly listeners = new Set<ClientsListener>();

  constructor(private readonly host: SessionHost) {}

  /** Connected clients, including ones that have not said hello yet. */
  get clients(): number {
    return this.sessions.size;
  }

  /** Serves one client reading `input` and writing `output` (one socket: pass it twice). */
  attach(input: Readable, output: Writable): AgentSession {
    const session = new AgentSession(this.host, input, output);
    this.sessions.add(session);
    this.notify();
    void session.closed.then(() => {
      this.sessions.delete(session);
      this.notify();
    });
    return session;
  }

  /** Subscribes to changes of {@link clients}; returns the unsubscribe. */
  onClientsChanged(listener: ClientsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Closes every session (each flushes what it already sent) and waits until all are gone. */
  async closeAll(): Promise<void> {
    const sessions = [...this.sessions];
    for (const session of sessions) session.close();
    await Promise.all(sessions.map((session) => session.closed));
  }

  private notify(): void {
    for (const listener of this.listeners) listener(this.sessions.size);
  }
}
