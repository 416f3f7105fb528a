import { AppFailure, toAppError } from '../../common/contract/result';
import type { PromptBroker, PromptRequest } from '../../common/ssh/prompts';
import { endpointLabel, type SshEndpoint } from './ssh-endpoint';
import { codeSpan, sshVerboseCommand } from './ssh-hint-commands';

/** How long one hop's TCP connect, key exchange and login may take, questions excluded. */
export const HANDSHAKE_TIMEOUT_MS = 20_000;
/** How long one question waits for its answer before the attempt stops (not retried). */
export const PROMPT_TIMEOUT_MS = 5 * 60_000;

/** The two clocks of an attempt; both injectable so tests wait seconds, not minutes. */
export interface AttemptLimits {
  readonly handshakeTimeoutMs: number;
  readonly promptTimeoutMs: number;
}

/**
 * The limits set in the environment (`LABDECK_SSH_HANDSHAKE_TIMEOUT_MS`,
 * `LABDECK_PROMPT_TIMEOUT_MS`, in ms), for a very slow link or a test of `labdeck serve`;
 * unset or unusable values keep the defaults.
 */
export function attemptLimitsFromEnv(env: NodeJS.ProcessEnv): Partial<AttemptLimits> {
  const ms = (text: string | undefined): number | undefined => {
    const value = Number(text);
    return text && Number.isInteger(value) && value > 0 ? value : undefined;
  };
  const handshakeTimeoutMs = ms(env.LABDECK_SSH_HANDSHAKE_TIMEOUT_MS);
  const promptTimeoutMs = ms(env.LABDECK_PROMPT_TIMEOUT_MS);
  return {
    ...(handshakeTimeoutMs ? { handshakeTimeoutMs } : {}),
    ...(promptTimeoutMs ? { promptTimeoutMs } : {}),
  };
}

