import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PromptAnswer, PromptOptions, PromptRequest } from '../../../common/ssh/prompts';
import { MemorySecretStore } from '../../../main/secrets/secret-store';
import { secretKeys } from '../../../main/ssh/auth-handler';
import { fingerprintSha256, KnownHostsStore } from '../../../main/ssh/known-hosts';
import { execCollect } from '../../../main/ssh/remote-exec';
import { openSsh, type SshConnectOptions } from '../../../main/ssh/ssh-connection';
import type { SshEndpoint } from '../../../main/ssh/ssh-endpoint';
import {
  createTestUser,
  describeWithParts,
  startSshd,
  type Sshd,
  type TestUser,
  until,
} from '../../harness';

const run = promisify(execFile);

/** A user at the keyboard who answers from a script and remembers what they were asked. */
function scriptedUser(answer: (request: PromptRequest) => PromptAnswer) {
  const asked: PromptRequest[] = [];
  return {
    asked,
    prompt: async (request: PromptRequest) => {
      asked.push(request);
      return answer(request);
    },
  };
}

/**
 * A user who answers each question only after `delayMs` (or never, with `Infinity`), whatever
 * the connection did meanwhile, and keeps the signal each question came with.
 */
function slowUser(delayMs: number, answer: (request: PromptRequest) => PromptAnswer) {
  const asked: { request: PromptRequest; signal: AbortSignal | undefined }[] = [];
  let answered = 0;
  return {
    asked,
    answered: () => answered,
    prompt: (request: PromptRequest, options?: PromptOptions) => {
      asked.push({ request, signal: options?.signal });
      return new Promise<PromptAnswer>((resolve) => {
        if (delayMs === Infinity) return;
        setTimeout(() => {
          answered += 1;
          resolve(answer(request));
        }, delayMs);
      });
    },
  };
}

/** Collects what would have ended a process without handlers: errors nobody handled. */
function watchUnhandled(): { seen: unknown[]; stop: () => void } {
  const seen: unknown[] = [];
  const record = (error: unknown): void => void seen.push(error);
  process.on('unhandledRejection', record);
  process.on('uncaughtException', record);
  return {
    seen,
    stop: () => {
      process.off('unhandledRejection', record);
      process.off('uncaughtException', record);
    },
  };
}

const trustAll = (request: PromptRequest): PromptAnswer =>
  request.kind === 'host-key-unknown' ? { kind: 'trust', trust: true } : { kind: 'cancelled' };

