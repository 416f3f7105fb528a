import { Duplex, PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { registerAgentMethods } from '../../../agent-bundle/methods/agent-methods';
import { formatAgentFailure } from '../../../common/agent/agent-failure';
import type { AppFailure } from '../../../common/contract/result';
import { AgentClient } from '../../../main/agent/agent-client';
import { startSession, TEST_IDENTITY } from '../../support/agent-session-fixture';

const HELLO_TIMEOUT_MS = 1_000;

/** An in-process agent with the built-in methods, and a client on it. */
async function connected() {
  const fixture = startSession((registry) => {
    registerAgentMethods(registry, {
      identity: TEST_IDENTITY,
      startedAtMs: Date.now(),
      clients: () => fixture.server.clients,
      shutdown: () => void fixture.server.closeAll(),
    });
  });
  const client = await AgentClient.connect(fixture.clientStream, {
    client: 'unit test',
    timeoutMs: HELLO_TIMEOUT_MS,
  });
  return { fixture, client };
}

/** A client whose agent is played by the test: `sent` is what the client wrote, `reply` answers. */
async function scripted() {
  const agent = fakeAgent();
  agent.fromAgent.write(`${JSON.stringify({ t: 'hello', ...TEST_IDENTITY })}\n`);
  const client = await AgentClient.connect(agent.stream, {
    client: 't',
    timeoutMs: HELLO_TIMEOUT_MS,
  });
  const sent: Record<string, unknown>[] = [];
  let buffered = '';
  agent.toAgent.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) sent.push(JSON.parse(line) as Record<string, unknown>);
  });
  const reply = (message: unknown): boolean =>
    agent.fromAgent.write(`${JSON.stringify(message)}\n`);
  return { agent, client, sent, reply };
}

/** The far end of a client's stream, played by the test. */
function fakeAgent() {
  const toAgent = new PassThrough();
  const fromAgent = new PassThrough();
  const stderr = new PassThrough();
  return {
    toAgent,
    fromAgent,
    stderr,
    stream: Duplex.from({ readable: fromAgent, writable: toAgent }),
  };
}

describe('AgentClient.connect', () => {
  it('says hello and exposes who answered', async () => {
    const { client } = await connected();
    expect(client.hello).toEqual({ t: 'hello', ...TEST_IDENTITY });
  });

  it('skips noise a shell rc file printed before the hello', async () => {
    const agent = fakeAgent();
    agent.fromAgent.write('Welcome to gpu-01\n{not json either\n');
    agent.fromAgent.write(`${JSON.stringify({ t: 'hello', ...TEST_IDENTITY })}\n`);
    const client = await AgentClient.connect(agent.stream, {
      client: 't',
      timeoutMs: HELLO_TIMEOUT_MS,
    });
    expect(client.hello.pid).toBe(TEST_IDENTITY.pid);
  });

  it('fails naming the handshake when the agent is incompatible', async () => {
    const agent = fakeAgent();
    agent.fromAgent.write('{"t":"incompatible","protocol":2,"message":"Too old."}\n');
    await expect(
      AgentClient.connect(agent.stream, { client: 't', timeoutMs: HELLO_TIMEOUT_MS }),
    ).rejects.toMatchObject({
      code: 'agent-incompatible',
      message: expect.stringMatching(/^Agent handshake: .*protocol 2.*Too old\./),
    });
  });

  it('fails after the timeout when nothing answers', async () => {
    const agent = fakeAgent();
    await expect(
      AgentClient.connect(agent.stream, { client: 't', timeoutMs: 50 }),
    ).rejects.toMatchObject({
      code: 'agent-hello-timeout',
      message: expect.stringContaining('no answer to hello within 50 ms'),
    });
  });

  it('fails quoting stderr when the agent exits before answering', async () => {
    const agent = fakeAgent();
    const connecting = AgentClient.connect(agent.stream, {
      client: 't',
      timeoutMs: HELLO_TIMEOUT_MS,
      stderr: agent.stderr,
    });
    agent.stderr.end('labdeck-agent: /tmp/labdeck-1000 belongs to another user\n');
    agent.fromAgent.end();
    await expect(connecting).rejects.toMatchObject({
      code: 'agent-closed-before-hello',
      message: expect.stringContaining('belongs to another user'),
    });
  });
});

describe('why an agent stopped before hello', () => {
  const closedWith = async (stderr: string) => {
    const agent = fakeAgent();
    const connecting = AgentClient.connect(agent.stream, {
      client: 't',
      timeoutMs: HELLO_TIMEOUT_MS,
      stderr: agent.stderr,
    });
    agent.stderr.end(stderr);
    agent.fromAgent.end();
    return connecting.then(
      () => undefined,
      (error: unknown) => error as AppFailure,
    );
  };

  it('passes the agent’s own code, message and fix through, not a guess about Node', async () => {
    const failure = await closedWith(
      "labdeck-agent: /tmp/labdeck-1000 is writable by other users\nRun: chmod 700 '/tmp/labdeck-1000'\n" +
        formatAgentFailure({
          code: 'agent-socket-dir-unsafe',
          message: '/tmp/labdeck-1000 is writable by other users',
          hint: "Run: chmod 700 '/tmp/labdeck-1000'",
        }),
    );
    expect(failure).toMatchObject({
      code: 'agent-socket-dir-unsafe',
      message: 'Agent handshake: /tmp/labdeck-1000 is writable by other users',
      hint: "Run: chmod 700 '/tmp/labdeck-1000'",
    });
  });

  it('says to check Node only when Node is the problem', async () => {
    const missing = await closedWith('sh: 1: node: not found\n');
    expect(missing).toMatchObject({ hint: expect.stringContaining('Node 18') });
    const tooOld = await closedWith("SyntaxError: Unexpected token '?'\n");
    expect(tooOld).toMatchObject({ hint: expect.stringContaining('Node 18') });
    const other = await closedWith('Error: ENOSPC: no space left on device\n');
    expect(other).toMatchObject({
      code: 'agent-closed-before-hello',
      message: expect.stringContaining('ENOSPC'),
    });
    expect(other?.hint).not.toContain('Node');
  });
});

