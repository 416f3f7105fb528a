import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
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
/** The command line of the host's telemetry loop: `nvidia-smi --query-gpu=… -lms 1000`. */
const TELEMETRY_LOOP = 'nvidia-smi.* -lms [0-9]+$';

/** A first connect pushes the agent over SSH; a loaded 2-core CI runner needs its time. */
const CONNECT_TIMEOUT_MS = 90_000;
/** Telemetry ticks once a second; a tick must have reached the charts by then. */
const CHARTS_TIMEOUT_MS = 20_000;
/** How long the host may take to stop its nvidia-smi once the last window went. */
const STOP_TIMEOUT_MS = 15_000;

describeWithParts(
  ['root', 'sshd', 'ssh-keygen', 'chromium'],
  "a host's GPU telemetry belongs to the windows that watch it",
  () => {
    let sshd: Sshd;
    let user: GpuTestUser;
    let home: string;
    let server: BrowserMode;
    let browser: Browser;

    /** The host's running `nvidia-smi … -lms` loops: what a left-behind watcher keeps alive. */
    const telemetryLoops = async (): Promise<number> => {
      const { stdout } = await run('pgrep', [
        '-u',
        user.username,
        '-f',
        '--',
        TELEMETRY_LOOP,
      ]).catch((error: { code?: number }) => {
        if (error.code === 1) return { stdout: '' }; // pgrep: nothing matched
        throw error;
      });
      return stdout.trim().split('\n').filter(Boolean).length;
    };

    /** Waits until the page's first GPU card has drawn live telemetry. */
    const chartsDrawn = async (page: Page): Promise<void> => {
      const chart = hostCard(page, 'lab-gpu')
        .getByTestId('gpu-card')
        .first()
        .getByTestId('gpu-chart-memory')
        .locator('svg');
      await expect
        .poll(async () => Number(await chart.getAttribute('data-segments')), {
          timeout: CHARTS_TIMEOUT_MS,
        })
        .toBeGreaterThan(0);
    };

    beforeAll(async () => {
      await ensureBuilt();
      sshd = await startSshd();
      user = await createGpuTestUser('e2etel');
      home = await mkdtemp(join(tmpdir(), 'labdeck-e2e-telemetry-'));
      server = await startBrowserMode({ PATH: process.env.PATH, LABDECK_HOME: home, HOME: home });
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await sshd?.stop();
      await user?.cleanUp();
      await user?.dispose();
      if (home) await rm(home, { recursive: true, force: true });
    });

    it(
      'connects lab-gpu and shows live charts, with one nvidia-smi loop on the host',
      { timeout: 180_000 },
      async () => {
        const page = await browser.newPage();
        await page.goto(server.url);
        await submitHostForm(page, {
          name: 'lab-gpu',
          user: user.username,
          hostname: sshd.host,
          port: String(sshd.port),
          identityFile: user.privateKeyPath,
        });
        const card = hostCard(page, 'lab-gpu');
        await card.waitFor();
        await card.getByRole('button', { name: 'Connect lab-gpu', exact: true }).click();
        const prompt = page.getByTestId('prompt-dialog');
        await prompt.waitFor({ timeout: CONNECT_TIMEOUT_MS });
        await prompt.getByRole('button', { name: 'Trust and connect' }).click();
        await waitForPhase(card, 'connected', CONNECT_TIMEOUT_MS).catch(async (error: unknown) => {
          throw new Error(`lab-gpu did not connect; its card says: ${await card.textContent()}`, {
            cause: error,
          });
        });
        await chartsDrawn(page);
        expect(await telemetryLoops()).toBe(1);
        await page.close();
        await expect.poll(telemetryLoops, { timeout: STOP_TIMEOUT_MS }).toBe(0);
      },
    );

    it('stops the host telemetry once a reloaded page is closed: the old page left nothing', async () => {
      const page = await browser.newPage();
      await page.goto(server.url);
      await chartsDrawn(page);
      await page.reload();
      await chartsDrawn(page);
      expect(await telemetryLoops()).toBe(1);
      await page.close();
      await expect.poll(telemetryLoops, { timeout: STOP_TIMEOUT_MS }).toBe(0);
    });

    it('keeps it for the tab still watching when another tab is closed', async () => {
      const first = await browser.newPage();
      await first.goto(server.url);
      await chartsDrawn(first);
      const second = await browser.newPage();
      await second.goto(server.url);
      await chartsDrawn(second);
      await second.close();
      // The first tab still draws new ticks from the same single loop.
      const line = (): Promise<string | null> =>
        hostCard(first, 'lab-gpu')
          .getByTestId('gpu-card')
          .first()
          .getByTestId('gpu-chart-memory')
          .locator('polyline')
          .first()
          .getAttribute('points');
      const before = await line();
      await expect.poll(line, { timeout: CHARTS_TIMEOUT_MS }).not.toBe(before);
      expect(await telemetryLoops()).toBe(1);
      await first.close();
      await expect.poll(telemetryLoops, { timeout: STOP_TIMEOUT_MS }).toBe(0);
    });
  },
);
