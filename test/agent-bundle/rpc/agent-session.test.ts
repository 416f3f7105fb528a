import { describe, expect, it } from 'vitest';
import { AGENT_MAX_LINE_BYTES } from '../../../common/agent/agent-protocol';
import { AppFailure } from '../../../common/contract/result';
import type { AgentRegistry } from '../../../agent-bundle/rpc/agent-registry';
import { startSession, TEST_IDENTITY } from '../../support/agent-session-fixture';
import { testContract, type TestContract } from '../../support/test-contract';

const HELLO = { t: 'hello', protocol: 1, client: 'test' };

/** A session that has said hello, with a few test methods and topics registered. */
async function readySession(register?: (registry: AgentRegistry<TestContract>) => void) {
  const fixture = startSession((registry) => {
    registry.handle('test.add', (p) => p.a + p.b);
    registry.handle('test.refuse', () => {
      throw new AppFailure({ code: 'gpu-busy', message: 'GPU 0 is taken.', hint: 'Pick another.' });
    });
    registry.handle('test.crash', () => {
      throw new TypeError('oops');
    });
    register?.(registry);
  }, testContract);
  fixture.send(HELLO);
  expect(await fixture.next()).toEqual({ t: 'hello', ...TEST_IDENTITY });
  return fixture;
}

describe('AgentSession hello', () => {
  it('refuses another protocol version with `incompatible` and closes', async () => {
    const fixture = startSession(undefined, testContract);
    fixture.send({ ...HELLO, protocol: 99 });
    expect(await fixture.next()).toMatchObject({ t: 'incompatible', protocol: 1 });
    expect(await fixture.next()).toBe('closed');
  });

  it('refuses a first line that is not a hello', async () => {
    const fixture = startSession(undefined, testContract);
    fixture.send({ t: 'req', id: 1, method: 'agent.info', params: {} });
    expect(await fixture.next()).toMatchObject({ t: 'incompatible', message: /hello/ });
    expect(await fixture.next()).toBe('closed');
  });
});

describe('AgentSession requests', () => {
  it('parses params and answers with the handler’s value', async () => {
    const fixture = await readySession();
    fixture.send({ t: 'req', id: 7, method: 'test.add', params: { a: 2, b: 3 } });
    expect(await fixture.next()).toEqual({ t: 'res', id: 7, result: { ok: true, value: 5 } });
  });

  it('reports unknown methods and invalid params as failed results', async () => {
    const fixture = await readySession();
    fixture.send({ t: 'req', id: 1, method: 'test.nope', params: {} });
    expect(await fixture.next()).toMatchObject({
      id: 1,
      result: { ok: false, error: { code: 'unknown-agent-method' } },
    });
    fixture.send({ t: 'req', id: 2, method: 'test.add', params: { a: 'two' } });
    expect(await fixture.next()).toMatchObject({
      id: 2,
      result: { ok: false, error: { code: 'invalid-input', message: /a: .*b: /s } },
    });
  });

  it('passes an AppFailure through and hides anything else as internal-error', async () => {
    const fixture = await readySession();
    fixture.send({ t: 'req', id: 1, method: 'test.refuse' });
    expect(await fixture.next()).toEqual({
      t: 'res',
      id: 1,
      result: {
        ok: false,
        error: { code: 'gpu-busy', message: 'GPU 0 is taken.', hint: 'Pick another.' },
      },
    });
    fixture.send({ t: 'req', id: 2, method: 'test.crash' });
    expect(await fixture.next()).toMatchObject({
      id: 2,
      result: { ok: false, error: { code: 'internal-error' } },
    });
  });
});

