import { execFile } from 'node:child_process';
import { access, chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Locator, Page } from 'playwright-core';
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
import { activeElement, hostCard, submitHostForm, waitForPhase } from './hosts-ui';

const run = promisify(execFile);

/**
 * Parent of every test root: root's and 0755, as the helper's trusted-path check wants (the same
 * one the back end's host-setup tests use).
 */
const TEST_ROOTS_DIR = '/var/lib/labdeck-test-roots';
/** Setup copies the agent bundle and runs visudo; a loaded 2-core runner needs its time. */
const SETUP_TIMEOUT_MS = 60_000;
/** The first status comes once the local agent answered (it may start its daemon first). */
const STATUS_TIMEOUT_MS = 30_000;
/** A first connect pushes the agent over SSH; a loaded 2-core CI runner needs its time. */
const CONNECT_TIMEOUT_MS = 90_000;
/** Debian lets members of this group sudo with their password (`%sudo ALL=(ALL:ALL) ALL`). */
const SUDO_GROUP = 'sudo';

/** Whether the Unix group exists on this machine (setup creates `labdeck`, undo removes it). */
async function groupExists(name: string): Promise<boolean> {
  try {
    await run('getent', ['group', name]);
    return true;
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Every path under `dir`, sorted: what a dry run must leave as it was. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map(String).sort();
}

describeWithParts(['root', 'chromium', 'sudo'], 'host setup in browser mode', () => {
  let browser: Browser;
  let server: BrowserMode;
  let home: string;
  let runtime: string;
  let root: string;
  let volume: string;
  let env: NodeJS.ProcessEnv;
  let groupBefore: boolean;
  let page: Page;
  let card: Locator;
  let dialog: Locator;

  beforeAll(async () => {
    await ensureBuilt();
    await mkdir(TEST_ROOTS_DIR, { recursive: true, mode: 0o755 });
    await chmod(TEST_ROOTS_DIR, 0o755);
    root = await mkdtemp(join(TEST_ROOTS_DIR, 'ui-'));
    await chmod(root, 0o755);
    volume = join(root, 'srv', 'scratch');
    await mkdir(volume, { recursive: true, mode: 0o755 });
    home = await mkdtemp(join(tmpdir(), 'labdeck-e2e-setup-'));
    // A runtime directory of its own: this server's agent daemon, with this root, not another's.
    runtime = await mkdtemp(join(tmpdir(), 'ld-rt-'));
    groupBefore = await groupExists('labdeck');
    // The window offers no root: the server's environment puts every system path under one.
    env = {
      PATH: process.env.PATH,
      LABDECK_HOME: home,
      HOME: home,
      XDG_RUNTIME_DIR: runtime,
      LABDECK_SYSTEM_ROOT: root,
    };
    server = await startBrowserMode(env);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(server.url);
    card = hostCard(page, 'This computer');
    dialog = page.getByTestId('setup-dialog');
  });

  afterAll(async () => {
    await browser?.close();
    // A test that failed half-way must not leave the group or the root behind.
    if (root && (await exists(join(root, 'etc/labdeck'))))
      await runLabdeck(['host', 'setup', 'local', '--undo', '--root', root], env);
    await server?.stop();
    if (root) await rm(root, { recursive: true, force: true });
    if (home) await rm(home, { recursive: true, force: true });
    if (runtime) await rm(runtime, { recursive: true, force: true });
  });

  it('calls "This computer" to setup and explains why, for root', async () => {
    const offer = card.getByTestId('setup-offer');
    await offer.waitFor({ timeout: STATUS_TIMEOUT_MS });
    expect(await offer.getAttribute('data-state')).toBe('needed');
    const text = await offer.textContent();
    expect(text).toContain('Not set up for LabDeck.');
    expect(text).toContain('Folders with quotas, shared dotfiles');
    expect(text).not.toContain('sudo password'); // root needs none
  });

  it('shows every field error next to its field and sends nothing', async () => {
    await card.getByRole('button', { name: 'Set up this host (This computer)…' }).click();
    await dialog.waitFor();
    expect(await activeElement(page, 'dataset.testid')).toBe('setup-lab');
    expect(await dialog.getByTestId('setup-sudo-note').count()).toBe(0); // root: no password

    await dialog.getByRole('button', { name: 'Add volume' }).click();
    await dialog.getByLabel('Name of volume 1', { exact: true }).fill('Scratch Disk');
    await dialog.getByLabel('Path of volume 1', { exact: true }).fill('srv/scratch');
    await dialog.getByLabel('Lab name', { exact: true }).press('Enter');

    const nameErrors = dialog.getByTestId('setup-volume-0-name-errors');
    await nameErrors.waitFor();
    expect(await nameErrors.textContent()).toContain('lowercase letters, digits or "-"');
    expect(await dialog.getByTestId('setup-volume-0-path-errors').textContent()).toContain(
      'must be an absolute path',
    );
    // The first field in error has the focus; nothing ran.
    expect(await activeElement(page, 'dataset.testid')).toBe('setup-volume-0-name');
    expect(await dialog.getByTestId('setup-report').count()).toBe(0);
    expect(await exists(join(root, 'etc/labdeck'))).toBe(false);
  });

  it("shows the host's refusal in the dialog, with its hint", async () => {
    const missing = join(root, 'srv', 'missing');
    await dialog.getByLabel('Name of volume 1', { exact: true }).fill('scratch');
    await dialog.getByLabel('Path of volume 1', { exact: true }).fill(missing);
    const before = await tree(root);
    await dialog.getByRole('button', { name: 'Preview changes' }).click();
    const error = dialog.getByTestId('setup-error');
    await error.waitFor({ timeout: SETUP_TIMEOUT_MS });
    expect(await error.textContent()).toContain('the path must be an existing directory');
    expect(await error.locator('.muted').textContent()).toContain(`sudo mkdir -p ${missing}`);
    expect(await dialog.getByTestId('setup-report').count()).toBe(0);
    expect(await tree(root)).toEqual(before);
  });

  it('previews the changes and changes nothing', async () => {
    await dialog.getByLabel('Path of volume 1', { exact: true }).fill(volume);
    await dialog.getByLabel('Lab name', { exact: true }).fill('e2e-lab');
    const before = await tree(root);

    await dialog.getByRole('button', { name: 'Preview changes' }).click();
    const preview = dialog.locator('[data-testid="setup-report"][data-mode="dry-run"]');
    await preview.waitFor({ timeout: SETUP_TIMEOUT_MS });

    expect(await preview.getByTestId('setup-verdict').textContent()).toMatch(
      /^Preview: setup would make \d+ changes; nothing was changed yet\.$/,
    );
    const statuses = await preview
      .getByTestId('setup-change')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status')));
    expect(statuses.length).toBeGreaterThan(3);
    expect(statuses.every((status) => status === 'planned')).toBe(true);
    expect(await dialog.getByTestId('setup-error').count()).toBe(0); // the refusal went
    expect(await preview.textContent()).toContain(`add volume "scratch" at ${volume} (plain)`);
    // Checks come with their fix, each command with its own Copy button.
    const members = preview.locator('[data-testid="setup-check"][data-check="group-members"]');
    expect(await members.getAttribute('data-status')).toBe('warn');
    expect(await members.getByTestId('setup-fix').textContent()).toContain(
      'sudo usermod -aG labdeck USER',
    );
    expect(
      await members.getByRole('button', { name: 'Copy the fix for Members of labdeck' }).count(),
    ).toBe(1);

    expect(await tree(root)).toEqual(before);
    expect(await groupExists('labdeck')).toBe(groupBefore);
  });

  it('sets up on Enter, then says "Nothing changed" on a second run', async () => {
    await dialog.getByLabel('Lab name', { exact: true }).press('Enter');
    const report = dialog.locator('[data-testid="setup-report"][data-mode="setup"]');
    await report.waitFor({ timeout: SETUP_TIMEOUT_MS });
    expect(await report.getAttribute('data-changed')).toBe('true');
    expect(await report.getByTestId('setup-verdict').textContent()).toMatch(
      /^This computer is set up for LabDeck \S+: \d+ changes made\.$/,
    );
    expect(
      await report.locator('[data-testid="setup-change"][data-status="done"]').count(),
    ).toBeGreaterThan(3);
    // Root needs no password: no sudo dialog came up.
    expect(await page.getByTestId('prompt-dialog').count()).toBe(0);

    const config = JSON.parse(await readFile(join(root, 'etc/labdeck/config.json'), 'utf8'));
    expect(config).toMatchObject({
      lab: 'e2e-lab',
      volumes: [{ name: 'scratch', path: volume, kind: 'plain' }],
    });
    expect(await exists(join(root, 'etc/sudoers.d/labdeck'))).toBe(true);
    expect(await groupExists('labdeck')).toBe(true);

    // The card asked again: set up for this version, quietly.
    const offer = card.getByTestId('setup-offer');
    await expect.poll(() => offer.getAttribute('data-state')).toBe('done');
    expect(await offer.textContent()).toContain('Set up ✓');
    expect(await offer.textContent()).toContain('lab e2e-lab · 1 volume');
    // The form now lists the declared volume it had added.
    expect(await dialog.getByTestId('setup-declared').textContent()).toContain(volume);

    await dialog.getByRole('button', { name: 'Set up', exact: true }).click();
    const again = dialog.locator('[data-testid="setup-report"][data-changed="false"]');
    await again.waitFor({ timeout: SETUP_TIMEOUT_MS });
    expect(await again.getAttribute('data-mode')).toBe('setup');
    expect(await again.getByTestId('setup-verdict').textContent()).toMatch(
      /^Nothing changed: This computer is already set up for LabDeck \S+\.$/,
    );
    expect(await again.locator('[data-testid="setup-change"][data-status="done"]').count()).toBe(0);
  });

  it('undoes setup after a confirmation that says what goes, leaving the machine as found', async () => {
    await dialog.getByRole('button', { name: 'Undo setup…' }).click();
    const confirm = page.getByTestId('setup-undo-dialog');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('/etc/sudoers.d/labdeck');
    expect(await activeElement(page, 'textContent')).toBe('Cancel');

    await confirm.getByRole('button', { name: 'Undo setup', exact: true }).click();
    await confirm.waitFor({ state: 'detached', timeout: SETUP_TIMEOUT_MS });
    const undone = dialog.locator('[data-testid="setup-report"][data-mode="undo"]');
    await undone.waitFor();
    expect(await undone.getByTestId('setup-verdict').textContent()).toMatch(
      /^Undone: \d+ removed, \d+ restored, \d+ kept\.$/,
    );
    expect(
      await undone.locator('[data-testid="setup-change"][data-status="removed"]').count(),
    ).toBeGreaterThan(0);
    // "Undo setup…" went with what it undid: the focus is on "Set up".
    await expect.poll(() => activeElement(page, 'dataset.testid')).toBe('setup-run');

    expect(await exists(join(root, 'etc/labdeck/config.json'))).toBe(false);
    expect(await exists(join(root, 'etc/sudoers.d/labdeck'))).toBe(false);
    expect(await groupExists('labdeck')).toBe(groupBefore);
    await expect
      .poll(() => card.getByTestId('setup-offer').getAttribute('data-state'))
      .toBe('needed');
  });

  it('closes on Escape and gives the focus back to the card’s button', async () => {
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await activeElement(page, 'dataset.testid')).toBe('setup-open');
  });
});

