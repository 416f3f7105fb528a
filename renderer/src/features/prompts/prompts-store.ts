import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Client } from '../../../../common/contract/client';
import type { AppError } from '../../../../common/contract/result';
import type { PromptAnswer, PromptRequest } from '../../../../common/ssh/prompts';

/** What the `prompts` store needs from the rest of the window. */
export interface PromptsStoreDeps {
  readonly client: Client;
  readonly showError: (error: AppError) => void;
}

/** A question a connection asked, waiting for the user. */
export interface PendingPrompt {
  readonly id: string;
  readonly request: PromptRequest;
}

/** The code the services answer with when a question was settled elsewhere or expired. */
export const PROMPT_NOT_FOUND_CODE = 'prompt-not-found';

/**
 * The questions connections ask (trust a host key, a passphrase, a password, 2FA), oldest first.
 * The window shows one at a time; a question answered in another window (`prompt:settled`)
 * leaves the queue here too. Nothing is ever answered without the user.
 */
export interface PromptsState {
  readonly queue: readonly PendingPrompt[];
  /** Ids of questions whose answer is on its way. */
  readonly answering: Readonly<Record<string, true>>;
  /** Sends the user's answer; a second answer to the same question sends nothing. */
  answer(id: string, answer: PromptAnswer): Promise<void>;
  /** Answers `cancelled`: the connection attempt stops and is not retried. */
  cancel(id: string): Promise<void>;
  /**
   * Queues the questions asked before this window listened (`prompts:list`), e.g. by a
   * connection the CLI or another window started. Call after {@link PromptsState.watch}.
   */
  load(): Promise<void>;
  /** Listens for questions and their settling; returns the unsubscribe. */
  watch(): () => void;
}

/** The `prompts` store's instance type. */
export type PromptsStore = StoreApi<PromptsState>;

/** The question the window shows now: the oldest one not yet answered. */
export function currentPrompt(state: Pick<PromptsState, 'queue'>): PendingPrompt | null {
  return state.queue[0] ?? null;
}

/**
 * The queue after `prompts:list` answered: listed questions not queued yet join its end, in the
 * order listed (after any that arrived as events meanwhile, so the question on screen stays),
 * except those settled while the list was on its way (`settled`): nobody waits for them.
 */
export function mergePending(
  queue: readonly PendingPrompt[],
  listed: readonly PendingPrompt[],
  settled: ReadonlySet<string>,
): readonly PendingPrompt[] {
  const queued = new Set(queue.map((p) => p.id));
  const late = listed.filter((p) => !queued.has(p.id) && !settled.has(p.id));
  return late.length === 0 ? queue : [...queue, ...late];
}

/** Creates the `prompts` store. */
export function createPromptsStore({ client, showError }: PromptsStoreDeps): PromptsStore {
  /** For each `prompts:list` on its way, the ids settled since it was sent. */
  const settledDuringLoads = new Set<Set<string>>();
  const settle = (id: string): void => {
    for (const settled of settledDuringLoads) settled.add(id);
    store.setState((s) => {
      const { [id]: _sent, ...answering } = s.answering;
      return { queue: s.queue.filter((p) => p.id !== id), answering };
    });
  };

  const store = createStore<PromptsState>()((set, get) => ({
    queue: [],
    answering: {},

    answer: async (id, answer) => {
      if (get().answering[id] || !get().queue.some((p) => p.id === id)) return;
      set((s) => ({ answering: { ...s.answering, [id]: true } }));
      const result = await client.request('prompts:answer', { id, answer });
      if (result.ok || result.error.code === PROMPT_NOT_FOUND_CODE) {
        // Answered, or already settled elsewhere: either way nobody waits for it any more.
        settle(id);
        if (!result.ok) showError(result.error);
        return;
      }
      set((s) => {
        const { [id]: _failed, ...answering } = s.answering;
        return { answering };
      });
      showError(result.error);
    },

    cancel: (id) => get().answer(id, { kind: 'cancelled' }),

    load: async () => {
      const settled = new Set<string>();
      settledDuringLoads.add(settled);
      const result = await client.request('prompts:list', {});
      settledDuringLoads.delete(settled);
      if (result.ok) set((s) => ({ queue: mergePending(s.queue, result.value, settled) }));
      else showError(result.error);
    },

    watch: () => {
      const offRequested = client.on('prompt:requested', (prompt) =>
        set((s) => (s.queue.some((p) => p.id === prompt.id) ? s : { queue: [...s.queue, prompt] })),
      );
      const offSettled = client.on('prompt:settled', ({ id }) => settle(id));
      return () => {
        offRequested();
        offSettled();
      };
    },
  }));
  return store;
}
