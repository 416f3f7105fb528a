import { chown, copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, type ClientChannel } from 'ssh2';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { encodeStreamData, encodeStreamEnd } from '../../../common/agent/stream-header';
import { isProcessAlive } from '../../../agent-bundle/runtime/daemon-lock';
import { DIAG_GENERATE_PERIOD } from '../../../agent-bundle/runtime/diag-streams';
import { AgentClient } from '../../../main/agent/agent-client';
import { commandLine } from '../../../common/shell/shell-quote';
import {
  createTestUser,
  describeWithParts,
  startSshd,
  stopAgents,
  type Sshd,
  type TestUser,
} from '../../harness';
import { buildAgentBundles, bundleSha256, waitUntil } from './agent-processes';
import { StreamReader } from './stream-reader';

/** Idle exit of the daemons here: long enough for a test's steps, short enough to watch. */
const IDLE_MS = 2_000;
/** What the slow reader leaves unread: far more than every buffer on the way (SSH window 2 MiB). */
const SLOW_STREAM_BYTES = 64 * 1024 * 1024;
/** A daemon that buffered the unread stream would grow by about all of it. */
const MAX_DAEMON_GROWTH_BYTES = SLOW_STREAM_BYTES / 2;
const NODE = process.execPath;

describeWithParts(
  ['root', 'sshd', 'ssh-keygen'],
  'agent builds side by side and byte streams over SSH',
  () => {
    let sshd: Sshd;
    let user: TestUser;
    let work: string;
    /** The two builds, as uploaded into the user's cache. */
    const remote = { a: '', b: '' };
    const sshClients: Client[] = [];
    const agents: AgentClient[] = [];

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'labdeck-streams-'));
      const built = await buildAgentBundles(work);
      sshd = await startSshd();
      user = await createTestUser('streams');
      const dir = join(user.home, '.cache/labdeck/agent');
      await mkdir(dir, { recursive: true, mode: 0o700 });
      for (const key of ['a', 'b'] as const) {
        remote[key] = join(
          dir,
          `labdeck-agent-${(await bundleSha256(built[key])).slice(0, 12)}.cjs`,
        );
        await copyFile(built[key], remote[key]);
        await chown(remote[key], user.uid, user.gid);
      }
      for (const path of [join(user.home, '.cache'), join(user.home, '.cache/labdeck'), dir])
        await chown(path, user.uid, user.gid);
    });

    afterEach(async () => {
      for (const agent of agents.splice(0)) agent.close();
      for (const client of sshClients.splice(0)) client.end();
      await stopAgents(user.username);
      await rm(`/tmp/labdeck-${user.uid}`, { recursive: true, force: true });
    });

    afterAll(async () => {
      await sshd?.stop();
      await user?.dispose();
      await rm(join(user.home, '.cache/labdeck'), { recursive: true, force: true });
      if (work) await rm(work, { recursive: true, force: true });
    });

    async function ssh(): Promise<Client> {
      const client = new Client();
      sshClients.push(client);
      const privateKey = await readFile(user.privateKeyPath);
      await new Promise<void>((resolve, reject) => {
        client.once('ready', resolve).once('error', reject);
        client.connect({
          host: sshd.host,
          port: sshd.port,
          username: user.username,
          privateKey,
          readyTimeout: 10_000,
        });
      });
      return client;
    }

    function exec(client: Client, argv: readonly string[]): Promise<ClientChannel> {
      const command = `LABDECK_AGENT_IDLE_MS=${IDLE_MS} ${commandLine(argv)}`;
      return new Promise((resolve, reject) =>
        client.exec(command, (error, channel) => (error ? reject(error) : resolve(channel))),
      );
    }

    async function connectAgent(client: Client, bundle: string): Promise<AgentClient> {
      const channel = await exec(client, [NODE, bundle, 'connect']);
      const agent = await AgentClient.connect(channel, {
        client: 'streams test',
        timeoutMs: 15_000,
        stderr: channel.stderr,
      });
      agents.push(agent);
      return agent;
    }

    async function attach(
      client: Client,
      stream: string,
      check?: (b: Uint8Array, at: number) => void,
    ) {
      const channel = await exec(client, [NODE, remote.a, 'attach', stream]);
      channel.stderr.resume();
      return { channel, reader: new StreamReader(channel, check === undefined, check) };
    }

    it('keeps two builds’ daemons side by side for one user; each exits on its own when idle', async () => {
      const client = await ssh();
      const a = await connectAgent(client, remote.a);
      const b = await connectAgent(client, remote.b);
      expect(b.hello.bundleSha256).not.toBe(a.hello.bundleSha256);
      expect(b.hello.pid).not.toBe(a.hello.pid);
      const infoA = await a.call('agent.info', {});
      const infoB = await b.call('agent.info', {});
      expect(infoA).toMatchObject({ ok: true, value: { pid: a.hello.pid } });
      expect(infoB).toMatchObject({ ok: true, value: { pid: b.hello.pid } });
      if (!infoA.ok || !infoB.ok) return;
      expect(infoA.value.socketPath).toBe(
        `/tmp/labdeck-${user.uid}/agent-${a.hello.bundleSha256.slice(0, 12)}.sock`,
      );
      expect(infoB.value.socketPath).toBe(
        `/tmp/labdeck-${user.uid}/agent-${b.hello.bundleSha256.slice(0, 12)}.sock`,
      );
      // A's daemon was not stopped by B's arrival: same process, still answering.
      expect(isProcessAlive(a.hello.pid)).toBe(true);
      const againA = await connectAgent(client, remote.a);
      expect(againA.hello.pid).toBe(a.hello.pid);

      for (const agent of agents) agent.close();
      await waitUntil(
        'both idle daemons have exited',
        () => [a.hello.pid, b.hello.pid].every((pid) => !isProcessAlive(pid)),
        15_000,
      );
    });

    it('echoes raw bytes on a stream of its own and ends with a typed trailer', async () => {
      const client = await ssh();
      const { channel, reader } = await attach(client, 'diag:echo');
      expect(await reader.header).toEqual({ t: 'opened', stream: 'diag:echo', replayBytes: 0 });
      const every = Uint8Array.from({ length: 256 }, (_, i) => i);
      for (const frame of encodeStreamData(every)) channel.write(frame);
      await waitUntil('the echo came back', () => reader.received === every.length);
      expect(reader.bytes()).toEqual(Buffer.from(every));
      channel.write(encodeStreamEnd({ t: 'end' }));
      expect(await reader.end).toEqual({ t: 'end', exitCode: 0 });
    });

    it('refuses an unknown stream id with a typed error header', async () => {
      const client = await ssh();
      const { reader } = await attach(client, 'no-such-kind:nope');
      expect(await reader.header).toMatchObject({
        t: 'refused',
        error: {
          code: 'unknown-agent-stream',
          message: expect.stringContaining('no-such-kind:nope'),
        },
      });
      expect(await reader.end).toBeUndefined();
    });

    it('a reader that stops reading pauses only its stream: RPC of another client stays quick and the daemon buffers little', async () => {
      const rpcClient = await ssh();
      const agent = await connectAgent(rpcClient, remote.a);
      const daemonPid = agent.hello.pid;
      const before = await rssBytes(daemonPid);

      const streamClient = await ssh();
      let misplaced = 0;
      const { channel, reader } = await attach(
        streamClient,
        `diag:generate:${SLOW_STREAM_BYTES}`,
        (bytes, at) => {
          for (let i = 0; i < bytes.length; i++) {
            if (bytes[i] !== (at + i) % DIAG_GENERATE_PERIOD) misplaced++;
          }
        },
      );
      await reader.header;
      channel.pause();
      await sleep(1_000);
      for (let i = 0; i < 20; i++) {
        const started = Date.now();
        expect(await agent.call('agent.info', {})).toMatchObject({
          ok: true,
          value: { pid: daemonPid },
        });
        expect(Date.now() - started).toBeLessThan(1_000);
      }
      expect(reader.received).toBeLessThan(SLOW_STREAM_BYTES / 4);
      expect((await rssBytes(daemonPid)) - before).toBeLessThan(MAX_DAEMON_GROWTH_BYTES);

      // Read on: everything arrives, in order, and the stream ends with exit code 0.
      channel.resume();
      expect(await reader.end).toEqual({ t: 'end', exitCode: 0 });
      expect(reader.received).toBe(SLOW_STREAM_BYTES);
      expect(misplaced).toBe(0);
      expect(isProcessAlive(daemonPid)).toBe(true);
      expect((await agent.call('agent.info', {})).ok).toBe(true);
    });
  },
);

/** Resident memory of a process, from /proc. */
async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) * 1024;
}
