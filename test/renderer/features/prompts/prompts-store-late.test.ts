import { describe, expect, it } from 'vitest';
import type { AppError, Result } from '../../../../common/contract/result';
import type { PromptRequest } from '../../../../common/ssh/prompts';
import {
  createPromptsStore,
  currentPrompt,
  mergePending,
  type PendingPrompt,
} from '../../../../renderer/src/features/prompts/prompts-store';
import { deferred, FakeClient } from '../../fake-client';

const PASSWORD: PromptRequest = { kind: 'password', host: 'gpu-8', user: 'ana', retry: false };
const pending = (id: string): PendingPrompt => ({ id, request: PASSWORD });
type Listed = Result<PendingPrompt[]>;

function setup(list: Promise<Listed>) {
  const client = new FakeClient().answer('prompts:list', () => list);
  const errors: AppError[] = [];
  const store = createPromptsStore({ client, showError: (e) => errors.push(e) });
  store.getState().watch();
  return { client, store, errors };
}

describe('prompts store: a window that opens after the question was asked', () => {
  it('queues what prompts:list says is pending', async () => {
    const { client, store } = setup(Promise.resolve({ ok: true, value: [pending('a')] }));
    await store.getState().load();
    expect(client.requests).toEqual([{ channel: 'prompts:list', input: {} }]);
    expect(currentPrompt(store.getState())?.id).toBe('a');
  });

  it('keeps following events that arrive while the list is on its way', async () => {
    const reply = deferred<Listed>();
    const { client, store } = setup(reply.promise);
    const loading = store.getState().load();
    client.emit('prompt:requested', pending('b'));
    client.emit('prompt:settled', { id: 'a' });
    reply.resolve({ ok: true, value: [pending('a'), pending('b'), pending('c')] });
    await loading;

    // "a" was settled meanwhile; "b" is shown already and stays first; "c" joins the end.
    expect(store.getState().queue.map((p) => p.id)).toEqual(['b', 'c']);
    client.emit('prompt:settled', { id: 'b' });
    expect(currentPrompt(store.getState())?.id).toBe('c');
  });

  it('reports a list that failed, and keeps what the events brought', async () => {
    const lost: AppError = { code: 'bridge-disconnected', message: 'Lost.' };
    const reply = deferred<Listed>();
    const { client, store, errors } = setup(reply.promise);
    const loading = store.getState().load();
    client.emit('prompt:requested', pending('b'));
    reply.resolve({ ok: false, error: lost });
    await loading;
    expect(errors).toEqual([lost]);
    expect(store.getState().queue.map((p) => p.id)).toEqual(['b']);
  });
});

describe('mergePending', () => {
  it('adds listed questions not queued or settled, in the order listed, after the queue', () => {
    const queue = [pending('b')];
    const merged = mergePending(queue, [pending('a'), pending('b'), pending('c')], new Set(['a']));
    expect(merged.map((p) => p.id)).toEqual(['b', 'c']);
    expect(mergePending(queue, [pending('b')], new Set())).toBe(queue);
  });
});
