import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeWithParts,
  ensureBuilt,
  launchChromium,
  startBrowserMode,
  type BrowserMode,
} from '../harness';

/** A loopback HTTP server of the test's own, as another user's Jupyter would be; it records what it is sent. */
async function bystander(): Promise<{
  server: Server;
  origin: string;
  seen: IncomingHttpHeaders[];
}> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    seen.push(request.headers);
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>Someone else</title><p>another server</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describeWithParts(['chromium'], 'browser mode keeps its token to itself', () => {
  let browser: Browser;
  let labdeck: BrowserMode;
  let home: string;
  let token: string;

  beforeAll(async () => {
    await ensureBuilt();
    home = await mkdtemp(join(tmpdir(), 'labdeck-e2e-token-'));
    labdeck = await startBrowserMode({ PATH: process.env.PATH, LABDECK_HOME: home, HOME: home });
    token = /token=([\w-]+)/.exec(labdeck.url)?.[1] ?? '';
    expect(token).not.toBe('');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await labdeck?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  async function expectWorkingWindow(page: Page): Promise<void> {
    await page.getByRole('article', { name: 'This computer' }).waitFor();
    await expect.poll(() => page.getByTestId('run-mode').textContent()).toBe('Browser mode');
  }

  it('sends no token to another port of 127.0.0.1, off the address bar, and survives a reload', async () => {
    const other = await bystander();
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(labdeck.url);
      await expectWorkingWindow(page);
      expect(page.url()).not.toContain(token);

      await page.reload();
      await expectWorkingWindow(page);
      expect(page.url()).not.toContain(token);

      // The same browser, later: another user's server on another port of the same address.
      const visit = await context.newPage();
      await visit.goto(`${other.origin}/lab`);
      expect(await visit.textContent('p')).toBe('another server');
      await page.goto(`${other.origin}/from-labdeck`);
      expect(other.seen.length).toBeGreaterThanOrEqual(2);
      for (const headers of other.seen) {
        expect(headers.cookie).toBeUndefined();
        expect(headers.authorization).toBeUndefined();
        expect(headers.referer ?? '').not.toContain(labdeck.origin);
        expect(JSON.stringify(headers)).not.toContain(token);
      }
      expect(await context.cookies()).toEqual([]);
      await context.close();
    } finally {
      await new Promise((resolve) => other.server.close(resolve));
    }
  });

  it('tells a visitor without the token to open the printed URL', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(labdeck.origin);
    const screen = page.getByTestId('missing-token');
    await screen.waitFor();
    expect(await screen.getByRole('heading', { level: 1 }).textContent()).toBe(
      'LabDeck needs its access token',
    );
    expect(await screen.textContent()).toContain('Open the URL that npm run serve printed');
    expect(await screen.textContent()).toContain(`${labdeck.origin}/#token=…`);
    expect(await page.getByRole('article', { name: 'This computer' }).count()).toBe(0);
    await context.close();
  });

  it('after a refused token, says so and then shows the open-the-printed-URL screen', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(labdeck.url);
    await expectWorkingWindow(page);
    // What a tab left open across a restart of `npm run serve` holds: an old run's token.
    await page.evaluate(() => {
      for (const key of Object.keys(sessionStorage)) sessionStorage.setItem(key, 'x'.repeat(43));
    });
    await page.reload();
    const lost = page.getByTestId('toast').filter({ hasText: /lost the connection/i });
    await lost.waitFor();
    await page.reload();
    await page.getByTestId('missing-token').waitFor();
    await context.close();
  });
});
