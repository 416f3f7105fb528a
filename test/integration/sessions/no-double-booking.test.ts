import { afterAll, beforeAll, expect, it } from 'vitest';
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

/** Micro-shares held per GPU now, summed from the labels of the engine's live containers. */
async function heldPerGpu(host: SessionHost): Promise<Map<string, number>> {
  const containers = await host.dockerd.docker.listContainers({
    all: true,
    filters: { label: [SESSION_LABEL] },
  });
  const held = new Map<string, number>();
  for (const c of containers) {
    if (c.State === 'exited' || c.State === 'dead') continue;
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

    beforeAll(async () => {
      host = await startSessionHost(2);
      // Two researchers (two agent daemons), each on two laptops (two clients of one daemon).
      const [ada, grace] = await Promise.all([
        host.addUser('book-ada'),
        host.addUser('book-grace'),
      ]);
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
    });

    it('never puts more than one GPU on a GPU, and every refused launch says "insufficient"', async () => {
      let watching = true;
      let peak = 0;
      const watcher = (async () => {
        while (watching) {
          for (const micro of (await heldPerGpu(host)).values()) peak = Math.max(peak, micro);
          await new Promise((resolve) => setTimeout(resolve, WATCH_INTERVAL_MS));
        }
      })();
      const results = await Promise.all(
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
      watching = false;
      await watcher;

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
  },
);
