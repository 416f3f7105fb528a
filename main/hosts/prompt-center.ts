import { randomUUID } from 'node:crypto';
import { AppFailure } from '../../common/contract/result';
import type { PromptAnswer, PromptBroker, PromptRequest } from '../../common/ssh/prompts';
import type { EventHub } from '../bridge/event-hub';

/** How long a question waits for an answer before the attempt is cancelled. */
export const PROMPT_TIMEOUT_MS = 5 * 60_000;

/**
 * Routes the connection layer's questions to whichever window is open: each question is an
 * event (`prompt:requested`), the first answer (`prompts:answer`) settles it everywhere
 * (`prompt:settled`). A question nobody answers in time is cancelled, never answered for them.
 */
export class PromptCenter {
  private readonly pending = new Map<string, (answer: PromptAnswer) => void>();
  private readonly questions = new Map<string, PromptRequest>();

  constructor(private readonly events: EventHub) {}

  /** The broker handed to connections. */
  readonly ask: PromptBroker = (request: PromptRequest) =>
    new Promise<PromptAnswer>((resolve) => {
      const id = randomUUID();
      const timer = setTimeout(() => this.settle(id, { kind: 'cancelled' }), PROMPT_TIMEOUT_MS);
      timer.unref();
      this.questions.set(id, request);
      this.pending.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      this.events.emit('prompt:requested', { id, request });
    });

  /** Questions still waiting, oldest first. */
  list(): { id: string; request: PromptRequest }[] {
    return [...this.questions].map(([id, request]) => ({ id, request }));
  }

  /** Delivers the user's answer to the question `id`. */
  answer(id: string, answer: PromptAnswer): void {
    if (!this.pending.has(id)) {
      throw new AppFailure({
        code: 'prompt-not-found',
        message: 'That question was already answered or has expired.',
        hint: 'Connect again if the host still needs an answer.',
      });
    }
    this.settle(id, answer);
  }

  private settle(id: string, answer: PromptAnswer): void {
    const resolve = this.pending.get(id);
    if (!resolve) return;
    this.pending.delete(id);
    this.questions.delete(id);
    resolve(answer);
    this.events.emit('prompt:settled', { id });
  }
}
