import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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
import { hostCard } from './hosts-ui';

/** A config as a lab writes it: a Match block for the port, a jump host, a Match exec, a typo. */
const CONFIG = [
  'Host lab-direct',
  '  HostName 127.0.0.1',
  '  User uxuser',
  'Match host 127.0.0.1',
  '  Port 48191',
  'Host gpu-a',
  '  HostName 10.0.0.7',
  '  User ada',
  '  ProxyJump lab-direct',
  'Host gpu-b',
  '  HostName 10.0.0.8',
  '  User ada',
  'Match originalhost gpu-b exec "test -e /run/vpn-up"',
  '  Port 2222',
  'Host bad',
  '  Port ssh-alt',
  '',
].join('\n');

describeWithParts(['chromium'], 'importing ~/.ssh/config in Chromium', () => {
  let browser: Browser;
  let server: BrowserMode;
  let home: string;

  beforeAll(async () => {
    await ensureBuilt();
    home = await mkdtemp(join(tmpdir(), 'labdeck-e2e-import-'));
    await mkdir(join(home, '.ssh'), { mode: 0o700 });
    await writeFile(join(home, '.ssh', 'config'), CONFIG);
    // HOME too: the services read the ~/.ssh/config of HOME, never root's.
    server = await startBrowserMode({ PATH: process.env.PATH, LABDECK_HOME: home, HOME: home });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  async function openPreview(page: Page) {
    await page.getByRole('button', { name: 'Import from ~/.ssh/config' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import from ~/.ssh/config' });
    await dialog.waitFor();
    return dialog;
  }

  const row = (dialog: ReturnType<Page['getByRole']>, name: string) =>
    dialog.locator(`[data-testid="import-candidate"][data-host="${name}"]`);

  it('previews every host, imports only the chosen ones, shows the chain on the card and words a re-import', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    await page.goto(server.url);
    await hostCard(page, 'This computer').waitFor();

    const dialog = await openPreview(page);
    // Each host as it would be added: user, address, port (from the Match block) and chain.
    expect(await row(dialog, 'lab-direct').innerText()).toContain('uxuser@127.0.0.1:48191');
    expect(await row(dialog, 'lab-direct').innerText()).toContain('Direct connection');
    expect(await row(dialog, 'gpu-a').innerText()).toContain('ada@10.0.0.7');
    expect(await row(dialog, 'gpu-a').innerText()).toContain(
      'via lab-direct (uxuser@127.0.0.1:48191)',
    );
    expect(await row(dialog, 'gpu-b').innerText()).toMatch(
      /^~\/\.ssh\/config:13: Match exec "test -e \/run\/vpn-up" is never run by LabDeck, so Port from this block was not applied/m,
    );
    expect(await dialog.getByTestId('import-preview-skipped').innerText()).toMatch(
      /bad: ~\/\.ssh\/config:16: Port "ssh-alt" is not a number from 1 to 65535/,
    );
    // Nothing is added before the user confirms.
    expect(await page.getByRole('article').count()).toBe(1);

    await dialog.getByRole('checkbox', { name: 'gpu-b' }).uncheck();
    const confirm = dialog.getByRole('button', { name: 'Import 2 hosts' });
    await confirm.click();
    const result = page.getByTestId('import-result');
    await result.waitFor();
    expect(await result.getByTestId('import-added').innerText()).toMatch(
      /lab-direct\s+uxuser@127\.0\.0\.1:48191\s+gpu-a\s+ada@10\.0\.0\.7/,
    );
    await result.getByRole('button', { name: 'Close' }).click();

    await hostCard(page, 'gpu-a').waitFor();
    expect(await hostCard(page, 'gpu-a').getByTestId('host-via').innerText()).toBe(
      'via lab-direct',
    );
    expect(await hostCard(page, 'lab-direct').getByTestId('host-via').count()).toBe(0);
    expect(await hostCard(page, 'gpu-b').count()).toBe(0);

    // The file changes; importing again says which hosts are there and how they differ.
    await writeFile(join(home, '.ssh', 'config'), CONFIG.replace('48191', '2200'));
    const again = await openPreview(page);
    expect(await row(again, 'lab-direct').innerText()).toContain(
      'Already in LabDeck with other settings — port 48191 in LabDeck, 2200 in the file. It stays as it is; edit it to change it.',
    );
    expect(await again.getByRole('checkbox', { name: 'lab-direct' }).isDisabled()).toBe(true);
    expect(await again.getByRole('checkbox', { name: 'gpu-b' }).isChecked()).toBe(true);
    expect(await again.innerText()).not.toMatch(/name: a host named/);
    await again.getByRole('button', { name: 'Import 1 host' }).click();
    const report = page.getByTestId('import-result');
    await report.waitFor();
    expect(await report.getByTestId('import-added').innerText()).toContain('gpu-b');
    await report.getByRole('button', { name: 'Close' }).click();
    await hostCard(page, 'gpu-b').waitFor();
    expect(await page.getByRole('article').count()).toBe(4);
    await page.close();
  });
});