describe('AgentSession malformed input', () => {
  it('answers a malformed message that has an id, and logs and drops one without', async () => {
    const fixture = await readySession();
    fixture.send({ t: 'req', id: 3, method: 42 });
    expect(await fixture.next()).toMatchObject({
      t: 'res',
      id: 3,
      result: { ok: false, error: { code: 'invalid-input' } },
    });
    fixture.send({ t: 'sub', id: 4 });
    expect(await fixture.next()).toMatchObject({
      t: 'end',
      id: 4,
      error: { code: 'invalid-input' },
    });
    fixture.send('this is not json\n');
    fixture.send({ t: 'bogus' });
    fixture.send('null\n');
    fixture.send({ t: 'req', id: 5, method: 'test.add', params: { a: 1, b: 1 } });
    expect(await fixture.next()).toMatchObject({ id: 5, result: { ok: true, value: 2 } });
    expect(fixture.warnings.filter((w) => w.includes('malformed'))).toHaveLength(3);
  });

  it('drops a line over the cap and keeps serving', async () => {
    const fixture = await readySession();
    fixture.send(`{"t":"req","id":9,"method":"${'x'.repeat(AGENT_MAX_LINE_BYTES)}"}\n`);
    fixture.send({ t: 'req', id: 10, method: 'test.add', params: { a: 1, b: 2 } });
    expect(await fixture.next()).toMatchObject({ id: 10, result: { ok: true, value: 3 } });
    expect(fixture.warnings.some((w) => w.includes('over'))).toBe(true);
  });
});

describe('AgentSession subscriptions', () => {
  /** A topic the test drives: its sinks, and how many are live. */
  function manualTopic(
    registry: AgentRegistry<TestContract>,
    state: { live: number; sinks: { emit(d: unknown): void; end(e?: unknown): void }[] },
  ) {
    registry.publish('test.ticks', (_params, sink, signal) => {
      state.live += 1;
      state.sinks.push(sink);
      signal.addEventListener('abort', () => (state.live -= 1));
    });
  }

  it('delivers events until unsubscribed, then ends the subscription', async () => {
    const state = { live: 0, sinks: [] as { emit(d: unknown): void; end(e?: unknown): void }[] };
    const fixture = await readySession((r) => manualTopic(r, state));
    fixture.send({ t: 'sub', id: 1, topic: 'test.ticks', params: {} });
    await expect.poll(() => state.live).toBe(1);
    state.sinks[0]!.emit({ n: 1 });
    expect(await fixture.next()).toEqual({ t: 'ev', id: 1, data: { n: 1 } });
    fixture.send({ t: 'unsub', id: 1 });
    expect(await fixture.next()).toEqual({ t: 'end', id: 1 });
    expect(state.live).toBe(0);
    state.sinks[0]!.emit({ n: 2 });
    fixture.send({ t: 'req', id: 2, method: 'test.add', params: { a: 0, b: 0 } });
    expect(await fixture.next()).toMatchObject({ t: 'res', id: 2 });
  });

  it('passes the topic’s own end and error to the client', async () => {
    const state = { live: 0, sinks: [] as { emit(d: unknown): void; end(e?: unknown): void }[] };
    const fixture = await readySession((r) => manualTopic(r, state));
    fixture.send({ t: 'sub', id: 1, topic: 'test.ticks' });
    await expect.poll(() => state.live).toBe(1);
    state.sinks[0]!.end({ code: 'source-died', message: 'gone' });
    expect(await fixture.next()).toEqual({
      t: 'end',
      id: 1,
      error: { code: 'source-died', message: 'gone' },
    });
    expect(state.live).toBe(0);
  });

  it('ends an unknown topic with an error', async () => {
    const fixture = await readySession();
    fixture.send({ t: 'sub', id: 1, topic: 'test.nothing' });
    expect(await fixture.next()).toMatchObject({
      t: 'end',
      id: 1,
      error: { code: 'unknown-agent-topic' },
    });
  });

  it('stops every subscription when the client goes away', async () => {
    const state = { live: 0, sinks: [] as { emit(d: unknown): void; end(e?: unknown): void }[] };
    const fixture = await readySession((r) => manualTopic(r, state));
    fixture.send({ t: 'sub', id: 1, topic: 'test.ticks' });
    fixture.send({ t: 'sub', id: 2, topic: 'test.ticks' });
    await expect.poll(() => state.live).toBe(2);
    fixture.session.close();
    await fixture.session.closed;
    expect(state.live).toBe(0);
    expect(fixture.server.clients).toBe(0);
  });
});
