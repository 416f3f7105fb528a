import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestUser,
  describeWithParts,
  ensureBuilt,
  launchChromium,
  startBrowserMode,
  startSshd,
  type BrowserMode,
  type Sshd,
  type TestUser,
} from '../harness';
import { hostCard, submitHostForm, waitForPhase } from './hosts-ui';

/** Injected into `labdeck serve`: the attempt's own handshake clock runs out after this. */
const HANDSHAKE_TIMEOUT_MS = 1_500;
/** How long the user leaves the password dialog open: twice the handshake timeout. */
const LEFT_OPEN_MS = 2 * HANDSHAKE_TIMEOUT_MS;
/** Longer than the first reconnect delays (1 s, then 2 s): a retry would have asked by then. */
const NO_RETRY_WATCH_MS = 4_000;
/** A first connect pushes the agent over SSH; a loaded 2-core CI runner needs its time. */
const CONNECT_TIMEOUT_MS = 90_000;

describeWithParts(
  ['root', 'sshd', 'ssh-keygen', 'chromium'],
  'a password dialog left open past the handshake timeout, in browser mode',
  () => {
    let sshd: Sshd;
    let user: TestUser;
    let home: string;
    let server: BrowserMode;
    let browser: Browser;
    let page: Page;
    let card: Locator;
    let dialog: Locator;

    beforeAll(async () => {
      await ensureBuilt();
      sshd = await startSshd(); // passwords through PAM, no keyboard-interactive
      user = await createTestUser('pwdialog');
      // HOME has no keys, so the password is what logs in; the host key is already known.
      home = await mkdtemp(join(tmpdir(), 'labdeck-e2e-prompts-'));
      await mkdir(join(home, '.ssh'));
      await writeFile(
        join(home, '.ssh/known_hosts'),
        `[${sshd.host}]:${sshd.port} ${sshd.hostPublicKey}\n`,
      );
      server = await startBrowserMode({
        PATH: process.env.PATH,
        LABDECK_HOME: home,
        HOME: home,
        LABDECK_SSH_HANDSHAKE_TIMEOUT_MS: String(HANDSHAKE_TIMEOUT_MS),
      });
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(server.url);
      await submitHostForm(page, {
        name: 'pw-host',
        user: user.username,
        hostname: sshd.host,
        port: String(sshd.port),
        identityFile: '',
      });
      card = hostCard(page, 'pw-host');
      await card.waitFor();
      dialog = page.getByTestId('prompt-dialog');
    });

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await sshd?.stop();
      await user?.dispose();
      if (home) await rm(home, { recursive: true, force: true });
    });

    /** Clicks Connect (or "Connect again") and waits for the password dialog. */
    async function connectUntilAsked(): Promise<void> {
      await card.getByTestId('host-connect').click();
      await dialog.locator('[data-prompt-kind="password"]').waitFor({ timeout: 20_000 });
    }

    it('cancels the dialog after the timeout: it closes, the card says "Not connected" and why, and nothing asks again', async () => {
      await connectUntilAsked();
      await sleep(LEFT_OPEN_MS);
      await dialog.getByTestId('prompt-cancel').click();
      await dialog.waitFor({ state: 'detached', timeout: 5_000 });
      await waitForPhase(card, 'idle', 10_000);
      expect(await card.getByTestId('connection-state').textContent()).toBe('Not connected');
      expect(await card.getByTestId('connection-detail').textContent()).toBe(
        `You cancelled the login to ${sshd.host} as ${user.username}.`,
      );
      // A choice of the user's, not a failure: no red box, no raw error code.
      expect(await card.getByTestId('connection-error').count()).toBe(0);
      expect(await card.textContent()).not.toContain('ssh-auth-cancelled');

      await sleep(NO_RETRY_WATCH_MS);
      expect(await dialog.count()).toBe(0);
      expect(await card.getByTestId('connection-state').getAttribute('data-phase')).toBe('idle');
      expect(server.child.exitCode).toBeNull(); // the server is still there
    });

    it('logs in with the right password typed after the timeout, and Disconnect then works', async () => {
      await connectUntilAsked();
      await sleep(LEFT_OPEN_MS);
      await dialog.getByTestId('prompt-secret').fill(user.password);
      await dialog.getByTestId('prompt-submit').click();
      await dialog.waitFor({ state: 'detached', timeout: 10_000 });
      await waitForPhase(card, 'connected', CONNECT_TIMEOUT_MS);

      await card.getByRole('button', { name: 'Disconnect pw-host', exact: true }).click();
      await waitForPhase(card, 'idle', 10_000);
      expect(await card.getByTestId('connection-state').textContent()).toBe('Not connected');
      expect(await dialog.count()).toBe(0);
    });
  },
);
