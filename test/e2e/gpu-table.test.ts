import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createGpuTestUser,
  describeWithParts,
  ensureBuilt,
  launchChromium,
  queryCsvFromTextReport,
  runLabdeck,
  startBrowserMode,
  startSshd,
  type BrowserMode,
  type GpuTestUser,
  type Sshd,
} from '../harness';
import { readNvidiaSmiCapture } from '../harness/fake-nvidia-smi';
import { hostCard, waitForPhase } from './hosts-ui';

/** A first connect pushes the agent over SSH; a loaded 2-core runner needs its time. */
const CONNECT_TIMEOUT_MS = 90_000;
/** Telemetry ticks once a second; rows must be filled well within this. */
const ROWS_TIMEOUT_MS = 30_000;
/** The screen the issue names: a 13" laptop. */
const VIEWPORT = { width: 1280, height: 800 };
const HOSTS = ['lab-a', 'lab-b'] as const;

describeWithParts(
  ['root', 'sshd', 'ssh-keygen', 'chromium'],
  'the lab-wide GPU table and the last readings of a dropped host',
  () => {
    let sshd: Sshd;
    const users: GpuTestUser[] = [];
    let home: string;
    let server: BrowserMode;
    let browser: Browser;
    let page: Page;

    const rows = (): ReturnType<Page['getByTestId']> =>
      page.getByTestId('gpu-table').getByTestId('gpu-row');
    const column = (index: number): Promise<string[]> =>
      rows().evaluateAll(
        (trs, i) =>
          trs.map(
            (tr) =>
              (tr as unknown as { cells: { textContent: string | null }[] }).cells[i]
                ?.textContent ?? '',
          ),
        index,
      );

    beforeAll(async () => {
      await ensureBuilt();
      sshd = await startSshd();
      const gpus = queryCsvFromTextReport(await readNvidiaSmiCapture('q-text-8xh100.txt'));
      for (const name of ['tbla', 'tblb'])
        users.push(await createGpuTestUser(name, { gpus, apps: '' }));
      home = await mkdtemp(join(tmpdir(), 'labdeck-e2e-table-'));
      await writeFile(
        join(home, 'known_hosts'),
        `[${sshd.host}]:${sshd.port} ${sshd.hostPublicKey}\n`,
      );
      const env = { PATH: process.env.PATH, LABDECK_HOME: home, HOME: home, LABDECK_NO_APP: '1' };
      for (const [i, name] of HOSTS.entries()) {
        const user = users[i]!;
        const ssh = `${user.username}@${sshd.host}:${sshd.port}`;
        const added = await runLabdeck(
          ['host', 'add', name, '--ssh', ssh, '--identity', user.privateKeyPath],
          env,
        );
        expect(added.code, added.stderr).toBe(0);
      }
      server = await startBrowserMode({ PATH: process.env.PATH, LABDECK_HOME: home, HOME: home });
      browser = await launchChromium();
      page = await browser.newPage({ viewport: VIEWPORT });
      await page.goto(server.url);
      for (const name of HOSTS) {
        const card = hostCard(page, name);
        await card.getByRole('button', { name: new RegExp(`^Connect( ${name})?$`) }).click();
        await waitForPhase(card, 'connected', CONNECT_TIMEOUT_MS).catch(async (error: unknown) => {
          throw new Error(`${name} did not connect; its card says: ${await card.textContent()}`, {
            cause: error,
          });
        });
      }
    }, 300_000);

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await sshd?.stop();
      for (const user of users) {
        await user.cleanUp();
        await user.dispose();
      }
      if (home) await rm(home, { recursive: true, force: true });
    });

    it('shows all 16 GPUs of both hosts on top of the page, every row inside 1280×800', async () => {
      await expect.poll(() => rows().count(), { timeout: ROWS_TIMEOUT_MS }).toBe(16);
      await scrollTo(page, 0);
      const boxes = await rows().evaluateAll((trs) =>
        trs
          .map((tr) => tr.getBoundingClientRect())
          .map((r) => ({ top: r.top, bottom: r.bottom, right: r.right })),
      );
      for (const box of boxes) {
        expect(box.top).toBeGreaterThanOrEqual(0);
        expect(box.bottom).toBeLessThanOrEqual(VIEWPORT.height);
        expect(box.right).toBeLessThanOrEqual(VIEWPORT.width);
      }
      const first = rows().first();
      await expect.poll(() => first.textContent()).toMatch(/lab-a\s*#0/);
      expect(await first.textContent()).toContain('NVIDIA H100 80GB HBM3');
      expect(await first.textContent()).toContain('0.0 / 79.6 GiB');
      expect(await column(5)).toEqual(Array(16).fill('free'));
      expect(await column(6)).toEqual(Array(16).fill('1.0'));
      expect(await page.getByTestId('gpu-table-summary').textContent()).toBe('16 of 16 free');
      // The per-host cards stay below for the detail.
      expect(await hostCard(page, 'lab-a').getByTestId('gpu-card').count()).toBe(8);
    });

    it('sorts by a column on click and by keyboard, saying so in aria-sort', async () => {
      const header = page.getByRole('columnheader', { name: /Temp/ });
      await header.getByRole('button').click();
      expect(await header.getAttribute('aria-sort')).toBe('descending');
      const hottest = (await column(4)).map((t) => Number.parseInt(t, 10));
      expect(hottest).toEqual([...hottest].sort((a, b) => b - a));
      expect(hottest[0]).toBe(32);
      await header.getByRole('button').focus();
      await page.keyboard.press('Enter');
      expect(await header.getAttribute('aria-sort')).toBe('ascending');
      expect(Number.parseInt((await column(4))[0] ?? '', 10)).toBe(29);
      await page.getByRole('columnheader', { name: /Host/ }).getByRole('button').click();
      expect((await column(0))[0]).toMatch(/lab-a\s*#0/);
    });

    it('draws each chart with a scale and a time axis', async () => {
      const chart = hostCard(page, 'lab-a').getByTestId('gpu-card').first();
      expect(
        await chart.getByTestId('gpu-chart-utilization').getByTestId('sparkline-max').textContent(),
      ).toBe('100 %');
      expect(
        await chart.getByTestId('gpu-chart-memory').getByTestId('sparkline-max').textContent(),
      ).toBe('79.6 GiB');
      expect(
        await chart.getByTestId('gpu-chart-memory').getByTestId('sparkline-end').textContent(),
      ).toBe('now');
      expect(
        await chart.getByTestId('gpu-chart-memory').getByTestId('sparkline-span').textContent(),
      ).toMatch(/^\d+ (s|min) ago$/);
    });

    it('keeps the last readings greyed with their time when the connection really drops', async () => {
      const card = hostCard(page, 'lab-b');
      // Both hosts' charts are live before the drop: the last readings kept are real ones.
      await expect
        .poll(
          () =>
            card
              .getByTestId('gpu-chart-memory')
              .first()
              .getByTestId('sparkline-end')
              .textContent({ timeout: 1_000 })
              .catch(() => null),
          { timeout: ROWS_TIMEOUT_MS },
        )
        .toBe('now');
      expect(await card.getByTestId('docker-state').getAttribute('data-last-known')).toBe('false');
      // The server goes away with every session it forked: a real drop, not a Disconnect.
      await sshd.stop();
      await expect
        .poll(() => card.locator('[data-testid="connection-state"]').getAttribute('data-phase'), {
          timeout: ROWS_TIMEOUT_MS,
        })
        .not.toBe('connected');
      const seen = card.getByTestId('gpu-last-seen');
      await seen.waitFor({ timeout: ROWS_TIMEOUT_MS });
      expect(await seen.textContent()).toMatch(/last seen \d{1,2}:\d{2}/);
      expect(await card.getByTestId('gpu-section').getAttribute('data-stale')).toBe('true');
      expect(await card.getByTestId('gpu-card').count()).toBe(8);
      expect(await card.getByTestId('gpu-memory').first().textContent()).toBe(
        '0.0 GiB of 79.6 GiB',
      );
      expect(
        await card
          .getByTestId('gpu-chart-memory')
          .first()
          .getByTestId('sparkline-end')
          .textContent(),
      ).toMatch(/^\d{1,2}:\d{2}/);
      const docker = card.getByTestId('docker-state');
      expect(await docker.getAttribute('data-last-known')).toBe('true');
      expect(await docker.textContent()).toMatch(/\(last known\)$/);
      // The table keeps the host's rows too, greyed and dated, and counts them no longer free.
      const stale = page.locator('[data-testid="gpu-row"].gpu-row-stale');
      expect(await stale.count()).toBe(16);
      expect(await stale.first().textContent()).toMatch(/last seen \d{1,2}:\d{2}/);
      expect(await page.getByTestId('gpu-table-summary').textContent()).toBe('0 of 16 free');
    });
  },
);

/** Scrolls every scrolling container of the page to its top, so boxes are measured from there. */
async function scrollTo(page: Page, top: number): Promise<void> {
  await page.evaluate(
    `for (const el of [document.scrollingElement, ...document.querySelectorAll('*')]) if (el && el.scrollTop) el.scrollTop = ${top};`,
  );
}
