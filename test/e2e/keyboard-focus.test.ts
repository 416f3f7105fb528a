import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
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
import { activeElement, hostCard, hostFormField, waitForPhase } from './hosts-ui';

/** A first connect pushes the agent over SSH; a loaded 2-core CI runner needs its time. */
const CONNECT_TIMEOUT_MS = 90_000;
/** How long a focus move or a toast's placement may take on a loaded 2-core runner. */
const POLL = { timeout: 10_000 };
/** The window the issue was seen in: toasts covered the card's buttons at this size. */
const VIEWPORT = { width: 900, height: 700 };
/** Hosts listed before the new one, so its card is the last and the page scrolls to it. */
const OTHER_HOSTS = ['rack-1', 'rack-2', 'rack-3'];

/** A box on the page, as playwright measures it. */
interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describeWithParts(
  ['root', 'sshd', 'ssh-keygen', 'chromium'],
  'keyboard and focus in browser mode, in Chromium',
  () => {
    let sshd: Sshd;
    let user: TestUser;
    let home: string;
    let server: BrowserMode;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let card: Locator;
    const prompt = (): Locator => page.getByTestId('prompt-dialog');
    const focusedLabel = (): Promise<string | null> => activeElement(page, 'ariaLabel');

    beforeAll(async () => {
      await ensureBuilt();
      sshd = await startSshd();
      user = await createTestUser('kbfocus');
      // HOME has no keys and no known_hosts: the host key is asked about, then the password.
      home = await mkdtemp(join(tmpdir(), 'labdeck-e2e-keyboard-'));
      await mkdir(join(home, '.ssh'));
      const env = { PATH: process.env.PATH, LABDECK_HOME: home, HOME: home };
      for (const name of OTHER_HOSTS) {
        const added = await runLabdeck(['host', 'add', name, '--ssh', `ada@${name}.invalid`], env);
        expect(added.code, added.stderr).toBe(0);
      }
      server = await startBrowserMode(env);
      browser = await launchChromium();
      context = await browser.newContext({ viewport: VIEWPORT });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: server.origin,
      });
      page = await context.newPage();
      await page.goto(server.url);
      await hostCard(page, 'rack-3').waitFor();
      card = hostCard(page, 'gpu-lab');
    });

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await sshd?.stop();
      await user?.dispose();
      if (home) await rm(home, { recursive: true, force: true });
    });

    /** Pastes `text` into the focused field with Ctrl+V, through the real clipboard. */
    async function paste(text: string): Promise<void> {
      await page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(text)})`);
      await page.keyboard.press('Control+V');
    }

    it('gives "This computer" Open terminal and one Check, named for it, and no "Check again"', async () => {
      const local = hostCard(page, 'This computer');
      expect(await local.locator('.card-actions').getByRole('button').allTextContents()).toEqual([
        'Open terminal',
        'Check',
      ]);
      expect(await local.getByRole('button', { name: 'Check again' }).count()).toBe(0);
      expect(await local.getByRole('button', { name: 'Check This computer' }).count()).toBe(1);
    });

    it('shows the shortcuts on ?, in browser mode with N for a new host, and gives focus back', async () => {
      await page.keyboard.press('?');
      const dialog = page.getByTestId('shortcuts-dialog');
      await dialog.waitFor();
      const lines = await dialog.getByTestId('shortcut').allTextContents();
      expect(lines).toContain('NAdd a host (Ctrl+N is the browser’s new window)');
      expect(lines).toContain('Ctrl+KCommand palette: connect, check or edit a host, go to a page');
      expect(await activeElement(page, 'textContent')).toBe('Close');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(await activeElement(page, 'tagName')).toBe('BODY'); // where it was: nothing focused
    });

    it('opens the form on N; a paste it cannot read stays as pasted, with nothing else changed', async () => {
      await page.keyboard.press('n');
      const form = page.getByTestId('host-form');
      await form.waitFor();
      await page.keyboard.type('gpu-lab');
      await hostFormField(page, 'Hostname').focus();
      await paste(`${user.username}@${sshd.host}:4819l`);
      expect(await hostFormField(page, 'Hostname').inputValue()).toBe(
        `${user.username}@${sshd.host}:4819l`,
      );
      expect(await hostFormField(page, 'User').inputValue()).toBe('');
      expect(await hostFormField(page, 'Port').inputValue()).toBe('22');
      expect(await page.getByTestId('host-form-pasted').textContent()).toBe('');
    });

    it('fills User, Hostname and Port from a pasted ssh command', async () => {
      await hostFormField(page, 'Hostname').fill('');
      await paste(`ssh ${user.username}@${sshd.host} -p ${sshd.port}`);
      expect(await hostFormField(page, 'User').inputValue()).toBe(user.username);
      expect(await hostFormField(page, 'Hostname').inputValue()).toBe(sshd.host);
      expect(await hostFormField(page, 'Port').inputValue()).toBe(String(sshd.port));
      expect(await page.getByTestId('host-form-pasted').textContent()).toBe(
        `Filled from the paste: User ${user.username}, Hostname ${sshd.host}, Port ${sshd.port}.`,
      );

      await hostFormField(page, 'Hostname').fill('');
      await paste(`${user.username}@[::1]:2222`);
      expect(await hostFormField(page, 'Hostname').inputValue()).toBe('::1');
      expect(await hostFormField(page, 'Port').inputValue()).toBe('2222');
      await hostFormField(page, 'Hostname').fill('');
      await paste(`ssh -p ${sshd.port} -l ${user.username} ${sshd.host}`);
      expect(await hostFormField(page, 'Port').inputValue()).toBe(String(sshd.port));
      expect(await hostFormField(page, 'Hostname').inputValue()).toBe(sshd.host);
    });

    it('moves focus to the new card, which connects, and keeps the toast off its buttons', async () => {
      expect(await page.getByTestId('host-form-connect').isChecked()).toBe(true);
      // Where focus goes, in order: the host-key question may take it from the card at once.
      await page.evaluate(`window.focusTrail = [];
        document.addEventListener('focusin', (e) => window.focusTrail.push(
          e.target.dataset.hostId ?? e.target.dataset.testid ?? e.target.tagName));`);
      await page.keyboard.press('Enter');
      await page.getByTestId('host-form').waitFor({ state: 'detached' });
      await card.waitFor();
      const id = await card.getAttribute('data-host-id');
      await expect.poll(() => page.evaluate<string[]>('window.focusTrail'), POLL).toContain(id);
      const trail = await page.evaluate<string[]>('window.focusTrail');
      // After the card, only the question it asks (Cancel has the focus there).
      expect(trail.slice(trail.indexOf(id!) + 1).every((t) => t === 'prompt-cancel')).toBe(true);
      // Scrolled so the new card ends at the window's bottom edge: its buttons are right where
      // the stack of toasts usually sits, and the stack must move away from them.
      await page.evaluate(
        `document.querySelector('article[data-host-id="${id}"]').scrollIntoView({ block: 'end' })`,
      );
      const toasts = page.getByTestId('toasts');
      expect(await toasts.getByText('Added gpu-lab.').isVisible()).toBe(true);
      await expect.poll(() => toasts.getAttribute('data-placement'), POLL).not.toBe('bottom-right');
      const stack = (await toasts.boundingBox())!;
      const usual: Box = {
        x: VIEWPORT.width - 16 - stack.width,
        y: VIEWPORT.height - 16 - stack.height,
        width: stack.width,
        height: stack.height,
      };
      const buttons: { name: string; box: Box }[] = [];
      for (const button of await card.getByRole('button').all()) {
        buttons.push({
          name: (await button.textContent()) ?? '',
          box: (await button.boundingBox())!,
        });
      }
      expect(buttons.map((b) => b.name)).toContain('Check');
      expect(buttons.filter((b) => overlaps(usual, b.box)).length).toBeGreaterThan(0);
      for (const { name, box } of buttons) expect(overlaps(stack, box), name).toBe(false);

      // It connects at once: the first question is whether to trust the host's key.
      await prompt().locator('[data-prompt-kind="host-key-unknown"]').waitFor({
        timeout: CONNECT_TIMEOUT_MS,
      });
    });

    it('returns focus to the card after the host-key question is cancelled', async () => {
      await prompt().getByTestId('prompt-cancel').press('Enter');
      await prompt().waitFor({ state: 'detached' });
      await waitForPhase(card, 'idle', 10_000);
      expect(await activeElement(page, 'dataset.hostId')).toBe(
        await card.getAttribute('data-host-id'),
      );
    });

    it('names Connect for its host, and moves focus to Connect after a cancelled password', async () => {
      const connect = card.getByRole('button', { name: 'Connect gpu-lab', exact: true });
      await connect.focus();
      await page.keyboard.press('Enter');
      // Connect gave way to Disconnect: focus went with it, not to the page body — or, when the
      // host-key question opened first (a fast runner), into that question.
      await expect
        .poll(
          async () =>
            (await focusedLabel()) === 'Disconnect gpu-lab' ||
            (await page.evaluate<boolean>(
              `Boolean(document.activeElement?.closest('dialog, [role="dialog"], [role="alertdialog"]'))`,
            )),
          POLL,
        )
        .toBe(true);
      await prompt().getByTestId('prompt-trust').click({ timeout: CONNECT_TIMEOUT_MS });
      const password = prompt().locator('[data-prompt-kind="password"]');
      await password.waitFor({ timeout: CONNECT_TIMEOUT_MS });
      await page.keyboard.press('Escape');
      await prompt().waitFor({ state: 'detached' });
      await waitForPhase(card, 'idle', 10_000);
      await expect.poll(focusedLabel, POLL).toBe('Connect gpu-lab');
    });

    it('says Remember keeps the password while this server runs, and it does', async () => {
      await page.keyboard.press('Enter'); // on "Connect gpu-lab"
      await prompt().locator('[data-prompt-kind="password"]').waitFor({
        timeout: CONNECT_TIMEOUT_MS,
      });
      const remember = prompt().getByTestId('prompt-remember');
      expect(await prompt().getByText('Remember (kept while this server runs)').count()).toBe(1);
      expect(await prompt().textContent()).not.toContain('encrypted with your OS keychain');
      expect(await remember.isEnabled()).toBe(true);
      await remember.check();
      await prompt().getByTestId('prompt-secret').fill(user.password);
      await page.keyboard.press('Enter');
      await waitForPhase(card, 'connected', CONNECT_TIMEOUT_MS);

      // Disconnect from the keyboard: focus stays on the card, on its Connect.
      await card.getByRole('button', { name: 'Disconnect gpu-lab', exact: true }).focus();
      await page.keyboard.press('Enter');
      await waitForPhase(card, 'idle', 10_000);
      await expect.poll(focusedLabel, POLL).toBe('Connect gpu-lab');

      // The server still runs, so the password is not asked for again.
      await page.keyboard.press('Enter');
      await waitForPhase(card, 'connected', CONNECT_TIMEOUT_MS);
      expect(await prompt().count()).toBe(0);
    });

    it('runs a host action from the command palette by keyboard alone', async () => {
      const before = await focusedLabel();
      await page.keyboard.press('Control+K');
      const palette = page.getByTestId('command-palette');
      await palette.waitFor();
      expect(await activeElement(page, "getAttribute('data-testid')")).toBe('palette-input');
      // Typing is text here: n and ? open nothing.
      await page.keyboard.type('n?');
      expect(await page.getByTestId('palette-input').inputValue()).toBe('n?');
      expect(await page.getByTestId('host-form').count()).toBe(0);
      expect(await page.getByTestId('shortcuts-dialog').count()).toBe(0);
      await page.getByTestId('palette-input').fill('');
      await page.keyboard.type('disc gpu');
      const options = palette.getByTestId('palette-option');
      expect(await options.allTextContents()).toEqual([
        `Disconnect gpu-lab${user.username}@${sshd.host}:${sshd.port}`,
      ]);
      expect(await options.first().getAttribute('aria-selected')).toBe('true');
      // Tab stays in the palette.
      await page.keyboard.press('Tab');
      expect(
        await page.evaluate(
          `document.querySelector('[data-testid="command-palette"]').contains(document.activeElement)`,
        ),
      ).toBe(true);
      await page.getByTestId('palette-input').focus();
      await page.keyboard.press('Enter');
      await palette.waitFor({ state: 'detached' });
      await waitForPhase(card, 'idle', 10_000);
      await expect.poll(focusedLabel, POLL).toBe('Connect gpu-lab');
      expect(before).toBe('Disconnect gpu-lab');
    });

    it("opens a host's Doctor from the palette with the arrows, and Escape gives focus back", async () => {
      await page.keyboard.press('Control+K');
      const palette = page.getByTestId('command-palette');
      await palette.waitFor();
      await page.keyboard.type('check');
      const options = palette.getByTestId('palette-option');
      const labels = await options.locator('.palette-label').allTextContents();
      expect(labels).toEqual([
        'Check This computer',
        ...OTHER_HOSTS.map((name) => `Check ${name}`),
        'Check gpu-lab',
      ]);
      await page.keyboard.press('ArrowUp'); // wraps to the last one
      expect(await options.last().getAttribute('aria-selected')).toBe('true');
      await page.keyboard.press('Enter');
      const doctor = page.getByTestId('doctor-dialog');
      await doctor.waitFor();
      expect(await doctor.getByRole('heading').first().textContent()).toBe('Check gpu-lab');
      await page.keyboard.press('Escape');
      await doctor.waitFor({ state: 'detached' });
      // Back on the card's Connect — or on Disconnect, should the check have left it connected.
      const primary = card.locator('[data-focus-primary]').first();
      expect(await focusedLabel()).toBe(await primary.getAttribute('aria-label'));
      expect(await focusedLabel()).toMatch(/^(Connect|Disconnect) gpu-lab$/);

      const before = await focusedLabel();
      await page.keyboard.press('Control+K');
      await palette.waitFor();
      await page.keyboard.press('Escape');
      await palette.waitFor({ state: 'detached' });
      expect(await focusedLabel()).toBe(before);
    });

    it('goes to a page from the palette', async () => {
      await page.keyboard.press('Control+K');
      await page.keyboard.type('go folders');
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.getByRole('heading', { level: 1 }).textContent())
        .toBe('Folders');
      await page.keyboard.press('Control+1');
      await card.waitFor();
    });
  },
);
