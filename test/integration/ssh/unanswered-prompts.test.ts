import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Client } from '../../../common/contract/client';
import type { PromptRequest } from '../../../common/ssh/prompts';
import type { Services } from '../../../main/services';
import { OWN_KNOWN_HOSTS_FILE } from '../../../main/ssh/known-hosts';
import {
  createTestUser,
  describeWithParts,
  ensureBuilt,
  startSshd,
  testServices,
  type Sshd,
  type TestUser,
  until,
} from '../../harness';

/** Injected through the environment, as `labdeck serve` reads it: tests wait seconds, not minutes. */
const HANDSHAKE_TIMEOUT_MS = 1_500;
const PROMPT_TIMEOUT_MS = 4_000;
/** Answers come this late: past the handshake timeout, within the prompt timeout. */
const LATE_MS = 2_500;
/** Longer than the first reconnect delays (1 s, then 2 s): a retry would have asked by then. */
const NO_RETRY_WATCH_MS = 4_000;
const HOST = 'slow-answers';

describeWithParts(
  ['root', 'sshd', 'ssh-keygen'],
  'questions asked while connecting a host, answered late, never, or after Disconnect',
  () => {
    let sshd: Sshd;
    let user: TestUser;
    let home: string;
    let services: Services;
    let client: Client;
    const requested: { id: string; request: PromptRequest }[] = [];
    const settled: string[] = [];
    const crashes: unknown[] = [];
    const crashed = (error: unknown): void => void crashes.push(error);

    beforeAll(async () => {
      await ensureBuilt();
      process.on('unhandledRejection', crashed);
      process.on('uncaughtException', crashed);
      sshd = await startSshd();
      user = await createTestUser('late');
      home = await mkdtemp(join(tmpdir(), 'labdeck-late-'));
      ({ services, client } = testServices(home, {
        prompt: undefined, // questions go to the window's prompt center, as in the app
        env: {
          PATH: process.env.PATH,
          LABDECK_SSH_HANDSHAKE_TIMEOUT_MS: String(HANDSHAKE_TIMEOUT_MS),
          LABDECK_PROMPT_TIMEOUT_MS: String(PROMPT_TIMEOUT_MS),
        },
      }));
      client.on('prompt:requested', (prompt) => requested.push(prompt));
      client.on('prompt:settled', ({ id }) => settled.push(id));
      const added = await client.request('hosts:add', {
        name: HOST,
        user: user.username,
        hostname: sshd.host,
        port: sshd.port,
        identityFile: user.privateKeyPath,
      });
      if (!added.ok) throw new Error(added.error.message);
    });

    afterEach(async () => {
      await client.request('hosts:disconnect', { hostId: HOST });
      expect(crashes).toEqual([]);
    });

    afterAll(async () => {
      process.off('unhandledRejection', crashed);
      process.off('uncaughtException', crashed);
      await services?.dispose();
      await sshd?.stop();
      await user?.dispose();
      if (home) await rm(home, { recursive: true, force: true });
    });

    /** The next question asked from now on. */
    async function nextQuestion(): Promise<{ id: string; request: PromptRequest }> {
      const seen = requested.length;
      return until('a question', async () => requested[seen], 20_000);
    }

    async function connection() {
      const listed = await client.request('hosts:list', {});
      if (!listed.ok) throw new Error(listed.error.message);
      return listed.value.find((h) => h.name === HOST)?.connection;
    }

    const knownHostsWritten = (): boolean =>
      existsSync(join(home, OWN_KNOWN_HOSTS_FILE)) || existsSync(join(home, '.ssh/known_hosts'));

    it('withdraws the question on Disconnect; answering it then fails and trusts nothing', async () => {
      const connecting = client.request('hosts:connect', { hostId: HOST });
      const question = await nextQuestion();
      expect(question.request.kind).toBe('host-key-unknown');

      const disconnected = await client.request('hosts:disconnect', { hostId: HOST });
      expect(disconnected).toMatchObject({ ok: true, value: { connection: { phase: 'idle' } } });
      expect(await client.request('prompts:list', {})).toEqual({ ok: true, value: [] });
      expect(settled).toContain(question.id); // every window closes it

      const stale = await client.request('prompts:answer', {
        id: question.id,
        answer: { kind: 'trust', trust: true },
      });
      expect(stale).toMatchObject({ ok: false, error: { code: 'prompt-not-found' } });
      expect(await connecting).toMatchObject({ ok: false, error: { code: 'ssh-disconnected' } });
      expect(await connection()).toEqual({ phase: 'idle' });
      expect(knownHostsWritten()).toBe(false);
    });

    it('takes a "don\'t trust" given after the handshake timeout as the answer, and keeps serving', async () => {
      const connecting = client.request('hosts:connect', { hostId: HOST });
      const question = await nextQuestion();
      await sleep(LATE_MS);
      const answered = await client.request('prompts:answer', {
        id: question.id,
        answer: { kind: 'trust', trust: false },
      });
      expect(answered).toEqual({ ok: true, value: {} });
      expect(await connecting).toMatchObject({ ok: false, error: { code: 'host-key-rejected' } });
      // The user's own "no": not connected, saying why, rather than a failure to fix.
      expect(await connection()).toMatchObject({
        phase: 'idle',
        cancelled: { code: 'host-key-rejected' },
      });
      expect(await client.request('prompts:list', {})).toEqual({ ok: true, value: [] });
      await sleep(500); // whatever the late answer set off has run by now
      expect(knownHostsWritten()).toBe(false);
    });

    it('withdraws a question nobody answers in time, fails saying so, and does not ask again', async () => {
      const connecting = client.request('hosts:connect', { hostId: HOST });
      const question = await nextQuestion();
      const result = await connecting;
      expect(result).toMatchObject({
        ok: false,
        error: {
          code: 'prompt-timeout',
          message: `Nobody answered whether to trust the host key of ${sshd.host} within 4 s, so LabDeck stopped connecting.`,
        },
      });
      expect(settled).toContain(question.id);
      expect(await client.request('prompts:list', {})).toEqual({ ok: true, value: [] });

      const asked = requested.length;
      await sleep(NO_RETRY_WATCH_MS);
      expect(requested.length).toBe(asked);
      expect(await connection()).toMatchObject({
        phase: 'failed',
        error: { code: 'prompt-timeout' },
      });
    });

    it('connects when the host key is trusted after longer than the handshake timeout', async () => {
      const connecting = client.request('hosts:connect', { hostId: HOST });
      const question = await nextQuestion();
      await sleep(LATE_MS);
      await client.request('prompts:answer', {
        id: question.id,
        answer: { kind: 'trust', trust: true },
      });
      expect(await connecting).toMatchObject({
        ok: true,
        value: { connection: { phase: 'connected' } },
      });
      expect(knownHostsWritten()).toBe(true);
    });
  },
);
