import { describe, expect, it } from 'vitest';
import type { AppError, Result } from '../../../../common/contract/result';
import type { PromptRequest } from '../../../../common/ssh/prompts';
import {
  createPromptsStore,
  currentPrompt,
  PROMPT_NOT_FOUND_CODE,
} from '../../../../renderer/src/features/prompts/prompts-store';
import { deferred, FakeClient } from '../../fake-client';

const HOST_KEY: PromptRequest = {
  kind: 'host-key-unknown',
  host: 'gpu-7.lab.example',
  port: 22,
  keyType: 'ssh-ed25519',
  fingerprint: 'SHA256:7Jd3nqkq0Yb0m2fV8m0Zb2wR7bq0d6kqvD3bqkJd3nq',
};
const PASSWORD: PromptRequest = { kind: 'password', host: 'gpu-8', user: 'ana', retry: false };

function setup(client = new FakeClient().succeed('prompts:answer', {})) {
  const errors: AppError[] = [];
  const store = createPromptsStore({ client, showError: (e) => errors.push(e) });
  const unsubscribe = store.getState().watch();
  return { client, store, errors, unsubscribe };
}

describe('prompts store', () => {
  it('shows the oldest question first, each once however often it arrives', () => {
    const { client, store } = setup();
    expect(currentPrompt(store.getState())).toBeNull();
    client.emit('prompt:requested', { id: 'a', request: HOST_KEY });
    client.emit('prompt:requested', { id: 'b', request: PASSWORD });
    client.emit('prompt:requested', { id: 'a', request: HOST_KEY });
    expect(store.getState().queue.map((p) => p.id)).toEqual(['a', 'b']);
    expect(currentPrompt(store.getState())).toEqual({ id: 'a', request: HOST_KEY });
  });

  it('closes a question settled elsewhere and moves on to the next', () => {
    const { client, store } = setup();
    client.emit('prompt:requested', { id: 'a', request: HOST_KEY });
    client.emit('prompt:requested', { id: 'b', request: PASSWORD });
    client.emit('prompt:settled', { id: 'a' });
    expect(currentPrompt(store.getState())?.id).toBe('b');
    client.emit('prompt:settled', { id: 'b' });
    client.emit('prompt:settled', { id: 'unknown' });
    expect(currentPrompt(store.getState())).toBeNull();
  });

  it('answers once, and the question leaves the queue when the services took it', async () => {
    const reply = deferred<Result<Record<string, never>>>();
    const client = new FakeClient().answer('prompts:answer', () => reply.promise);
    const { store } = setup(client);
    client.emit('prompt:requested', { id: 'b', request: PASSWORD });

    const answering = store
      .getState()
      .answer('b', { kind: 'secret', secret: 's3', remember: false });
    expect(store.getState().answering).toEqual({ b: true });
    await store.getState().answer('b', { kind: 'secret', secret: 'again', remember: false });
    reply.resolve({ ok: true, value: {} });
    await answering;

    expect(client.requests).toEqual([
      {
        channel: 'prompts:answer',
        input: { id: 'b', answer: { kind: 'secret', secret: 's3', remember: false } },
      },
    ]);
    expect(store.getState().queue).toEqual([]);
    expect(store.getState().answering).toEqual({});
  });

  it('cancels with the `cancelled` answer', async () => {
    const { client, store } = setup();
    client.emit('prompt:requested', { id: 'a', request: HOST_KEY });
    await store.getState().cancel('a');
    expect(client.requests).toEqual([
      { channel: 'prompts:answer', input: { id: 'a', answer: { kind: 'cancelled' } } },
    ]);
    expect(currentPrompt(store.getState())).toBeNull();
  });

  it('drops a question the services no longer know, and keeps one whose answer failed', async () => {
    const gone: AppError = { code: PROMPT_NOT_FOUND_CODE, message: 'Already answered.' };
    const broken: AppError = { code: 'bridge-disconnected', message: 'Lost.' };
    const client = new FakeClient().fail('prompts:answer', gone);
    const { store, errors } = setup(client);
    client.emit('prompt:requested', { id: 'a', request: HOST_KEY });
    client.emit('prompt:requested', { id: 'b', request: PASSWORD });

    await store.getState().answer('a', { kind: 'trust', trust: true });
    expect(store.getState().queue.map((p) => p.id)).toEqual(['b']);

    client.fail('prompts:answer', broken);
    await store.getState().cancel('b');
    expect(store.getState().queue.map((p) => p.id)).toEqual(['b']);
    expect(store.getState().answering).toEqual({});
    expect(errors).toEqual([gone, broken]);
  });

  it('sends nothing for a question that is not pending, and stops listening when asked', async () => {
    const { client, store, unsubscribe } = setup();
    await store.getState().cancel('never-asked');
    expect(client.requests).toEqual([]);
    unsubscribe();
    expect(client.listenerCount('prompt:requested')).toBe(0);
    expect(client.listenerCount('prompt:settled')).toBe(0);
  });
});
