import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createGpuTestUser,
  describeWithParts,
  ensureBuilt,
  launchChromium,
  startBrowserMode,
  startSshd,
  type BrowserMode,
  type GpuTestUser,
  type Sshd,
} from '../harness';
import { hostCard, submitHostForm, waitForPhase } from './hosts-ui';

const run = promisify(execFile);
/** A first connect pushes the agent over SSH; a loaded 2-core CI runner needs its time. */
const CONNECT_TIMEOUT_MS = 90_000;
/** The freeze the issue describes: long enough to stall, short of ssh2 giving up (10 s). */
const FREEZE_MS = 8_000;
/** "Stalled" must show within this much of the freeze (5 s of silence, plus a check's slack). */
const STALL_SHOWN_WITHIN_MS = 7_000;
/** Longer than the first reconnect delays (1 s, then 2 s): a retry would have asked by then. */
const NO_RETRY_WATCH_MS = 4_000;
/** A user name that exists nowhere: the typo the issue describes. */
const WRONG_USER = 'uxuser';

describeWithParts(
  ['root', 'sshd', 'ssh-keygen', 'chromium'],
  'what the window says when a login is refused, and while a link is frozen',
  () => {
    let sshd: Sshd;
    let user: GpuTestUser;
    let home: string;
    let server: BrowserMode;
    let browser: Browser;
    let page: Page;

    beforeAll(async () => {
      await ensureBuilt();
      sshd = await startSshd();
      user = await createGpuTestUser('feedback');
      home = await mkdtemp(join(tmpdir(), 'labdeck-e2e-feedback-'));
      server = await startBrowserMode({ PATH: process.env.PATH, LABDECK_HOME: home, HOME: home });
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(server.url);
    });

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await sshd?.stop();
      await user?.cleanUp();
      await user?.dispose();
      if (home) await rm(home, { recursive: true, force: true });
    });

    /** Answers the open password dialog with `password`, as a user types it. */
    async function typePassword(password: string): Promise<Locator> {
      const dialog = page.getByTestId('prompt-dialog');
      await dialog.locator('[data-prompt-kind="password"]').waitFor({ timeout: 20_000 });
      await dialog.getByTestId('prompt-secret').fill(password);
      await dialog.getByTestId('prompt-submit').click();
      return dialog;
    }

    it('a wrong user name: "Wrong password" on the second ask, then why, with Retry and Edit, and no retrying', async () => {
      await submitHostForm(page, {
        name: 'typo-user',
        user: WRONG_USER,
        hostname: sshd.host,
        port: String(sshd.port),
        identityFile: user.privateKeyPath,
      });
      const card = hostCard(page, 'typo-user');
      await card.waitFor();
      await card.getByTestId('host-connect').click();
      const trust = page.getByTestId('prompt-dialog');
      await trust.getByRole('button', { name: 'Trust and connect' }).click({ timeout: 20_000 });

      const dialog = await typePassword('not-it');
      const retry = dialog.getByTestId('prompt-retry');
      await retry.waitFor({ timeout: 20_000 });
      expect(await retry.textContent()).toBe(
        `Wrong password — try again. If ${WRONG_USER} is not your user name on ${sshd.host}, cancel and edit the host.`,
      );
      await typePassword('still-not-it');
      await typePassword('nope');

      await waitForPhase(card, 'failed', 30_000);
      const failure = card.getByTestId('connection-error');
      expect(await failure.locator('.alert-message').textContent()).toBe(
        `${sshd.host} refused the login as ${WRONG_USER}: it refused the key ${user.privateKeyPath} and a password (3 times). The server offers keys and passwords.`,
      );
      const hint = await card.getByTestId('connection-hint').textContent();
      expect(hint).toContain(`If ${WRONG_USER} is not your user name on ${sshd.host}`);
      expect(hint).toContain(`ssh -v -p ${sshd.port} ${WRONG_USER}@${sshd.host}`);
      expect(await card.getByTestId('host-connect').textContent()).toBe('Retry');
      expect(await card.getByTestId('host-edit').isVisible()).toBe(true);

      await sleep(NO_RETRY_WATCH_MS);
      expect(await card.getByTestId('connection-state').getAttribute('data-phase')).toBe('failed');
      expect(await page.getByTestId('prompt-dialog').count()).toBe(0);
    });

    it("the Doctor's login step gives the fix, and passed steps say what they found", async () => {
      const card = hostCard(page, 'typo-user');
      await card.getByTestId('host-check').click();
      const doctor = page.getByTestId('doctor-dialog');
      await typePassword('not-it');
      await typePassword('not-it');
      await typePassword('not-it');
      const auth = doctor.locator('[data-testid="doctor-step"][data-step="authentication"]');
      await auth.waitFor({ timeout: 30_000 });
      expect(await auth.getAttribute('data-status')).toBe('fail');
      const commands = await auth.locator('.doctor-command-text').allTextContents();
      expect(commands).toEqual([`ssh -v -p ${sshd.port} ${WRONG_USER}@${sshd.host}`]);
      const hostKey = doctor.locator('[data-testid="doctor-step"][data-step="host-key"]');
      expect(await hostKey.locator('.doctor-step-detail').textContent()).toBe(
        'The server’s key matches the one you trusted.',
      );
      await doctor.getByRole('button', { name: 'Close' }).click();
    });

    it('shows "Stalled" while the server is frozen for 8 s, then "Connected" again', async () => {
      await submitHostForm(page, {
        name: 'frozen',
        user: user.username,
        hostname: sshd.host,
        port: String(sshd.port),
        identityFile: user.privateKeyPath,
      });
      const card = hostCard(page, 'frozen');
      await card.waitFor();
      await card.getByTestId('host-connect').click();
      await waitForPhase(card, 'connected', CONNECT_TIMEOUT_MS);

      // Freeze the server side of the session, as a dead Wi-Fi or a sleeping server would: the
      // TCP connection stays open, but nothing answers the keepalives.
      const { stdout } = await run('pgrep', ['-u', user.username, '-f', `^sshd: ${user.username}`]);
      const pids = stdout.trim().split('\n').filter(Boolean);
      expect(pids.length).toBeGreaterThan(0);
      const frozenAt = Date.now();
      await run('kill', ['-STOP', ...pids]);
      try {
        await waitForPhase(card, 'stalled', STALL_SHOWN_WITHIN_MS);
        expect(await card.getByTestId('connection-state').textContent()).toBe('Stalled');
        expect(await card.getByTestId('connection-detail').textContent()).toMatch(
          /^No answer to keepalives since /,
        );
        expect(Date.now() - frozenAt).toBeLessThan(FREEZE_MS);
        await sleep(FREEZE_MS - (Date.now() - frozenAt));
      } finally {
        await run('kill', ['-CONT', ...pids]);
      }
      // The link heals: the same connection, not a reconnect.
      await waitForPhase(card, 'connected', 5_000);
      expect(await card.getByTestId('connection-state').textContent()).toBe('Connected');
    });
  },
);
