import { describe, expect, it, vi } from 'vitest';
import { AgentRegistry } from '../../../agent-bundle/rpc/agent-registry';
import { startSession } from '../../support/agent-session-fixture';
import { testContract } from '../../support/test-contract';

describe('AgentRegistry against its contract', () => {
  it('answers malformed params with an error naming them, never reaching the handler', async () => {
    const handler = vi.fn((p: { a: number; b: number }) => p.a + p.b);
    const fixture = startSession((registry) => registry.handle('test.add', handler), testContract);
    fixture.send({ t: 'hello', protocol: 1, client: 'test' });
    await fixture.next();
    fixture.send({ t: 'req', id: 1, method: 'test.add', params: { a: 1, b: '2', c: 3 } });
    expect(await fixture.next()).toMatchObject({
      t: 'res',
      id: 1,
      result: {
        ok: false,
        error: {
          code: 'invalid-input',
          message: expect.stringMatching(/params of test\.add: .*b/),
        },
      },
    });
    fixture.send({ t: 'req', id: 2, method: 'test.add', params: ['a', 'b'] });
    expect(await fixture.next()).toMatchObject({ id: 2, result: { ok: false } });
    expect(handler).not.toHaveBeenCalled();
    fixture.send({ t: 'req', id: 3, method: 'test.add', params: { a: 1, b: 2 } });
    expect(await fixture.next()).toMatchObject({ id: 3, result: { ok: true, value: 3 } });
    expect(handler).toHaveBeenCalledOnce();
  });

  it('refuses a topic subscription with malformed params before it starts', async () => {
    const start = vi.fn();
    const fixture = startSession((registry) => registry.publish('test.ticks', start), testContract);
    fixture.send({ t: 'hello', protocol: 1, client: 'test' });
    await fixture.next();
    fixture.send({ t: 'sub', id: 1, topic: 'test.ticks', params: { every: 'second' } });
    expect(await fixture.next()).toMatchObject({
      t: 'end',
      id: 1,
      error: { code: 'invalid-input', message: expect.stringContaining('params of test.ticks') },
    });
    expect(start).not.toHaveBeenCalled();
  });

  it('holds handlers to the contract at compile time and refuses names outside it', () => {
    const registry = new AgentRegistry(testContract);
    // @ts-expect-error test.add answers a number, not a string
    registry.handle('test.add', () => 'five');
    // @ts-expect-error a handler's params come parsed: `a` is a number
    registry.handle('test.refuse', (p: { a: string }) => ({ a: p.a }));
    // @ts-expect-error test.ticks emits {n: number}
    registry.publish('test.ticks', (_params, sink) => sink.emit({ n: 'one' }));
    // @ts-expect-error test.nope is not in the contract
    expect(() => registry.handle('test.nope', () => ({}))).toThrow(/not in the contract/);
    expect(() => registry.handle('test.add', () => 1)).toThrow(/registered twice/);
  });
});
