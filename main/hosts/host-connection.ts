import { EventEmitter } from 'node:events';
import { AppFailure, toAppError, type AppError } from '../../common/contract/result';
import type { ConnectionState } from '../../common/hosts/connection-state';
import type { SshSession } from '../ssh/ssh-connection';
import { NO_RETRY_CODES, reconnectDelayMs, USER_STOPPED_CODES } from './reconnect-backoff';

/**
 * Opens a fresh connection; reports progress through `step`. `signal` is this attempt's own:
 * aborted on Disconnect, when the opener should stop where it is (handshake, questions, agent).
 */
export type Opener = (step: (name: string) => void, signal: AbortSignal) => Promise<SshSession>;

/** What an attempt ended by Disconnect fails with. */
function closedOnRequest(): AppFailure {
  return new AppFailure({
    code: 'ssh-disconnected',
    message: 'The connection was closed on request.',
  });
}

/**
 * Keeps one host's connection up: connects on request, and after a drop of a working connection
 * (sshd restart, network change, laptop sleep — noticed by keepalives) reconnects by itself with
 * exponential backoff, showing `stalled` while keepalives go unanswered. A host that never
 * connected is not retried: its first failure is `failed` until the user retries or edits it,
 * as VS Code Remote-SSH does (a typo in the port would otherwise be retried forever). A refused
 * login, a host-key problem or a question nobody answered is never retried blindly either; a
 * login the user cancelled leaves the host `idle`. Disconnect ends an attempt under way too: the
 * signal it was opened with is aborted (its questions withdrawn, its handshake stopped) and its
 * outcome no longer changes the state. Emits `state` on every change.
 */
export class HostConnection extends EventEmitter<{ state: [ConnectionState] }> {
  private current: ConnectionState = { phase: 'idle' };
  private session: SshSession | undefined;
  private pending: Promise<SshSession> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private wanted = false;
  /** The connection was up since the user last asked for it: a failure now is a drop. */
  private wasUp = false;
  private controller = new AbortController();

  constructor(private readonly open: Opener) {
    super();
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** Connects (or joins the attempt in progress) and resolves with the open session. */
  connect(): Promise<SshSession> {
    this.wanted = true;
    if (this.session) return Promise.resolve(this.session);
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    if (this.controller.signal.aborted) this.controller = new AbortController();
    if (!this.pending) {
      const attempt = this.attemptOnce(this.controller.signal).finally(() => {
        if (this.pending === attempt) this.pending = undefined;
      });
      this.pending = attempt;
    }
    return this.pending;
  }

  /** Closes the connection, ends an attempt under way and stops reconnecting. */
  disconnect(): void {
    this.wanted = false;
    this.wasUp = false;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.controller.abort(closedOnRequest());
    this.pending = undefined;
    this.session?.close();
    this.session = undefined;
    this.set({ phase: 'idle' });
  }

  private async attemptOnce(signal: AbortSignal): Promise<SshSession> {
    this.set({ phase: 'connecting', step: 'opening TCP connection' });
    try {
      const session = await this.open((step) => {
        if (!signal.aborted) this.set({ phase: 'connecting', step });
      }, signal);
      if (signal.aborted) {
        session.close();
        throw closedOnRequest();
      }
      this.attempt = 0;
      this.session = session;
      this.wasUp = true;
      const since = new Date().toISOString();
      this.set({ phase: 'connected', since });
      session.onLink((stalled) => {
        if (this.session !== session) return;
        this.set(
          stalled
            ? { phase: 'stalled', since: new Date().toISOString() }
            : { phase: 'connected', since },
        );
      });
      session.client.on('error', (error: Error & { level?: string }) => {
        if (error.level === 'client-timeout' && this.session === session)
          this.set({ phase: 'stalled', since: new Date().toISOString() });
      });
      void session.closed.then(() => this.dropped(session));
      return session;
    } catch (error) {
      if (signal.aborted) throw closedOnRequest(); // the user's Disconnect set the state
      const appError = toAppError(error);
      this.failedAttempt(appError);
      throw error instanceof AppFailure ? error : new AppFailure(appError);
    }
  }

  private dropped(session: SshSession): void {
    if (this.session !== session) return;
    this.session = undefined;
    if (!this.wanted) return;
    this.failedAttempt({
      code: 'ssh-connection-lost',
      message: 'The connection to the host was lost.',
      hint: 'LabDeck reconnects by itself; check the network if this repeats.',
    });
  }

  private failedAttempt(error: AppError): void {
    if (USER_STOPPED_CODES.has(error.code)) {
      this.wanted = false;
      this.wasUp = false;
      this.set({ phase: 'idle', cancelled: error });
      return;
    }
    if (!this.wanted || !this.wasUp || NO_RETRY_CODES.has(error.code)) {
      this.set({ phase: 'failed', error });
      return;
    }
    this.attempt += 1;
    const delay = reconnectDelayMs(this.attempt);
    this.set({
      phase: 'reconnecting',
      attempt: this.attempt,
      at: new Date(Date.now() + delay).toISOString(),
      lastError: error,
    });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect().catch(() => {}); // the next failure schedules the next attempt
    }, delay);
    this.retryTimer.unref();
  }

  private set(state: ConnectionState): void {
    this.current = state;
    this.emit('state', state);
  }
}
