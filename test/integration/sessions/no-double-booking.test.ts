import { appendFile, chmod, mkdtemp, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { MICRO_SHARES_PER_GPU, parseMicroShares } from '../../../common/allocator-decimal';
import { SESSION_LABEL, SHARES_LABEL } from '../../../main/sessions/session-labels';
import {
  describeWithParts,
  startSessionHost,
  TEST_IMAGE,
  type SessionHost,
  type SessionUser,
} from '../../harness';

/** Launches each client makes at once. */
const LAUNCHES_PER_CLIENT = 10;
/** How often the engine's labels are summed while the launches run. */
const WATCH_INTERVAL_MS = 25;

/**
 * Micro-shares held per GPU now, summed from the labels of the engine's live containers (or of
 * its running ones only: what is really on the GPUs).
 */
async function heldPerGpu(host: SessionHost, only?: 'running'): Promise<Map<string, number>> {
  const containers = await host.dockerd.docker.listContainers({
    all: true,
    filters: { label: [SESSION_LABEL] },
  });
  const held = new Map<string, number>();
  for (const c of containers) {
    if (c.State === 'exited' || c.State === 'dead') continue;
    if (only && c.State !== only) continue;
    const shares = JSON.parse(c.Labels[SHARES_LABEL] ?? '{}') as Record<string, string>;
    for (const [uuid, share] of Object.entries(shares))
      held.set(uuid, (held.get(uuid) ?? 0) + (parseMicroShares(share) as number));
  }
  return held;
}

describeWithParts(
  ['root', 'sshd', 'dockerd', 'busybox'],
  'no double booking: four laptops launching at once on a two-GPU host',
  () => {
    let host: SessionHost;
    let clients: SessionUser[];
    let lockDir: string;

    beforeAll(async () => {
      host = await startSessionHost(2);
      // A lock directory of this file's own, so the test that attacks it disturbs no other file.
      lockDir = await mkdtemp('/tmp/labdeck-test-locks-');
      await chmod(lockDir, 0o777);
      // Two researchers (two agent daemons), each on two laptops (two clients of one daemon).
      const [ada, grace] = await Promise.all([
        host.addUser('book-ada'),
        host.addUser('book-grace'),
      ]);
      for (const user of [ada, grace])
        await appendFile(join(user.user.home, '.bashrc'), `export LABDECK_LOCK_DIR=${lockDir}\n`);
      clients = [
        ada,
        grace,
        await host.addLaptop(ada, 'ada2'),
        await host.addLaptop(grace, 'grace2'),
      ];
      await Promise.all(clients.map((c) => c.client.request('hosts:connect', { hostId: 'lab' })));
    });

    afterAll(async () => {
      await host?.stop();
      if (lockDir) await rm(lockDir, { recursive: true, force: true });
    });

    afterEach(async () => {
      const sessions = await host.dockerd.docker.listContainers({
        all: true,
        filters: { label: [SESSION_LABEL] },
      });
      await Promise.all(
        sessions.map((c) => host.dockerd.docker.getContainer(c.Id).remove({ force: true })),
      );
    });

    /** Sums the sessions' shares every few ms while `launches` run (`only` running ones); their peak. */
    async function peakWhile<T>(
      launches: Promise<T>,
      only?: 'running',
    ): Promise<{ results: T; peak: number }> {
      let watching = true;
      let peak = 0;
      const watcher = (async () => {
        while (watching) {
          for (const micro of (await heldPerGpu(host, only)).values()) peak = Math.max(peak, micro);
          await new Promise((resolve) => setTimeout(resolve, WATCH_INTERVAL_MS));
        }
      })();
      const results = await launches;
      watching = false;
      await watcher;
      return { results, peak };
    }

    /** Every client launching its ten 0.3-share sessions at once. */
    function launchAll() {
      return Promise.all(
        clients.flatMap((c, ci) =>
          Array.from({ length: LAUNCHES_PER_CLIENT }, (_, i) =>
            c.client.request('sessions:start', {
              hostId: 'lab',
              image: TEST_IMAGE,
              gpus: '0.3',
              name: `b${ci}-${i}`,
            }),
          ),
        ),
      );
    }

    it('never puts more than one GPU on a GPU, and every refused launch says "insufficient"', async () => {
      const { results, peak } = await peakWhile(launchAll());

      const started = results.filter((r) => r.ok);
      const refused = results.flatMap((r) => (r.ok ? [] : [r.error]));
      // 0.3 fits three times on each GPU (0.9); the 0.1 + 0.1 left cannot hold a seventh.
      expect(started).toHaveLength(6);
      expect(new Set(refused.map((e) => e.code))).toEqual(new Set(['insufficient']));
      expect(refused[0]?.message).toMatch(/0\.3/);
      const held = await heldPerGpu(host);
      expect([...held.values()].sort()).toEqual([900_000, 900_000]);
      expect(peak).toBeLessThanOrEqual(MICRO_SHARES_PER_GPU);
      // Nothing half-made: exactly the six sessions exist on the engine.
      const all = await host.dockerd.docker.listContainers({
        all: true,
        filters: { label: [SESSION_LABEL] },
      });
      expect(all).toHaveLength(6);
    });

    it("holds even when someone keeps deleting the lease's lock file", async () => {
      // The lease is a cooperation (the directory is writable by every user): here another user
      // removes the lock as fast as it can while the forty launches run.
      let attacking = true;
      const attacker = (async () => {
        while (attacking) {
          await unlink(join(lockDir, 'allocation.lock')).catch(() => undefined);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      })();
      // What counts is what runs on the GPUs: two racers may both create, and both then see the
      // clash and remove their own before starting.
      const { results, peak } = await peakWhile(launchAll(), 'running');
      attacking = false;
      await attacker;
      expect(peak).toBeLessThanOrEqual(MICRO_SHARES_PER_GPU);
      for (const micro of (await heldPerGpu(host)).values())
        expect(micro).toBeLessThanOrEqual(MICRO_SHARES_PER_GPU);
      const started = results.filter((r) => r.ok);
      expect(started.length).toBeLessThanOrEqual(6);
      const codes = new Set(results.flatMap((r) => (r.ok ? [] : [r.error.code])));
      for (const code of codes) expect(['insufficient', 'allocation-lease-lost']).toContain(code);
    });
  },
);
