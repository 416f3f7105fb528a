import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeWithParts,
  ensureBuilt,
  launchChromium,
  sharedDockerd,
  startBrowserMode,
  type BrowserMode,
} from '../harness';

describeWithParts(['root', 'dockerd', 'chromium'], 'browser mode in Chromium', () => {
  let browser: Browser;
  let server: BrowserMode;
  let home: string;
  let dockerVersion: string;

  beforeAll(async () => {
    await ensureBuilt();
    const engine = await sharedDockerd();
    dockerVersion = (await engine.docker.version()).Version;
    home = await mkdtemp(join(tmpdir(), 'labdeck-e2e-'));
    await writeFile(join(home, 'settings.json'), '{ "version": 1, "serve": ');
    server = await startBrowserMode({
      PATH: process.env.PATH,
      LABDECK_HOME: home,
      DOCKER_HOST: engine.dockerHost,
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  async function openApp(): Promise<Page> {
    const page = await browser.newPage({
      viewport: { width: 1100, height: 640 },
      colorScheme: 'light',
    });
    await page.goto(server.url);
    return page;
  }

  it('shows the Hosts page with "This computer" and its reachable Docker engine', async () => {
    const page = await openApp();
    expect(page.url()).not.toContain('token'); // the token left the address bar
    await expect
      .poll(() => page.getByRole('heading', { name: 'Hosts', level: 1 }).isVisible())
      .toBe(true);
    const card = page.getByRole('article', { name: 'This computer' });
    await expect
      .poll(() => card.getByTestId('docker-state').textContent())
      .toContain('Docker reachable');
    expect(await card.textContent()).toContain(dockerVersion);
    expect(await page.getByTestId('run-mode').textContent()).toBe('Browser mode');
    await page.close();
  });

  it('tells the user their unreadable settings were moved aside, until dismissed', async () => {
    const page = await openApp();
    const notice = page.getByTestId('notice');
    await expect.poll(() => notice.textContent()).toContain('could not be read');
    expect(await notice.textContent()).toContain('settings.corrupt-');
    await page.screenshot({ path: '/tmp/labdeck-e2e-notice.png' });
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => notice.count()).toBe(0);
    await page.reload();
    await page.getByRole('article', { name: 'This computer' }).waitFor();
    expect(await page.getByTestId('notice').count()).toBe(0);
    await page.close();
  });

  it('moves between pages with the keyboard', async () => {
    const page = await openApp();
    await page.getByRole('article', { name: 'This computer' }).waitFor();
    await page.keyboard.press('Control+2');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sessions');
    const nav = page.getByRole('navigation', { name: 'Pages' });
    expect(await nav.locator('[aria-current="page"]').textContent()).toContain('Sessions');
    await nav.getByRole('button', { name: 'Sessions' }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Folders');
    await page.close();
  });

  it('checks "This computer" in the Doctor panel, and gives the focus back to Check', async () => {
    const page = await openApp();
    const check = page
      .getByRole('article', { name: 'This computer' })
      .getByRole('button', { name: 'Check This computer', exact: true });
    await check.click();
    const dialog = page.getByTestId('doctor-dialog');
    await expect
      .poll(() => dialog.getByTestId('doctor-step').count(), { timeout: 60_000 })
      .toBe(14);
    const docker = dialog.locator('[data-step="docker"]');
    expect(await docker.getAttribute('data-status')).toBe('pass');
    expect(await docker.textContent()).toContain(dockerVersion);
    expect(await dialog.locator('[data-step="tcp"]').getAttribute('data-status')).toBe('pass');
    // This machine was never set up for LabDeck: a warning, with the command that does it.
    const setup = dialog.locator('[data-step="setup-helper"]');
    expect(await setup.getAttribute('data-status')).toBe('warn');
    expect(await setup.textContent()).toContain('labdeck host setup');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate<string | null>('document.activeElement?.ariaLabel ?? null')).toBe(
      'Check This computer',
    );
    await page.close();
  });

  it('shows an error toast with a hint when the services go away', async () => {
    const page = await openApp();
    const card = page.getByRole('article', { name: 'This computer' });
    await card.waitFor();
    await server.stop();
    // The window may notice on its own and say so first (the toast can then cover the button);
    // otherwise the next request finds out.
    await card
      .getByRole('button', { name: 'Check This computer', exact: true })
      .click({ timeout: 3_000 })
      .catch(() => undefined);
    const alert = page.getByTestId('toast').filter({ hasText: /lost the connection/i });
    await expect.poll(() => alert.textContent()).toMatch(/lost the connection/i);
    expect(await alert.textContent()).toContain('npm run serve');
    await page.close();
  });
});
