import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createGpuTestUser,
  describeWithParts,
  ensureBuilt,
  launchChromium,
  REPO_ROOT,
  startBrowserMode,
  startSshd,
  type BrowserMode,
  type GpuTestUser,
  type Sshd,
} from '../harness';
import { activeElement, hostCard, hostFormField, submitHostForm, waitForPhase } from './hosts-ui';

/** The screenshot the README shows; this is the only test that writes it. */
const README_SCREENSHOT = resolve(REPO_ROOT, 'docs/screenshots/hosts.png');
/** A first connect pushes the agent over SSH; a loaded 2-core CI runner needs its time. */
const CONNECT_TIMEOUT_MS = 90_000;
/** Telemetry ticks once a second; a few ticks must have reached the charts by then. */
const CHARTS_TIMEOUT_MS = 20_000;
/** The steps the Doctor must pass for a reachable GPU host without Docker. */
const PASSING_STEPS = 'tcp host-key authentication probe node-runtime agent nvidia-smi'.split(' ');

describeWithParts(
  ['root', 'sshd', 'ssh-keygen', 'chromium'],
  'an SSH GPU host in browser mode, from adding it to its Doctor check',
  () => {
    let sshd: Sshd;
    let user: GpuTestUser;
    let home: string;
    let server: BrowserMode;
    let browser: Browser;
    let page: Page;
    let card: Locator;

    beforeAll(async () => {
      await ensureBuilt();
      sshd = await startSshd();
      user = await createGpuTestUser('e2e');
      // HOME too: the services read ~/.ssh (known_hosts, default keys) of HOME, never root's.
      home = await mkdtemp(join(tmpdir(), 'labdeck-e2e-ssh-'));
      server = await startBrowserMode({ PATH: process.env.PATH, LABDECK_HOME: home, HOME: home });
      browser = await launchChromium();
      page = await browser.newPage({
        viewport: { width: 1280, height: 800 },
        colorScheme: 'light',
      });
      await page.goto(server.url);
      card = hostCard(page, 'lab-gpu');
    });

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await sshd?.stop();
      await user?.cleanUp();
      await user?.dispose();
      if (home) await rm(home, { recursive: true, force: true });
    });

    const field = (label: string): Locator => hostFormField(page, label);

    it('adds lab-gpu through the form, refusing an invalid port next to Port', async () => {
      await submitHostForm(page, {
        name: 'lab-gpu',
        user: user.username,
        hostname: sshd.host,
        port: '70000',
        identityFile: user.privateKeyPath,
      });

      const port = field('Port');
      await expect.poll(() => port.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await port.getAttribute('aria-describedby')) ?? '';
      const errorId = describedBy.split(' ').find((id) => id.endsWith('-errors')) ?? '';
      expect(await page.locator(`[id="${errorId}"]`).textContent()).toBe('Port must be 1–65535.');
      expect(await page.getByTestId('host-form').isVisible()).toBe(true);
      expect(await card.count()).toBe(0);

      await port.fill(String(sshd.port));
      await page.getByTestId('host-form-submit').click();
      await card.waitFor();
      expect(await page.getByTestId('host-form').count()).toBe(0);
      expect(await card.getByTestId('connection-state').textContent()).toBe('Not connected');
      const text = await card.textContent();
      expect(text).toContain(`${user.username}@${sshd.host}:${sshd.port}`);
      // Docker is unknown until connected: no "Checked …" time that would mean nothing.
      expect(text).not.toContain('Checked');
    });

    it('edits lab-gpu with every stored setting filled in, identity file included', async () => {
      await card.getByRole('button', { name: 'Edit lab-gpu', exact: true }).click();
      expect(await field('Identity file').inputValue()).toBe(user.privateKeyPath);
      expect(await field('Port').inputValue()).toBe(String(sshd.port));
      await page.getByTestId('host-form').getByRole('button', { name: 'Cancel' }).click();
      expect(await page.getByTestId('host-form').count()).toBe(0);
    });

    it('asks to trust the host key, Cancel focused, in every window, then connects', async () => {
      await card.getByRole('button', { name: 'Connect lab-gpu', exact: true }).click();
      const prompt = page.getByTestId('prompt-dialog');
      await prompt.waitFor({ timeout: CONNECT_TIMEOUT_MS });
      expect(await prompt.getByTestId('host-key-fingerprint').textContent()).toBe(
        sshd.hostKeyFingerprintSha256,
      );
      expect(await activeElement(page, "getAttribute('data-testid')")).toBe('prompt-cancel');
      expect(await prompt.getByTestId('prompt-cancel').textContent()).toBe('Cancel');

      // A window opened after the question was asked shows it too (prompts:list) …
      const late = await browser.newPage();
      await late.goto(server.url);
      const latePrompt = late.getByTestId('prompt-dialog');
      await latePrompt.waitFor();
      expect(await latePrompt.getByTestId('host-key-fingerprint').textContent()).toBe(
        sshd.hostKeyFingerprintSha256,
      );

      await prompt.getByRole('button', { name: 'Trust and connect' }).click();
      await waitForPhase(card, 'connected', CONNECT_TIMEOUT_MS);
      expect(await card.getByTestId('connection-state').textContent()).toBe('Connected');
      expect(await prompt.count()).toBe(0);
      // … and closes it once it was answered here.
      await latePrompt.waitFor({ state: 'detached' });
      await late.close();
    });

    it('shows each GPU with its MIG devices, who uses it, and live charts', async () => {
      const gpus = card.getByTestId('gpu-card');
      await expect
        .poll(() => gpus.count(), { timeout: CHARTS_TIMEOUT_MS })
        .toBe(user.gpuNames.length);
      const titles = await gpus.locator('h3').allTextContents();
      expect(titles).toEqual(user.gpuNames.map((name, i) => `GPU ${i} ${name}`));
      const first = gpus.first();
      expect(await first.getByTestId('gpu-mig').textContent()).toBe('On');
      expect(await first.getByTestId('gpu-mig-devices').textContent()).toBe(
        'MIG devices 0: 3g.40gb · 1: 2g.20gb · 2: 1g.10gb · 3: 1g.10gb',
      );
      const users = first.getByTestId('gpu-users');
      expect(await users.textContent()).toMatch(/^Used by/);
      const lines = await users.locator('li').allTextContents();
      expect(lines.map((line) => line.split(' · ').at(-1))).toEqual([
        '2.2 GiB',
        '1.2 GiB',
        '7.3 GiB',
      ]);

      const memoryChart = first.getByTestId('gpu-chart-memory').locator('svg');
      await expect
        .poll(async () => Number(await memoryChart.getAttribute('data-segments')), {
          timeout: CHARTS_TIMEOUT_MS,
        })
        .toBeGreaterThan(0);
      expect(await first.getByTestId('gpus-no-nvidia').count()).toBe(0);
    });

    it('saves the README screenshot of the connected host and its GPUs', async () => {
      // Never a picture of a broken state, should an earlier step have failed.
      expect(await card.getByTestId('connection-state').getAttribute('data-phase')).toBe(
        'connected',
      );
      expect(await card.getByTestId('gpu-card').count()).toBe(user.gpuNames.length);
      // Let "Added lab-gpu." fade; an error toast never fades, and would fail here.
      await expect.poll(() => page.getByTestId('toast').count(), { timeout: 15_000 }).toBe(0);
      // The page scrolls inside its own pane: a taller window shows both cards whole.
      await page.setViewportSize({ width: 1280, height: 1180 });
      await page.screenshot({ path: README_SCREENSHOT });
      await page.setViewportSize({ width: 1280, height: 800 });
    });

    it('checks lab-gpu step by step in the Doctor panel, keyboard first', async () => {
      await card.getByRole('button', { name: 'Check lab-gpu', exact: true }).click();
      const dialog = page.getByTestId('doctor-dialog');
      await dialog.waitFor();
      const steps = dialog.getByTestId('doctor-step');
      await expect.poll(() => steps.count(), { timeout: CONNECT_TIMEOUT_MS }).toBe(14);
      expect(await activeElement(page, 'textContent')).toBe('Close');

      const status = (step: string): Promise<string | null> =>
        dialog.locator(`[data-step="${step}"]`).getAttribute('data-status');
      for (const step of PASSING_STEPS) expect([step, await status(step)]).toEqual([step, 'pass']);
      expect(await status('docker')).toBe('fail');
      const docker = dialog.locator('[data-step="docker"]');
      expect(await docker.getByTestId('doctor-step-status').textContent()).toBe('Failed');
      const command = await docker.locator('.doctor-command-text').first().textContent();
      expect(command).toMatch(/^sudo \S.*docker/);
      expect(
        await docker.getByRole('button', { name: 'Copy the fix for Docker access' }).count(),
      ).toBe(1);

      // Never set up: a warning that names the one command that sets the host up.
      expect(await status('setup-helper')).toBe('warn');
      const setup = dialog.locator('[data-step="setup-helper"]');
      expect(await setup.locator('.doctor-command-text').first().textContent()).toContain(
        'labdeck host setup lab-gpu',
      );

      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    });
  },
);
