import { describe, expect, it, vi } from 'vitest';
import { agentInfoSchema } from '../../../common/agent/agent-protocol';
import { registerAgentMethods } from '../../../agent-bundle/methods/agent-methods';
import { startSession, TEST_IDENTITY } from '../../support/agent-session-fixture';

async function builtInSession(shutdown = vi.fn()) {
  const fixture = startSession((registry) =>
    registerAgentMethods(registry, {
      identity: TEST_IDENTITY,
      startedAtMs: Date.now() - 5_000,
      socketPath: '/run/user/1000/labdeck/agent.sock',
      clients: () => fixture.server.clients,
      shutdown,
    }),
  );
  fixture.send({ t: 'hello', protocol: 1, client: 'test' });
  await fixture.next();
  return fixture;
}

describe('built-in agent methods', () => {
  it('agent.info reports the agent, its uptime and its clients', async () => {
    const fixture = await builtInSession();
    fixture.send({ t: 'req', id: 1, method: 'agent.info', params: {} });
    const reply = (await fixture.next()) as { result: { value: unknown } };
    const info = agentInfoSchema.parse(reply.result.value);
    expect(info).toMatchObject({
      pid: 4242,
      clients: 1,
      socketPath: expect.stringContaining('labdeck'),
    });
    expect(info.uptimeS).toBeGreaterThanOrEqual(5);
  });

  it('agent.shutdown replies first, then asks the host to shut down', async () => {
    const shutdown = vi.fn();
    const fixture = await builtInSession(shutdown);
    fixture.send({ t: 'req', id: 1, method: 'agent.shutdown' });
    expect(await fixture.next()).toEqual({ t: 'res', id: 1, result: { ok: true, value: {} } });
    await vi.waitFor(() => expect(shutdown).toHaveBeenCalledTimes(1));
  });

  it('agent.heartbeat emits {at} every interval and refuses silly intervals', async () => {
    const fixture = await builtInSession();
    fixture.send({ t: 'sub', id: 1, topic: 'agent.heartbeat', params: { intervalMs: 20 } });
    expect(await fixture.next()).toMatchObject({
      t: 'ev',
      id: 1,
      data: { at: expect.any(Number) },
    });
    expect(await fixture.next()).toMatchObject({ t: 'ev', id: 1 });
    fixture.send({ t: 'sub', id: 2, topic: 'agent.heartbeat', params: { intervalMs: 1 } });
    let line: unknown;
    do line = await fixture.next();
    while ((line as { id?: number }).id !== 2);
    expect(line).toMatchObject({ t: 'end', id: 2, error: { code: 'invalid-input' } });
  });
});
