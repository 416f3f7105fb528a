import { randomUUID } from 'node:crypto';
import { AppFailure } from '../../common/contract/result';
import type { PromptAnswer, PromptBroker, PromptRequest } from '../../common/ssh/prompts';
import type { EventHub } from '../bridge/event-hub';

/** A question waiting for its answer, and how to end its wait. */
interface Pending {
  readonly request: PromptRequest;
  readonly answer: (answer: PromptAnswer) => void;
  readonly withdraw: (reason: unknown) => void;
}

/**
 * Routes the connection layer's questions to whichever window is open: each question is an
 * event (`prompt:requested`), the first answer (`prompts:answer`) settles it everywhere
 * (`prompt:settled`). A question whose connection attempt ended (its signal aborted: timed out,
 * closed, disconnected) is withdrawn the same way, so no window keeps a dialog nobody waits for
 * and a late answer to it is refused (`prompt-not-found`). How long a question may wait is the
 * attempt's business (see connect-attempt.ts), never answered here for the user.
 */
export class PromptCenter {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly events: EventHub) {}

  /** The broker handed to connections. */
  readonly ask: PromptBroker = (request, { signal } = {}) =>
    new Promise<PromptAnswer>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const id = randomUUID();
      const onAbort = (): void => this.settle(id, (p) => p.withdraw(signal?.reason));
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        request,
        answer: (answer) => {
          done();
          resolve(answer);
        },
        withdraw: (reason) => {
          done();
          reject(reason);
        },
      });
      this.events.emit('prompt:requested', { id, request });
    });

  /** Questions still waiting, oldest first. */
  list(): { id: string; request: PromptRequest }[] {
    return [...this.pending].map(([id, { request }]) => ({ id, request }));
  }

  /** Delivers the user's answer to the question `id`. */
  answer(id: string, answer: PromptAnswer): void {
    if (!this.pending.has(id)) {
      throw new AppFailure({
        code: 'prompt-not-found',
        message: 'That question was already answered, or its connection attempt has ended.',
        hint: 'Connect again if the host still needs an answer.',
      });
    }
    this.settle(id, (p) => p.answer(answer));
  }

  private settle(id: string, end: (pending: Pending) => void): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    end(pending);
    this.events.emit('prompt:settled', { id });
  }
}