/** "1.5 s", "5 minutes": a limit as a sentence says it. */
function duration(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} minutes` : `${ms / 1000} s`;
}

/** What a question asked, for a sentence that says which one went unanswered. */
function questionText(request: PromptRequest): string {
  switch (request.kind) {
    case 'host-key-unknown':
      return `whether to trust the host key of ${request.host}`;
    case 'passphrase':
      return `the passphrase of ${request.keyPath}`;
    case 'password':
      return `the password of ${request.user}@${request.host}`;
    case 'keyboard-interactive':
      return `the login questions of ${request.user}@${request.host}`;
    case 'sudo-password':
      return `the sudo password of ${request.user} on ${request.host}`;
  }
}

const NOT_RETRIED = 'LabDeck does not retry by itself after a question went unanswered.';

/**
 * One hop's connection attempt, from TCP connect to a finished login. It runs the handshake
 * clock itself, because ssh2's `readyTimeout` keeps running while a person is asked (a host
 * key accepted after 22 s read "did not answer in time"): the clock stops while a question is
 * open and goes on after. It bounds each question by the prompt timeout, and withdraws the
 * open questions (aborting their signal) when the attempt ends for any reason — including its
 * owner's `signal` (Disconnect), which ends it at once wherever it is. It ends once: the first
 * reason wins and is what the user reads; `ended` tells ssh2 callbacks that come later (a late
 * `verify`, `next`) to do nothing, since calling them on a closed client throws.
 */
export class ConnectAttempt {
  private readonly controller = new AbortController();
  private clock: NodeJS.Timeout | undefined;
  private clockLeftMs: number;
  private clockStartedAt = 0;
  /** The questions open now, oldest first; the clock runs only while there are none. */
  private readonly open: PromptRequest[] = [];
  private done = false;
  private readonly onOwnerAbort: () => void;

  /** `via`: the jump hosts in front of `endpoint`, for the `ssh -J` of a hint. */
  constructor(
    private readonly endpoint: SshEndpoint,
    private readonly via: readonly SshEndpoint[],
    private readonly limits: AttemptLimits,
    private readonly onFailed: (failure: AppFailure) => void,
    private readonly signal?: AbortSignal,
  ) {
    this.clockLeftMs = limits.handshakeTimeoutMs;
    this.onOwnerAbort = () => this.fail(asFailure(signal?.reason));
  }

  /** True once the attempt logged in or failed. */
  get ended(): boolean {
    return this.done;
  }

  /** The question waiting for the user right now, if any. */
  get asking(): PromptRequest | undefined {
    return this.open[0];
  }

  /** Starts the handshake clock, or fails at once if the owner's signal is already aborted. */
  start(): void {
    if (this.signal?.aborted) return this.onOwnerAbort();
    this.signal?.addEventListener('abort', this.onOwnerAbort, { once: true });
    this.runClock();
  }

  /** The login finished: the clocks stop. */
  succeed(): void {
    this.done = true;
    clearTimeout(this.clock);
    this.signal?.removeEventListener('abort', this.onOwnerAbort);
  }

  /** Ends the attempt with `failure` (the first call wins), withdrawing any open question. */
  fail(failure: AppFailure): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.clock);
    this.signal?.removeEventListener('abort', this.onOwnerAbort);
    this.controller.abort(failure);
    this.onFailed(failure);
  }

  /** The attempt's failure when the connection closed under it, as the user should read it. */
  closedFailure(): AppFailure {
    const where = endpointLabel(this.endpoint);
    const asking = this.asking;
    if (!asking) {
      return new AppFailure({
        code: 'ssh-unreachable',
        message: `Cannot reach ${where}: it closed the connection before the login finished.`,
        hint: `Check that sshd runs there and accepts you, e.g. ${this.sshCommand()}.`,
      });
    }
    return new AppFailure({
      code: 'ssh-closed-while-asking',
      message: `${where} closed the connection while LabDeck waited for ${questionText(asking)}. sshd allows a login only so long (LoginGraceTime, 2 minutes by default).`,
      hint: `Connect again and answer within that time. ${NOT_RETRIED}`,
    });
  }

  /**
   * `prompt`, bound to this attempt: the handshake clock stops while any question is open, a
   * question is withdrawn when the attempt ends (its signal is the attempt's, never a later
   * attempt's), and one that waits past the prompt timeout ends the attempt. Rejects once the
   * attempt ended, even where `prompt` itself ignores the signal (the CLI's terminal); a
   * rejected question ends the attempt with that reason.
   */
  broker(prompt: PromptBroker): PromptBroker {
    return async (request, options) => {
      if (this.done) throw this.controller.signal.reason ?? new Error('the login has finished');
      this.questionOpened(request);
      const timer = setTimeout(
        () => this.fail(this.unanswered(request)),
        this.limits.promptTimeoutMs,
      );
      const signal = options?.signal
        ? AbortSignal.any([this.controller.signal, options.signal])
        : this.controller.signal;
      try {
        return await untilAborted(prompt(request, { signal }), signal);
      } catch (error) {
        this.fail(asFailure(error));
        throw error;
      } finally {
        clearTimeout(timer);
        this.questionClosed(request);
      }
    };
  }

  private unanswered(request: PromptRequest): AppFailure {
    return new AppFailure({
      code: 'prompt-timeout',
      message: `Nobody answered ${questionText(request)} within ${duration(this.limits.promptTimeoutMs)}, so LabDeck stopped connecting.`,
      hint: `Connect again when you can answer. ${NOT_RETRIED}`,
    });
  }

  private runClock(): void {
    clearTimeout(this.clock);
    if (this.done) return;
    this.clockStartedAt = Date.now();
    this.clock = setTimeout(() => this.fail(this.timedOut()), this.clockLeftMs);
  }

  /** The first question open pauses the clock. */
  private questionOpened(request: PromptRequest): void {
    this.open.push(request);
    if (this.open.length > 1) return;
    clearTimeout(this.clock);
    this.clockLeftMs -= Date.now() - this.clockStartedAt;
  }

  /** The last question closed resumes it. */
  private questionClosed(request: PromptRequest): void {
    this.open.splice(this.open.indexOf(request), 1);
    if (this.open.length === 0) this.runClock();
  }

  private timedOut(): AppFailure {
    const where = endpointLabel(this.endpoint);
    return new AppFailure({
      code: 'ssh-unreachable',
      message: `Cannot reach ${where}: it did not finish connecting within ${duration(this.limits.handshakeTimeoutMs)} (time spent waiting for your answers not counted).`,
      hint: `Check the address and that sshd runs there, e.g. ${this.sshCommand()}.`,
    });
  }

  /** `ssh -v …` for this hop, in backticks, to run as pasted. */
  private sshCommand(): string {
    return codeSpan(sshVerboseCommand(this.endpoint, this.via));
  }
}

/** An abort reason as the failure the user reads. */
function asFailure(reason: unknown): AppFailure {
  return reason instanceof AppFailure ? reason : new AppFailure(toAppError(reason));
}

/** `promise`, or a rejection with the signal's reason as soon as it is aborted. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
