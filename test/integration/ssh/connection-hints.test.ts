import { createServer, type Server, type Socket } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Client } from '../../../common/contract/client';
import type { AppError } from '../../../common/contract/result';
import type { ConnectionState } from '../../../common/hosts/connection-state';
import type { DoctorReport } from '../../../common/hosts/doctor-report';
import type { SshHostInput } from '../../../common/hosts/host-config';
import type { PromptAnswer, PromptRequest } from '../../../common/ssh/prompts';
import type { Services } from '../../../main/services';
import {
  createTestUser,
  describeWithParts,
  ensureBuilt,
  freePort,
  startSshd,
  testServices,
  type Sshd,
  type TestUser,
} from '../../harness';
import { argvFor, hintCommands, resolveSsh } from '../../support/hint-commands';

/** Short, so that the silent server's case takes seconds. */
const HANDSHAKE_TIMEOUT_MS = 1_500;
/** Longer than the first reconnect delays (1 s, then 2 s): a retry would have happened by then. */
const NO_RETRY_WATCH_MS = 4_000;
/** A user name that exists nowhere: the typo the issue describes. */
const WRONG_USER = 'uxuser';

/** Who a hint's command must reach: the hop that failed, behind the hops before it. */
interface Hop {
  readonly user: string;
  readonly host: string;
  readonly port: number;
}

/**
 * Every command of a hint, pasted: `ssh` lines through real OpenSSH (`ssh -G`), which must name
 * `hop` (and `via`, as ProxyJump); `nc` lines through bash, which must pass
 * the host and port apart. Returns how many commands there were.
 */
async function expectRunnable(text: string | undefined, hop: Hop, via = ''): Promise<number> {
  const commands = hintCommands(text);
  for (const command of commands) {
    const program = command.split(' ')[0];
    if (program === 'ssh') {
      expect(await resolveSsh(command), command).toEqual({
        user: hop.user,
        hostname: hop.host,
        port: hop.port,
        proxyjump: via || undefined,
      });
    } else if (program === 'nc') {
      expect(await argvFor(command, 'nc'), command).toEqual(['-vz', hop.host, String(hop.port)]);
    } else {
      throw new Error(`a hint suggests a command this test does not know: ${command}`);
    }
  }
  return commands.length;
}

/** A TCP server that accepts and then does `what` with each connection. */
async function tcpServer(
  what: (socket: Socket) => void,
): Promise<{ port: number; server: Server }> {
  const port = await freePort();
  const server = createServer(what);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, server };
}

