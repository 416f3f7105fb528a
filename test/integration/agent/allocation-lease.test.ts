import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { isProcessAlive } from '../../../agent-bundle/runtime/daemon-lock';
import { LEASE_STALE_MS } from '../../../agent-bundle/sessions/allocation-lease';
import { createTestUser, describeWithParts, type TestUser } from '../../harness';
import { buildAgentBundles, waitUntil } from './agent-processes';
import { holdLease, lockHolder, LeaseAgents, type LeaseClient } from './lease-agents';

const run = promisify(execFile);
/** How long each turn holds the lease: long enough that an overlap could not hide. */
const HOLD_MS = 60;
const TURNS_PER_CLIENT = 4;
const WAIT_MS = 30_000;
/** A lease freed by its holder's end reaches the next waiter this fast, far under the stale time. */
const PROMPT_HANDOVER_MS = 2_000;

/** The real uid a process runs as, from /proc. */
async function processUid(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
}

describeWithParts(['root'], 'the allocation lease across real agents of two users', () => {
  let buildDir: string;
  let bundle: string;
  let alice: TestUser;
  let bob: TestUser;
  let agents: LeaseAgents;

  beforeAll(async () => {
    buildDir = await mkdtemp(join(tmpdir(), 'labdeck-lease-build-'));
    await chmod(buildDir, 0o755); // the test users run the bundle from here
    bundle = (await buildAgentBundles(buildDir)).a;
    alice = await createTestUser('lease-alice');
    bob = await createTestUser('lease-bob');
  });
  afterEach(() => agents.cleanup());
  afterAll(async () => {
    await alice?.dispose();
    await bob?.dispose();
    await rm(buildDir, { recursive: true, force: true });
  });

  async function start(): Promise<LeaseAgents> {
    agents = new LeaseAgents(bundle, await LeaseAgents.lockDir());
    return agents;
  }

  it('lets the clients of two users’ daemons hold it in turn, never two at once', async () => {
    const lease = await start();
    const clients = [
      await lease.connect(alice),
      await lease.connect(alice),
      await lease.connect(bob),
    ];
    expect(clients[1]!.client.hello.pid).toBe(clients[0]!.client.hello.pid);
    expect(clients[2]!.client.hello.pid).not.toBe(clients[0]!.client.hello.pid);
    expect(await processUid(clients[0]!.client.hello.pid)).toBe(alice.uid);
    expect(await processUid(clients[2]!.client.hello.pid)).toBe(bob.uid);
    const turns: { who: number; enter: number; exit: number }[] = [];
    const takeTurns = async ({ client, user }: LeaseClient, who: number): Promise<void> => {
      for (let turn = 0; turn < TURNS_PER_CLIENT; turn += 1) {
        const hold = holdLease(client, WAIT_MS);
        const { leaseId } = await hold.held;
        const enter = Date.now();
        expect(await lockHolder(lease.lockDir)).toMatchObject({ leaseId, user: user.username });
        await sleep(HOLD_MS);
        turns.push({ who, enter, exit: Date.now() });
        hold.unsubscribe();
      }
    };
    await Promise.all(clients.map(takeTurns));
    turns.sort((a, b) => a.enter - b.enter);
    expect(turns).toHaveLength(clients.length * TURNS_PER_CLIENT);
    for (let i = 1; i < turns.length; i += 1) {
      expect(turns[i]!.enter, `turn ${i} began before turn ${i - 1} ended`).toBeGreaterThanOrEqual(
        turns[i - 1]!.exit,
      );
    }
    await waitUntil(
      'the last holder has released it',
      async () => !(await lockHolder(lease.lockDir)),
    );
  });

  it('frees the lease for the next waiter as soon as the holder’s connection dies', async () => {
    const lease = await start();
    const holder = await lease.connect(alice);
    const waiter = await lease.connect(bob);
    await holdLease(holder.client, WAIT_MS).held;
    const waiting = holdLease(waiter.client, WAIT_MS);
    await sleep(300);
    expect((await lockHolder(lease.lockDir))?.user).toBe(alice.username);
    const killedAt = Date.now();
    holder.child.kill('SIGKILL'); // the SSH session drops; alice's daemon lives on
    await waiting.held;
    expect(Date.now() - killedAt).toBeLessThan(PROMPT_HANDOVER_MS);
    expect((await lockHolder(lease.lockDir))?.user).toBe(bob.username);
    expect(isProcessAlive(holder.client.hello.pid)).toBe(true);
  });

  it('breaks the lock of a holding daemon killed with SIGKILL, without waiting for it to go stale', async () => {
    const lease = await start();
    const holder = await lease.connect(alice);
    const waiter = await lease.connect(bob);
    const { leaseId } = await holdLease(holder.client, WAIT_MS).held;
    const waiting = holdLease(waiter.client, WAIT_MS);
    await sleep(300);
    expect((await lockHolder(lease.lockDir))?.leaseId).toBe(leaseId);
    const killedAt = Date.now();
    process.kill(holder.client.hello.pid, 'SIGKILL');
    const { waitedMs } = await waiting.held;
    expect(Date.now() - killedAt).toBeLessThan(PROMPT_HANDOVER_MS);
    expect(waitedMs).toBeLessThan(LEASE_STALE_MS);
    expect((await lockHolder(lease.lockDir))?.user).toBe(bob.username);
  });

  it('ends a waiter past waitMs with the holder’s user and pid', async () => {
    const lease = await start();
    const holder = await lease.connect(alice);
    const waiter = await lease.connect(bob);
    await holdLease(holder.client, WAIT_MS).held;
    const waiting = holdLease(waiter.client, 500);
    await expect(waiting.held).rejects.toMatchObject({
      code: 'allocation-lease-timeout',
      message: expect.stringContaining(`${alice.username} (pid ${holder.client.hello.pid}`),
    });
  });

  it('reports the MPS pipe directory and HAMi-core library it is pointed at', async () => {
    const lease = await start();
    const places = await mkdtemp('/tmp/ldshare-');
    await chmod(places, 0o755);
    await mkdir(join(places, 'nvidia-mps'));
    await run('mkfifo', ['-m', '0666', join(places, 'nvidia-mps', 'control')]);
    await writeFile(join(places, 'libvgpu.so'), 'ELF');
    try {
      const { client } = await lease.connect(alice, {
        CUDA_MPS_PIPE_DIRECTORY: join(places, 'nvidia-mps'),
        LABDECK_HAMI_LIBRARY: join(places, 'libvgpu.so'),
      });
      expect(await client.call('session.capabilities', {})).toEqual({
        ok: true,
        value: {
          mpsPipeDirectory: join(places, 'nvidia-mps'),
          hamiLibrary: join(places, 'libvgpu.so'),
        },
      });
    } finally {
      await rm(places, { recursive: true, force: true });
    }
  });
});