describeWithParts(
  ['root', 'sshd', 'ssh-keygen', 'chromium', 'sudo'],
  'host setup on an SSH host where sudo wants a password, in browser mode',
  () => {
    let sshd: Sshd;
    let user: TestUser;
    let home: string;
    let server: BrowserMode;
    let browser: Browser;
    let page: Page;

    beforeAll(async () => {
      await ensureBuilt();
      sshd = await startSshd();
      user = await createTestUser('setupsudo');
      // A member of Debian's sudo group: sudo works, with the user's own password.
      await run('usermod', ['-aG', SUDO_GROUP, user.username]);
      home = await mkdtemp(join(tmpdir(), 'labdeck-e2e-setup-ssh-'));
      await mkdir(join(home, '.ssh'));
      await writeFile(
        join(home, '.ssh/known_hosts'),
        `[${sshd.host}]:${sshd.port} ${sshd.hostPublicKey}\n`,
      );
      server = await startBrowserMode({ PATH: process.env.PATH, LABDECK_HOME: home, HOME: home });
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(server.url);
    });

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await sshd?.stop();
      if (user) await run('gpasswd', ['-d', user.username, SUDO_GROUP]).catch(() => undefined);
      await user?.dispose();
      if (home) await rm(home, { recursive: true, force: true });
    });

    it('says sudo will ask, asks on top of the dialog without a Remember box, and a cancel changes nothing', async () => {
      await submitHostForm(page, {
        name: 'sudo-host',
        user: user.username,
        hostname: sshd.host,
        port: String(sshd.port),
        identityFile: user.privateKeyPath,
        connect: true,
      });
      const card = hostCard(page, 'sudo-host');
      await waitForPhase(card, 'connected', CONNECT_TIMEOUT_MS);
      const offer = card.getByTestId('setup-offer');
      await offer.waitFor({ timeout: STATUS_TIMEOUT_MS });
      expect(await offer.getAttribute('data-state')).toBe('needed');
      expect(await offer.textContent()).toContain('LabDeck asks for your sudo password');

      await card.getByRole('button', { name: 'Set up this host (sudo-host)…' }).click();
      const dialog = page.getByTestId('setup-dialog');
      await dialog.waitFor();
      expect(await dialog.getByTestId('setup-sudo-note').textContent()).toContain(
        'asks for your sudo password',
      );
      // A preview runs as root too (it reads what only root may): sudo asks first.
      await dialog.getByRole('button', { name: 'Preview changes' }).click();
      const prompt = page.getByTestId('prompt-dialog');
      await prompt.waitFor({ timeout: STATUS_TIMEOUT_MS });
      expect(await prompt.locator('form').getAttribute('data-prompt-kind')).toBe('sudo-password');
      expect(await prompt.getByRole('heading').textContent()).toBe('sudo password on sudo-host');
      expect(await prompt.textContent()).toContain(`${user.username}'s password for sudo`);
      expect(await prompt.textContent()).toContain('never kept');
      expect(await prompt.getByTestId('prompt-remember').count()).toBe(0);
      expect(await activeElement(page, 'dataset.testid')).toBe('prompt-secret');
      // The setup dialog waits underneath, its run under way.
      expect(await dialog.getByTestId('setup-running').isVisible()).toBe(true);

      await page.keyboard.press('Escape');
      await prompt.waitFor({ state: 'detached' });
      const error = dialog.getByTestId('setup-error');
      await error.waitFor({ timeout: STATUS_TIMEOUT_MS });
      expect(await error.textContent()).toContain(
        'Host setup on sudo-host was cancelled; nothing was changed.',
      );
      expect(await dialog.getByTestId('setup-running').count()).toBe(0);
      expect(await activeElement(page, 'dataset.testid')).toBe('setup-preview');
      expect(await offer.getAttribute('data-state')).toBe('needed');
    });
  },
);
