import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient } from '../../common/contract/client';
import { createInProcessTransport } from '../../main/bridge/in-process-transport';
import { MemorySecretStore } from '../../main/secrets/secret-store';
import { createServices } from '../../main/services';
import {
  createTestUser,
  describeWithParts,
  ensureBuilt,
  launchChromium,
  runLabdeck,
  startBrowserMode,
  startSshd,
  type BrowserMode,
  type Sshd,
  type TestUser,
} from '../harness';
import { hostCard, waitForPhase } from './hosts-ui';

/** A change on disk reaches the window within the watcher's debounce and one round trip. */
const SHOWN_TIMEOUT_MS = 10_000;
/** A first connect pushes the agent over SSH; a loaded 2-core CI runner needs its time. */
const CONNECT_TIMEOUT_MS = 90_000;
/** Set in the page once; still there later means the page never reloaded. */
const NO_RELOAD_MARK = 'window.__labdeckNoReload';

describeWithParts(
  ['root', 'sshd', 'ssh-keygen', 'chromium'],
  'the window and the CLI agree on hosts and connections',
  () => {
    let sshd: Sshd;
    let user: TestUser;
    let home: string;
    let runtime: string;
    let env: NodeJS.ProcessEnv;
    let server: BrowserMode;
    let browser: Browser;
    let page: Page;

    /** The CLI in a process of its own, never through the running server. */
    const cliAlone = (...args: string[]) => runLabdeck(args, { ...env, LABDECK_NO_APP: '1' });
    const notReloaded = () => page.evaluate<boolean>(`${NO_RELOAD_MARK} === true`);

    beforeAll(async () => {
      await ensureBuilt();
      sshd = await startSshd();
      user = await createTestUser('cli-sync');
      home = await mkdtemp(join(tmpdir(), 'labdeck-e2e-sync-'));
      runtime = await mkdtemp(join(tmpdir(), 'labdeck-e2e-sync-xdg-'));
      await writeFile(
        join(home, 'known_hosts'),
        `[${sshd.host}]:${sshd.port} ${sshd.hostPublicKey}\n`,
      );
      env = { PATH: process.env.PATH, LABDECK_HOME: home, HOME: home, XDG_RUNTIME_DIR: runtime };
      server = await startBrowserMode(env);
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(server.url);
      await hostCard(page, 'This computer').waitFor();
      await page.evaluate(`${NO_RELOAD_MARK} = true`);
    });

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await sshd?.stop();
      await user?.dispose();
      if (home) await rm(home, { recursive: true, force: true });
      if (runtime) await rm(runtime, { recursive: true, force: true });
    });

    it('shows a host the CLI adds in a process of its own, without a reload', async () => {
      const added = await cliAlone(
        'host',
        'add',
        'gpu-lab',
        '--ssh',
        `${user.username}@${sshd.host}:${sshd.port}`,
        '--identity',
        user.privateKeyPath,
      );
      expect(added.code, added.stderr).toBe(0);
      await hostCard(page, 'gpu-lab').waitFor({ timeout: SHOWN_TIMEOUT_MS });
      expect(await notReloaded()).toBe(true);
    });

    it('shows a host added through the running LabDeck, and drops it when the CLI removes it', async () => {
      const added = await runLabdeck(
        ['host', 'add', 'lab-two', '--ssh', `ada@${sshd.host}:${sshd.port}`],
        { ...env, LABDECK_DEBUG: '1' },
      );
      expect(added.code, added.stderr).toBe(0);
      expect(added.stderr).toContain('via running LabDeck');
      const card = hostCard(page, 'lab-two');
      await card.waitFor({ timeout: SHOWN_TIMEOUT_MS });
      expect(await card.textContent()).toContain(`ada@${sshd.host}`);

      expect((await cliAlone('host', 'rm', 'lab-two')).code).toBe(0);
      await card.waitFor({ state: 'detached', timeout: SHOWN_TIMEOUT_MS });
      expect(await hostCard(page, 'gpu-lab').count()).toBe(1);
      expect(await notReloaded()).toBe(true);
    });

    it('after Connect in the window, `labdeck host ls` shows the connection the app holds', async () => {
      const card = hostCard(page, 'gpu-lab');
      await card.getByRole('button', { name: /^Connect\b/ }).click();
      await waitForPhase(card, 'connected', CONNECT_TIMEOUT_MS);

      const listed = await runLabdeck(['host', 'ls', '--json'], { ...env, LABDECK_DEBUG: '1' });
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stderr).toContain('via running LabDeck');
      const hosts = JSON.parse(listed.stdout) as { name: string; connection: string }[];
      expect(hosts.find((h) => h.name === 'gpu-lab')?.connection).toBe('connected');
      const table = await runLabdeck(['host', 'ls'], env);
      expect(table.stdout).toMatch(/^gpu-lab\s+ssh\s+\S+\s+connected\s/m);

      // A socket LabDeck may not use (here: a group-writable folder) is said, not passed over.
      await chmod(join(runtime, 'labdeck'), 0o770);
      try {
        const unsafe = await runLabdeck(['host', 'ls'], env);
        expect(unsafe.code).toBe(0);
        expect(unsafe.stderr).toContain('labdeck: note: a running LabDeck was not used (refused: ');
        expect(unsafe.stderr).toContain("so the connections shown are this command's own");
        expect(unsafe.stdout).toMatch(/^gpu-lab\s+ssh\s+\S+\s+not connected\s/m);
      } finally {
        await chmod(join(runtime, 'labdeck'), 0o700);
      }
    });

    it('follows an edit another LabDeck process makes: new name, new address, old connection closed', async () => {
      const other = createServices({
        home,
        mode: 'browser',
        secrets: new MemorySecretStore(),
        env: { PATH: '', DOCKER_HOST: 'unix:///nonexistent.sock' },
        userHome: home,
      });
      const { transport, close } = createInProcessTransport(other);
      try {
        const edited = await createClient(transport).request('hosts:update', {
          hostId: 'gpu-lab',
          host: {
            name: 'gpu-lab-b',
            user: user.username,
            hostname: 'localhost',
            port: sshd.port,
            identityFile: user.privateKeyPath,
          },
        });
        expect(edited.ok, JSON.stringify(edited)).toBe(true);
      } finally {
        close();
        await other.dispose();
      }
      const card = hostCard(page, 'gpu-lab-b');
      await card.waitFor({ timeout: SHOWN_TIMEOUT_MS });
      expect(await card.textContent()).toContain(`${user.username}@localhost`);
      await waitForPhase(card, 'idle', SHOWN_TIMEOUT_MS);
      expect(await hostCard(page, 'gpu-lab').count()).toBe(0);
      const listed = await runLabdeck(['host', 'ls', '--json'], env);
      const hosts = JSON.parse(listed.stdout) as { name: string; connection: string }[];
      expect(hosts.find((h) => h.name === 'gpu-lab-b')?.connection).toBe('idle');
      expect(await notReloaded()).toBe(true);
    });
  },
);