describeWithParts(
  ['root', 'sshd', 'ssh-keygen'],
  'SSH connections to a real OpenSSH server',
  () => {
    let sshd: Sshd;
    let user: TestUser;
    let dir: string;

    beforeAll(async () => {
      sshd = await startSshd({ config: { KbdInteractiveAuthentication: 'yes' } });
      user = await createTestUser('ssh');
      dir = await mkdtemp(join(tmpdir(), 'labdeck-ssh-'));
    });
    afterAll(async () => {
      await sshd?.stop();
      await user?.dispose();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    function endpoint(overrides: Partial<SshEndpoint> = {}): SshEndpoint {
      return {
        host: sshd.host,
        port: sshd.port,
        user: user.username,
        identityFiles: [user.privateKeyPath],
        identitiesOnly: true,
        ...overrides,
      };
    }

    function options(
      name: string,
      prompt: SshConnectOptions['prompt'],
      extra: Partial<SshConnectOptions> = {},
    ): SshConnectOptions {
      return {
        target: endpoint(),
        jumps: [],
        hostKeys: new KnownHostsStore({
          userFiles: [join(dir, `${name}-user-known_hosts`)],
          ownFile: join(dir, `${name}-known_hosts`),
        }),
        fingerprint: fingerprintSha256,
        prompt,
        secrets: new MemorySecretStore(),
        agentSocket: undefined,
        userHome: dir,
        ...extra,
      };
    }

    async function whoami(opts: SshConnectOptions): Promise<string> {
      const session = await openSsh(opts);
      try {
        return (await execCollect(session.client, ['id', '-un'])).stdout.toString().trim();
      } finally {
        session.close();
      }
    }

    it('asks once about an unknown host key, showing its SHA256 fingerprint, then remembers it', async () => {
      const me = scriptedUser(trustAll);
      const opts = options('unknown', me.prompt);
      expect(await whoami(opts)).toBe(user.username);
      expect(me.asked).toEqual([
        {
          kind: 'host-key-unknown',
          host: sshd.host,
          port: sshd.port,
          keyType: 'ssh-ed25519',
          fingerprint: sshd.hostKeyFingerprintSha256,
        },
      ]);
      expect(await whoami(opts)).toBe(user.username);
      expect(me.asked).toHaveLength(1);
    });

    it('does not log in when the user declines the host key', async () => {
      const me = scriptedUser(() => ({ kind: 'trust', trust: false }));
      await expect(whoami(options('declined', me.prompt))).rejects.toMatchObject({
        code: 'host-key-rejected',
      });
    });

    it('refuses a changed host key before sending any credential, naming both fingerprints', async () => {
      const other = join(dir, 'other_host_key');
      await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
      const { stdout: otherPub } = await run('cat', [`${other}.pub`]);
      const userFile = join(dir, 'changed-user-known_hosts');
      await writeFile(userFile, `[${sshd.host}]:${sshd.port} ${otherPub}`);
      const logBefore = (await sshd.readLog()).length;
      const me = scriptedUser(trustAll);
      const error = await whoami({
        ...options('changed', me.prompt),
        hostKeys: new KnownHostsStore({ userFiles: [userFile], ownFile: join(dir, 'changed-own') }),
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'host-key-changed' });
      expect((error as Error).message).toContain(sshd.hostKeyFingerprintSha256);
      expect(me.asked).toEqual([]); // a changed key is a stop, not a prompt
      await new Promise((r) => setTimeout(r, 300));
      const log = (await sshd.readLog()).slice(logBefore);
      expect(log).toMatch(/Connection from/);
      expect(log).not.toMatch(
        /Accepted|Failed|Postponed|userauth|authenticating user|Invalid user/i,
      );
    });

    it('accepts a host listed in a hashed known_hosts without asking', async () => {
      const userFile = join(dir, 'hashed-known_hosts');
      await writeFile(userFile, `[${sshd.host}]:${sshd.port} ${sshd.hostPublicKey}\n`);
      await run('ssh-keygen', ['-H', '-f', userFile]);
      const me = scriptedUser(trustAll);
      const opts = {
        ...options('hashed', me.prompt),
        hostKeys: new KnownHostsStore({ userFiles: [userFile], ownFile: join(dir, 'hashed-own') }),
      };
      expect(await whoami(opts)).toBe(user.username);
      expect(me.asked).toEqual([]);
    });

    it('unlocks a passphrase-protected key, and uses the remembered passphrase next time', async () => {
      const locked = await createTestUser('sshpass', { passphrase: 'correct horse' });
      try {
        const me = scriptedUser((r) =>
          r.kind === 'passphrase'
            ? { kind: 'secret', secret: r.retry ? 'correct horse' : 'wrong', remember: true }
            : trustAll(r),
        );
        const secrets = new MemorySecretStore();
        const opts = {
          ...options('passphrase', me.prompt, { secrets }),
          target: endpoint({ user: locked.username, identityFiles: [locked.privateKeyPath] }),
        };
        expect(await whoami(opts)).toBe(locked.username);
        expect(me.asked.map((r) => r.kind)).toEqual([
          'host-key-unknown',
          'passphrase',
          'passphrase',
        ]);
        expect(await secrets.get(secretKeys.passphrase(locked.privateKeyPath))).toBe(
          'correct horse',
        );
        expect(await whoami(opts)).toBe(locked.username);
        expect(me.asked).toHaveLength(3);
      } finally {
        await locked.dispose();
      }
    });

    it('logs in with a key held by ssh-agent', async () => {
      const socket = join(dir, 'agent.sock');
      const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
      try {
        for (let i = 0; i < 50; i++) {
          if (
            await run('test', ['-S', socket]).then(
              () => true,
              () => false,
            )
          )
            break;
          await new Promise((r) => setTimeout(r, 100));
        }
        await run('ssh-add', [user.privateKeyPath], { env: { SSH_AUTH_SOCK: socket } });
        const me = scriptedUser(trustAll);
        const opts = {
          ...options('agent', me.prompt, { agentSocket: socket }),
          target: endpoint({ identityFiles: [join(dir, 'no-such-key')], identitiesOnly: false }),
        };
        expect(await whoami(opts)).toBe(user.username);
        expect(me.asked.map((r) => r.kind)).toEqual(['host-key-unknown']);
      } finally {
        agent.kill();
      }
    });

    it('falls back to keyboard-interactive or password, retrying a wrong password', async () => {
      const me = scriptedUser((r) => {
        if (r.kind === 'keyboard-interactive')
          return {
            kind: 'responses',
            responses: r.prompts.map(() => (me.asked.length > 2 ? user.password : 'nope')),
          };
        if (r.kind === 'password')
          return { kind: 'secret', secret: user.password, remember: false };
        return trustAll(r);
      });
      const opts = {
        ...options('password', me.prompt),
        target: endpoint({ identityFiles: [join(dir, 'no-such-key')] }),
      };
      expect(await whoami(opts)).toBe(user.username);
      const kinds = me.asked.map((r) => r.kind);
      expect(kinds[0]).toBe('host-key-unknown');
      expect(kinds.slice(1).every((k) => k === 'keyboard-interactive' || k === 'password')).toBe(
        true,
      );
      expect(kinds.length).toBeGreaterThan(2); // the wrong answer was asked again, not accepted
    });

    it('fails with a clear, non-retryable error when every login is refused', async () => {
      const me = scriptedUser((r) =>
        r.kind === 'keyboard-interactive'
          ? { kind: 'responses', responses: r.prompts.map(() => 'nope') }
          : r.kind === 'password'
            ? { kind: 'secret', secret: 'nope', remember: false }
            : trustAll(r),
      );
      const opts = {
        ...options('refused', me.prompt),
        target: endpoint({ identityFiles: [join(dir, 'no-such-key')] }),
      };
      await expect(whoami(opts)).rejects.toMatchObject({
        code: 'ssh-auth-failed',
        message: expect.stringContaining(user.username),
      });
    });

    describe('with two factors (key, then keyboard-interactive)', () => {
      let twoFactor: Sshd;
      beforeAll(async () => {
        twoFactor = await startSshd({
          config: {
            AuthenticationMethods: 'publickey,keyboard-interactive',
            KbdInteractiveAuthentication: 'yes',
          },
        });
      });
      afterAll(() => twoFactor?.stop());

      it('asks the second factor once, after the key was accepted', async () => {
        const me = scriptedUser((r) =>
          r.kind === 'keyboard-interactive'
            ? { kind: 'responses', responses: r.prompts.map(() => user.password) }
            : trustAll(r),
        );
        const opts = { ...options('2fa', me.prompt), target: endpoint({ port: twoFactor.port }) };
        expect(await whoami(opts)).toBe(user.username);
        expect(me.asked.map((r) => r.kind)).toEqual(['host-key-unknown', 'keyboard-interactive']);
        const log = await twoFactor.readLog();
        expect(log).toMatch(/Partial publickey/);
      });
    });

    describe('while a person is being asked', () => {
      /** Short, so that these tests wait seconds; still ample for a handshake on 127.0.0.1. */
      const HANDSHAKE_TIMEOUT_MS = 1_500;
      /** Answers come this late: well past the handshake timeout. */
      const LATE_MS = 3_000;
      /** sshd's LoginGraceTime here, in seconds: it hangs up on a login that takes longer. */
      const GRACE_S = 2;
      let impatient: Sshd;
      let silent: Server;
      const held: Socket[] = [];

      beforeAll(async () => {
        impatient = await startSshd({ config: { LoginGraceTime: String(GRACE_S) } });
        silent = createServer((socket) => held.push(socket)); // accepts, never says a word
        await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      });
      afterAll(async () => {
        await impatient?.stop();
        for (const socket of held) socket.destroy();
        await new Promise((resolve) => silent?.close(resolve));
      });

      it('does not count the wait for an answer against the handshake timeout', async () => {
        const me = slowUser(LATE_MS, trustAll);
        const started = Date.now();
        const opts = options('late-trust', me.prompt, {
          handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
        });
        expect(await whoami(opts)).toBe(user.username);
        expect(Date.now() - started).toBeGreaterThan(LATE_MS);
        expect(me.asked.map((q) => q.request.kind)).toEqual(['host-key-unknown']);
      });

      it('still gives up on a server that never finishes the handshake', async () => {
        const me = scriptedUser(trustAll);
        const { port } = silent.address() as { port: number };
        const started = Date.now();
        const error = await whoami({
          ...options('silent', me.prompt, { handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS }),
          target: endpoint({ port }),
        }).catch((e: unknown) => e);
        expect(error).toMatchObject({
          code: 'ssh-unreachable',
          message: expect.stringContaining('did not finish connecting within 1.5 s'),
        });
        expect(Date.now() - started).toBeGreaterThanOrEqual(HANDSHAKE_TIMEOUT_MS - 50);
        expect(me.asked).toEqual([]);
      });

      it('withdraws a question nobody answers within the prompt timeout, and says why it stopped', async () => {
        const me = slowUser(Infinity, trustAll);
        const opts = options('unanswered', me.prompt, {
          handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
          promptTimeoutMs: 1_000,
        });
        await expect(whoami(opts)).rejects.toMatchObject({
          code: 'prompt-timeout',
          message: `Nobody answered whether to trust the host key of ${sshd.host} within 1 s, so LabDeck stopped connecting.`,
        });
        expect(me.asked).toHaveLength(1);
        expect(me.asked[0]?.signal?.aborted).toBe(true); // the window closes the question
      });

      it('ignores answers that come after the server hung up, trusting nothing', async () => {
        const crashes = watchUnhandled();
        try {
          const declines = slowUser(LATE_MS, () => ({ kind: 'trust', trust: false }));
          const trusts = slowUser(LATE_MS, trustAll);
          const attempts = [declines, trusts].map((me, i) =>
            whoami({
              ...options(`hung-up-${i}`, me.prompt, { handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS }),
              target: endpoint({ port: impatient.port }),
            }).catch((e: unknown) => e),
          );
          for (const error of await Promise.all(attempts)) {
            expect(error).toMatchObject({
              code: 'ssh-closed-while-asking',
              message: expect.stringContaining('closed the connection while LabDeck waited'),
            });
          }
          expect(declines.asked[0]?.signal?.aborted).toBe(true);
          await until('the late answers', async () =>
            declines.answered() + trusts.answered() === 2 ? true : undefined,
          );
          await sleep(500); // what the late answers set off has run by now
          expect(crashes.seen).toEqual([]);
          expect(existsSync(join(dir, 'hung-up-1-known_hosts'))).toBe(false);
          expect(existsSync(join(dir, 'hung-up-1-user-known_hosts'))).toBe(false);
        } finally {
          crashes.stop();
        }
      });
    });

    describe('through a jump host', () => {
      let jump: Sshd;
      beforeAll(async () => {
        jump = await startSshd();
      });
      afterAll(() => jump?.stop());

      it('verifies both hosts and logs in to the target through the jump host', async () => {
        const me = scriptedUser(trustAll);
        const opts = { ...options('jump', me.prompt), jumps: [endpoint({ port: jump.port })] };
        const jumpLogBefore = (await jump.readLog()).length;
        expect(await whoami(opts)).toBe(user.username);
        expect(me.asked.map((r) => r.kind === 'host-key-unknown' && r.port)).toEqual([
          jump.port,
          sshd.port,
        ]);
        expect((await jump.readLog()).slice(jumpLogBefore)).toMatch(
          /direct-tcpip|Accepted publickey/,
        );
      });
    });
  },
);