describeWithParts(
  ['root', 'sshd', 'ssh-keygen'],
  'connection errors and Doctor fixes, as a user reads and pastes them',
  () => {
    let sshd: Sshd;
    let user: TestUser;
    let home: string;
    let services: Services;
    let client: Client;
    let closedPort: number;
    const servers: Server[] = [];
    const asked: PromptRequest[] = [];
    /** What the scripted user answers to a password question; host keys are trusted. */
    let answerPassword: (request: PromptRequest) => PromptAnswer = () => ({ kind: 'cancelled' });
    const states = new Map<string, ConnectionState[]>();

    beforeAll(async () => {
      await ensureBuilt();
      sshd = await startSshd();
      user = await createTestUser('hints');
      home = await mkdtemp(join(tmpdir(), 'labdeck-hints-'));
      closedPort = await freePort();
      ({ services, client } = testServices(home, {
        env: { PATH: process.env.PATH },
        prompt: async (request) => {
          asked.push(request);
          if (request.kind === 'host-key-unknown') return { kind: 'trust', trust: true };
          return answerPassword(request);
        },
      }));
      client.on('host:updated', (h) =>
        states.set(h.id, [...(states.get(h.id) ?? []), h.connection]),
      );
    });

    afterAll(async () => {
      await services?.dispose();
      for (const server of servers) server.close();
      await sshd?.stop();
      await user?.dispose();
      if (home) await rm(home, { recursive: true, force: true });
    });

    async function add(input: SshHostInput): Promise<string> {
      const added = await client.request('hosts:add', input);
      if (!added.ok) throw new Error(added.error.message);
      return added.value.id;
    }

    async function connectError(id: string): Promise<AppError> {
      const result = await client.request('hosts:connect', { hostId: id });
      if (result.ok) throw new Error('connected, but should have failed');
      return result.error;
    }

    async function check(id: string): Promise<DoctorReport> {
      const result = await client.request('hosts:check', { hostId: id });
      if (!result.ok) throw new Error(result.error.message);
      return result.value;
    }

    async function phaseOf(id: string): Promise<ConnectionState> {
      const listed = await client.request('hosts:list', {});
      if (!listed.ok) throw new Error(listed.error.message);
      return listed.value.find((h) => h.id === id)!.connection;
    }

    it('a port typo: the hint and the Doctor fix reach that port with -p, and nothing retries', async () => {
      const hop = { user: user.username, host: '127.0.0.1', port: closedPort };
      const id = await add({ name: 'typo', user: hop.user, hostname: hop.host, port: hop.port });
      const error = await connectError(id);
      expect(error.message).toBe(
        `Cannot reach ${hop.user}@127.0.0.1:${closedPort}: nothing listens on that port.`,
      );
      expect(await expectRunnable(error.hint, hop)).toBe(1);
      expect(error.hint).toContain(`ssh -v -p ${closedPort} ${hop.user}@127.0.0.1`);

      const tcp = (await check(id)).steps.find((s) => s.step === 'tcp')!;
      expect(tcp).toMatchObject({
        status: 'fail',
        detail: `Nothing listens on 127.0.0.1:${closedPort} (ECONNREFUSED).`,
      });
      expect(await expectRunnable(tcp.fix, hop)).toBe(2);

      // Never connected: one failure, then it waits for Retry or Edit.
      await sleep(NO_RETRY_WATCH_MS);
      expect((await phaseOf(id)).phase).toBe('failed');
      expect(states.get(id)?.some((s) => s.phase === 'reconnecting')).toBe(false);
    });

    it('an IPv6 address: brackets only where a port follows, and ssh reads host and port apart', async () => {
      const hop = { user: user.username, host: '::1', port: closedPort };
      const id = await add({ name: 'six', user: hop.user, hostname: hop.host, port: hop.port });
      const error = await connectError(id);
      expect(error.message).toContain(`${hop.user}@[::1]:${closedPort}`);
      expect(await expectRunnable(error.hint, hop)).toBe(1);
      const tcp = (await check(id)).steps.find((s) => s.step === 'tcp')!;
      expect(tcp.detail).toContain(`[::1]:${closedPort}`);
      expect(await expectRunnable(tcp.fix, hop)).toBe(2);
    });

    it('a server that hangs up, and one that never speaks: both hints run as pasted', async () => {
      const hangUp = await tcpServer((socket) => socket.destroy());
      const silent = await tcpServer(() => {});
      servers.push(hangUp.server, silent.server);
      // Its own services, with a handshake clock short enough for the silent server.
      const quick = testServices(await mkdtemp(join(home, 'quick-')), {
        env: {
          PATH: process.env.PATH,
          LABDECK_SSH_HANDSHAKE_TIMEOUT_MS: String(HANDSHAKE_TIMEOUT_MS),
        },
      });
      try {
        for (const [name, port] of [
          ['hangs-up', hangUp.port],
          ['silent', silent.port],
        ] as const) {
          const hop = { user: user.username, host: '127.0.0.1', port };
          const added = await quick.client.request('hosts:add', {
            name,
            user: hop.user,
            hostname: hop.host,
            port,
          });
          if (!added.ok) throw new Error(added.error.message);
          const hostId = added.value.id;
          const result = await quick.client.request('hosts:connect', { hostId });
          expect(result).toMatchObject({ ok: false, error: { code: 'ssh-unreachable' } });
          if (result.ok) return;
          expect(await expectRunnable(result.error.hint, hop)).toBe(1);
          const report = await quick.client.request('hosts:check', { hostId });
          if (!report.ok) throw new Error(report.error.message);
          const tcp = report.value.steps.find((s) => s.step === 'tcp');
          expect(await expectRunnable(tcp?.fix, hop)).toBe(1);
        }
      } finally {
        await quick.services.dispose();
      }
    });

    it('a target behind a jump host: the hint goes through the same jump', async () => {
      const jump = { user: user.username, hostname: sshd.host, port: sshd.port };
      const id = await add({
        name: 'behind',
        user: user.username,
        hostname: '127.0.0.1',
        port: closedPort,
        identityFile: user.privateKeyPath,
        jump: [jump],
      });
      // The jump host logs in with the user's default key: none here, so it asks the password.
      answerPassword = () => ({ kind: 'secret', secret: user.password, remember: false });
      const error = await connectError(id);
      expect(error.code).toBe('ssh-unreachable');
      const hop = { user: user.username, host: '127.0.0.1', port: closedPort };
      // As ssh -G prints ProxyJump: brackets around any host that has a port.
      const via = `${user.username}@[127.0.0.1]:${sshd.port}`;
      expect(await expectRunnable(error.hint, hop, via)).toBe(1);
    });

    it('a wrong user name: says what was refused and what the server offers, names the user, and stops', async () => {
      const hop = { user: WRONG_USER, host: sshd.host, port: sshd.port };
      const id = await add({
        name: 'wrong-user',
        user: WRONG_USER,
        hostname: sshd.host,
        port: sshd.port,
        identityFile: user.privateKeyPath,
      });
      asked.length = 0;
      answerPassword = () => ({ kind: 'secret', secret: 'not-it', remember: false });
      const error = await connectError(id);
      expect(error.code).toBe('ssh-auth-failed');
      expect(error.message).toBe(
        `${sshd.host} refused the login as ${WRONG_USER}: it refused the key ${user.privateKeyPath} and a password (3 times). The server offers keys and passwords.`,
      );
      expect(error.hint).toContain(`If ${WRONG_USER} is not your user name on ${sshd.host}`);
      expect(await expectRunnable(error.hint, hop)).toBe(1);
      // The password was asked three times, the second and third saying the first was wrong.
      const passwords = asked.filter((r) => r.kind === 'password');
      expect(passwords.map((r) => r.kind === 'password' && r.retry)).toEqual([false, true, true]);

      await sleep(NO_RETRY_WATCH_MS);
      expect((await phaseOf(id)).phase).toBe('failed');

      // The Doctor's login step gives the same fix; the host key step says what it found.
      const report = await check(id);
      const auth = report.steps.find((s) => s.step === 'authentication')!;
      expect(auth).toMatchObject({ status: 'fail', detail: error.message });
      expect(await expectRunnable(auth.fix, hop)).toBe(1);
      const hostKey = report.steps.find((s) => s.step === 'host-key')!;
      expect(hostKey).toMatchObject({ status: 'pass' });
      expect(hostKey.detail).not.toBe('Passed.');
    });

    it('a login cancelled after a wrong password is "not connected", with the same advice', async () => {
      const id = await add({
        name: 'cancelled',
        user: WRONG_USER,
        hostname: sshd.host,
        port: sshd.port,
        identityFile: user.privateKeyPath,
      });
      let passwords = 0;
      answerPassword = () =>
        ++passwords === 1
          ? { kind: 'secret', secret: 'not-it', remember: false }
          : { kind: 'cancelled' };
      const error = await connectError(id);
      expect(error.code).toBe('ssh-auth-cancelled');
      const state = await phaseOf(id);
      expect(state).toMatchObject({ phase: 'idle', cancelled: { code: 'ssh-auth-cancelled' } });
      expect(error.message).toBe(
        `You cancelled the login to ${sshd.host} as ${WRONG_USER}, after it refused the key ${user.privateKeyPath} and a password.`,
      );
      expect(
        await expectRunnable(error.hint, { user: WRONG_USER, host: sshd.host, port: sshd.port }),
      ).toBe(1);
    });
  },
);
