import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createGpuTestUser,
  describeWithParts,
  ensureBuilt,
  launchChromium,
  PARTS,
  startBrowserMode,
  startSshd,
  type BrowserMode,
  type GpuTestUser,
  type Sshd,
} from '../harness';
import { activeElement, hostCard, submitHostForm, waitForPhase } from './hosts-ui';

const run = promisify(execFile);
/** A first connect pushes the agent over SSH; a loaded 2-core CI runner needs its time. */
const CONNECT_TIMEOUT_MS = 90_000;

describeWithParts(
  ['root', 'sshd', 'ssh-keygen', 'chromium'],
  'a host whose key changed, replaced only after typing the verified fingerprint',
  () => {
    let sshd: Sshd;
    let user: GpuTestUser;
    let home: string;
    let knownHosts: string;
    let server: BrowserMode;
    let browser: Browser;
    let page: Page;
    let card: Locator;
    let dialog: Locator;

    beforeAll(async () => {
      await ensureBuilt();
      sshd = await startSshd();
      user = await createGpuTestUser('e2e-key');
      home = await mkdtemp(join(tmpdir(), 'labdeck-e2e-key-'));
      // The user's OpenSSH known_hosts remembers another key for this address: the server
      // "was reinstalled". (The user's own public key stands in for the old host key.)
      knownHosts = join(home, '.ssh', 'known_hosts');
      await mkdir(join(home, '.ssh'), { mode: 0o700 });
      await writeFile(knownHosts, `[${sshd.host}]:${sshd.port} ${user.publicKey}\n`);
      server = await startBrowserMode({ PATH: process.env.PATH, LABDECK_HOME: home, HOME: home });
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(server.url);
      card = hostCard(page, 'rebuilt');
      dialog = page.getByTestId('replace-key-dialog');
    });

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await sshd?.stop();
      await user?.cleanUp();
      await user?.dispose();
      if (home) await rm(home, { recursive: true, force: true });
    });

    const input = (): Locator => dialog.getByLabel('Fingerprint you verified');
    const submit = (): Locator => dialog.getByTestId('replace-key-submit');

    it('refuses to log in and shows both fingerprints, with no accept button', async () => {
      await submitHostForm(page, {
        name: 'rebuilt',
        user: user.username,
        hostname: sshd.host,
        port: String(sshd.port),
        identityFile: user.privateKeyPath,
      });
      await card.getByRole('button', { name: 'Connect rebuilt', exact: true }).click();
      await waitForPhase(card, 'failed', CONNECT_TIMEOUT_MS);
      const changed = card.getByTestId('host-key-changed');
      expect(await changed.getByTestId('key-known').textContent()).toContain(
        user.fingerprintSha256,
      );
      expect(await changed.getByTestId('key-offered').textContent()).toContain(
        sshd.hostKeyFingerprintSha256,
      );
      expect(await changed.getByRole('button').allTextContents()).toEqual([
        'I have verified the new key…',
      ]);
      expect(await page.getByTestId('prompt-dialog').count()).toBe(0);
    });

    it('keeps "record" disabled until a well-formed fingerprint is typed', async () => {
      await card.getByRole('button', { name: 'I have verified the new key…' }).click();
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain('could run commands as you');
      expect(await activeElement(page, "getAttribute('data-testid')")).toBe(
        'replace-key-fingerprint',
      );
      expect(await submit().isDisabled()).toBe(true);
      await input().pressSequentially('SHA256:47DEQ');
      expect(await dialog.getByTestId('replace-key-fingerprint-errors').textContent()).toBe(
        '5 characters after "SHA256:"; a SHA256 fingerprint has 43.',
      );
      expect(await submit().isDisabled()).toBe(true);
      await input().press('Enter');
      expect(await dialog.getByTestId('replace-key-error').count()).toBe(0);
    });

    it("shows the server's refusals in the dialog: a wrong fingerprint, then OpenSSH's file", async () => {
      // Well-formed, but not what the server presents: nothing is changed.
      await input().fill(user.fingerprintSha256);
      expect(await submit().isEnabled()).toBe(true);
      await submit().click();
      const error = dialog.getByTestId('replace-key-error');
      await expect.poll(() => error.textContent()).toContain('host-key-fingerprint-mismatch');

      // The right one, but the old key sits in ~/.ssh/known_hosts, which LabDeck never edits.
      await input().fill(sshd.hostKeyFingerprintSha256);
      await submit().click();
      await expect.poll(() => error.textContent()).toContain('host-key-in-user-known-hosts');
      expect(await error.textContent()).toContain('ssh-keygen -R');
      expect(await dialog.isVisible()).toBe(true);
    });

    it('records the verified key and connects once the old entry is gone', async () => {
      // What the hint says to run.
      await run(PARTS['ssh-keygen'].path, ['-R', `[${sshd.host}]:${sshd.port}`, '-f', knownHosts]);
      expect(await readFile(knownHosts, 'utf8')).not.toContain(user.publicKey);
      await submit().click();
      await dialog.waitFor({ state: 'detached' });
      const toast = page.getByTestId('toast').filter({ hasText: 'New key recorded' });
      await toast.waitFor();
      await waitForPhase(card, 'connected', CONNECT_TIMEOUT_MS);
      expect(await page.getByTestId('prompt-dialog').count()).toBe(0);
    });

    it('removes the host from a second window too (host:removed)', async () => {
      const other = await browser.newPage();
      await other.goto(server.url);
      const elsewhere = hostCard(other, 'rebuilt');
      await elsewhere.waitFor();
      await card.getByRole('button', { name: 'Remove rebuilt', exact: true }).click();
      await page.getByTestId('remove-host-confirm').click();
      await elsewhere.waitFor({ state: 'detached' });
      expect(await hostCard(page, 'rebuilt').count()).toBe(0);
      await other.close();
    });
  },
);
