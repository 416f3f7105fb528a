import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../../common/contract/client';
import type { HostSummary } from '../../../common/hosts/host-summary';
import { createInProcessTransport } from '../../../main/bridge/in-process-transport';
import { MemorySecretStore } from '../../../main/secrets/secret-store';
import { createServices } from '../../../main/services';
import {
  SETTINGS_WATCH_DEBOUNCE_MS,
  watchFileInFolder,
} from '../../../main/settings/settings-watcher';
import { SettingsStore } from '../../../main/settings/settings-store';
import { tempHome } from '../../support/temp-home';

/** Long enough for an inotify event and the debounce; a change seen later counts as missed. */
const SEEN_WITHIN_MS = SETTINGS_WATCH_DEBOUNCE_MS + 1_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function services(home: string) {
  const created = createServices({
    home,
    mode: 'browser',
    secrets: new MemorySecretStore(),
    env: { PATH: '', DOCKER_HOST: 'unix:///nonexistent.sock' },
    userHome: home,
  });
  const { transport, close } = createInProcessTransport(created);
  return {
    client: createClient(transport),
    stop: async () => {
      close();
      await created.dispose();
    },
  };
}

describe('watching settings.json', () => {
  it('sees each atomic replace of the file by another writer, and nothing else in the folder', async () => {
    const home = await tempHome();
    let calls = 0;
    const stop = await watchFileInFolder(join(home, 'settings.json'), () => (calls += 1));
    try {
      // Another store stands for another process: it writes by temp file and rename.
      const writer = new SettingsStore(home);
      await writer.update((s) => ({ ...s, serve: { ...s.serve, port: 4781 } }));
      await expect.poll(() => calls, { timeout: SEEN_WITHIN_MS }).toBe(1);
      // A burst is gathered (how much depends on the machine's speed), never lost.
      for (const port of [4782, 4783, 4784])
        await writer.update((s) => ({ ...s, serve: { ...s.serve, port } }));
      await expect.poll(() => calls, { timeout: SEEN_WITHIN_MS }).toBeGreaterThanOrEqual(2);
      await sleep(SEEN_WITHIN_MS);
      const settled = calls;
      expect(settled).toBeLessThanOrEqual(4);
      // Its neighbours in the folder (the lock, known_hosts) are not it.
      await writeFile(join(home, 'known_hosts'), 'gpu1 ssh-ed25519 AAAA\n');
      await sleep(SEEN_WITHIN_MS);
      expect(calls).toBe(settled);
      stop();
      await writer.update((s) => ({ ...s, serve: { ...s.serve, port: 4790 } }));
      await sleep(SEEN_WITHIN_MS);
      expect(calls).toBe(settled);
    } finally {
      stop();
    }
  });

  it('pushes `hosts:changed` when another LabDeck changes the hosts, and only then', async () => {
    const home = await tempHome();
    const window = services(home);
    const other = services(home);
    const lists: string[][] = [];
    const unlisten = window.client.listen(
      'hosts:changed',
      {},
      { event: ({ hosts }) => lists.push(hosts.map((h: HostSummary) => h.name)) },
    );
    try {
      await sleep(50); // the subscription reads the settings once before it watches
      const added = await other.client.request('hosts:add', {
        name: 'gpu-lab',
        user: 'ada',
        hostname: 'gpu1.lab.example.org',
      });
      expect(added.ok).toBe(true);
      await expect
        .poll(() => lists, { timeout: SEEN_WITHIN_MS })
        .toEqual([['This computer', 'gpu-lab']]);
      // A change to something else than hosts sends nothing.
      await new SettingsStore(home).update((s) => ({ ...s, serve: { ...s.serve, port: 4799 } }));
      await sleep(SEEN_WITHIN_MS);
      expect(lists).toHaveLength(1);
      expect((await other.client.request('hosts:remove', { hostId: 'gpu-lab' })).ok).toBe(true);
      await expect.poll(() => lists.at(-1), { timeout: SEEN_WITHIN_MS }).toEqual(['This computer']);
    } finally {
      unlisten();
      await window.stop();
      await other.stop();
    }
  });
});