describe('AgentClient requests and subscriptions', () => {
  it('resolves a call with its result, parsed by the contract’s schema', async () => {
    const { client } = await connected();
    const info = await client.call('agent.info', {});
    expect(info).toMatchObject({ ok: true, value: { pid: TEST_IDENTITY.pid, clients: 1 } });
  });

  it('times a call out without closing the connection', async () => {
    const { client, sent, reply } = await scripted();
    expect(await client.call('agent.info', {}, { timeoutMs: 30 })).toMatchObject({
      ok: false,
      error: { code: 'agent-timeout', message: expect.stringContaining('agent.info') },
    });
    const second = client.call('gpu.inventory', {});
    await expect.poll(() => sent.length).toBe(3); // hello, the timed-out call, this one
    reply({ t: 'res', id: sent[2]!.id, result: { ok: false, error: { code: 'x', message: 'y' } } });
    expect(await second).toEqual({ ok: false, error: { code: 'x', message: 'y' } });
  });

  it('delivers events until unsubscribed', async () => {
    const { client } = await connected();
    const events: unknown[] = [];
    const ends: unknown[] = [];
    const unsubscribe = client.subscribe(
      'agent.heartbeat',
      { intervalMs: 10 },
      (d) => events.push(d),
      (e) => ends.push(e),
    );
    await expect.poll(() => events.length).toBeGreaterThanOrEqual(2);
    unsubscribe();
    const count = events.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(events.length).toBeLessThanOrEqual(count + 1);
    expect(ends).toEqual([]);
  });

  it('fails pending requests and ends subscriptions when the connection closes', async () => {
    const { fixture, client } = await connected();
    const ends: unknown[] = [];
    client.subscribe(
      'agent.heartbeat',
      { intervalMs: 1000 },
      () => undefined,
      (e) => ends.push(e),
    );
    const pending = client.call('agent.info', {}, { timeoutMs: 60_000 });
    fixture.session.close();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'agent-disconnected' } });
    expect(ends).toMatchObject([{ code: 'agent-disconnected' }]);
    expect(await client.closed).toMatchObject({ code: 'agent-disconnected' });
    expect(await client.call('agent.info', {})).toMatchObject({ ok: false });
  });

  it('close() ends the agent session and tells onClosed listeners', async () => {
    const { fixture, client } = await connected();
    const reasons: unknown[] = [];
    client.onClosed((reason) => reasons.push(reason));
    client.close();
    await fixture.session.closed;
    await client.closed;
    expect(reasons).toHaveLength(1);
  });
});

describe('AgentClient against the agent contract', () => {
  it('refuses wrong params and unknown names at compile time, and the agent refuses them too', async () => {
    const { client } = await connected();
    // @ts-expect-error agent.info takes no params
    const extra = await client.call('agent.info', { verbose: true });
    expect(extra).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringContaining('params of agent.info') },
    });
    // @ts-expect-error agent.nope is in no contract
    const unknown = await client.call('agent.nope', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-agent-method' } });
    const ends: unknown[] = [];
    client.subscribe(
      'agent.heartbeat',
      // @ts-expect-error intervalMs is a number of milliseconds, not a string
      { intervalMs: '10' },
      () => undefined,
      (e) => ends.push(e),
    );
    await expect.poll(() => ends).toMatchObject([{ code: 'invalid-input' }]);
  });

  it('turns a malformed result into a failure naming the method, not a crash', async () => {
    const { client, sent, reply } = await scripted();
    const inventory = client.call('gpu.inventory', {});
    await expect.poll(() => sent.length).toBe(2);
    reply({ t: 'res', id: sent[1]!.id, result: { ok: true, value: { gpus: 'lots' } } });
    expect(await inventory).toMatchObject({
      ok: false,
      error: {
        code: 'agent-bad-response',
        message: expect.stringMatching(/answer to gpu\.inventory has an unexpected shape: .*gpus/),
        hint: expect.stringContaining('different versions'),
      },
    });
  });

  it('types and parses topic events, ending the subscription on a malformed one', async () => {
    const { client, sent, reply } = await scripted();
    const at: number[] = [];
    const ends: unknown[] = [];
    client.subscribe(
      'gpu.telemetry',
      { intervalMs: 1_000 },
      (tick) => at.push(tick.at),
      (e) => ends.push(e),
    );
    await expect.poll(() => sent.length).toBe(2);
    const id = sent[1]!.id;
    reply({ t: 'ev', id, data: { at: 5, gpus: [] } });
    reply({ t: 'ev', id, data: { at: 'noon', gpus: [] } });
    reply({ t: 'ev', id, data: { at: 6, gpus: [] } });
    await expect
      .poll(() => ends)
      .toMatchObject([
        { code: 'agent-bad-response', message: expect.stringContaining('event of gpu.telemetry') },
      ]);
    expect(at).toEqual([5]);
    await expect.poll(() => sent.at(-1)).toEqual({ t: 'unsub', id });
  });
});
