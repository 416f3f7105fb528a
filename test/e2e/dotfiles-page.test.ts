import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Client } from '../../common/contract/client';
import type { Result } from '../../common/contract/result';
import { dotfileStoreSchema, type DotfileStore } from '../../common/dotfiles/dotfile-store';
import type { Services } from '../../main/services';
import {
  describeWithParts,
  ensureBuilt,
  ensureTestImage,
  execInContainer,
  launchChromium,
  SESSION_DOCKER_GROUP,
  startDockerd,
  TEST_IMAGE,
  type DockerDaemon,
  startBrowserMode,
  startSshd,
  stopAgents,
  testServices,
  type BrowserMode,
  type Sshd,
  type TestUser,
} from '../harness';
import {
  DOTFILE_HOST_PARTS,
  makeDotfileHost,
  type DotfileHost,
} from '../integration/dotfiles/dotfile-fixture';
import { hostCard, submitHostForm, waitForPhase } from './hosts-ui';

const run = promisify(execFile);

/** This file's own sudo group and dotfile group (prefix dfe). */
const SUDO_GROUP = 'labdeck-test-dfe';
const GROUP = 'dfe-grp';
/** A group Alice administers without being in it. */
const ADMIN_ONLY_GROUP = 'dfe-adm';
/** A second group of Alice's, which she leaves while the New session form is open. */
const LEFT_GROUP = 'dfe-left';
/** A first connect pushes the agent over SSH; a loaded 2-core runner needs its time. */
const CONNECT_TIMEOUT_MS = 90_000;
/** A save goes window → main → agent (→ sudo → helper for group and lab files). */
const SAVE_TIMEOUT_MS = 30_000;
/** Starting a container on the file's own engine, its dotfiles written first. */
const START_TIMEOUT_MS = 45_000;
/** A 13" laptop, the size the README's screenshots are taken at. */
const VIEWPORT = { width: 1280, height: 800 };

/** The value of a result, or a test failure naming the error. */
function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

describeWithParts(
  [...DOTFILE_HOST_PARTS, 'sshd', 'chromium', 'dockerd', 'busybox', 'tar'],
  'the Dotfiles page in browser mode, through the real sshd, sudo and privileged helper',
  () => {
    let host: DotfileHost;
    let alice: TestUser;
    let bob: TestUser;
    let sshd: Sshd;
    let dockerd: DockerDaemon;
    let home: string;
    let elsewhereHome: string;
    let server: BrowserMode;
    let browser: Browser;
    let page: Page;
    /** Alice's services on another laptop: the "someone changed it meanwhile". */
    let elsewhere: { services: Services; client: Client };
    /** Content-Security-Policy refusals the page reported. */
    const refused: string[] = [];
    /** The test running, named in each refusal. */
    let step = 'start';
    beforeEach((ctx) => {
      step = ctx.task.name;
    });

    const row = (path: string): Locator =>
      page.locator(`[data-testid="dotfile-row"][data-path="${path}"]`);
    const editor = (): Locator => page.getByTestId('dotfile-editor');
    const content = (): Locator => editor().locator('.cm-content');
    /** The editor's lines as the user reads them (the diff off). */
    const lines = (): Promise<string[]> => editor().locator('.cm-line').allTextContents();
    const save = (): Locator => page.getByTestId('dotfile-save');
    const userStore = async (user: TestUser): Promise<DotfileStore> =>
      dotfileStoreSchema.parse(JSON.parse(await readFile(host.userStorePath(user), 'utf8')));
    /** Shows `name`'s dotfiles, on whichever tab shows. */
    const chooseHost = async (name: string): Promise<void> => {
      await page.getByTestId('dotfiles-host').selectOption({ label: name });
      await page
        .getByTestId('dotfiles-level-user')
        .or(page.getByTestId('dotfile-preview'))
        .waitFor({ timeout: SAVE_TIMEOUT_MS });
    };
    /** Replaces the editor's whole text as a user would: select all, type. */
    const typeText = async (text: string): Promise<void> => {
      await content().click();
      await page.keyboard.press('Control+a');
      await page.keyboard.insertText(text);
    };
    /** A new file at the page's level, its path typed and its text given. */
    const newFile = async (path: string, text: string): Promise<void> => {
      await page.getByTestId('dotfiles-new').click();
      await page.getByTestId('dotfile-path').fill(path);
      await typeText(text);
    };
    const savedToast = (path: string): Locator =>
      page.locator('.toast', { hasText: `Saved ${path}.` });
    /** The texts of a select's options, in order. */
    const optionTexts = (select: Locator): Promise<string[]> =>
      select.locator('option').allTextContents();
    /** The colour CodeMirror gives a token, and the line's own around it. */
    const colours = (token: Locator): Promise<string[]> =>
      token.evaluate((span) => {
        type Styled = { readonly parentElement: Styled };
        const css = (globalThis as unknown as { getComputedStyle(e: Styled): { color: string } })
          .getComputedStyle;
        const element = span as unknown as Styled;
        return [css(element).color, css(element.parentElement).color];
      });

    beforeAll(async () => {
      await ensureBuilt();
      host = await makeDotfileHost({
        sudoGroup: SUDO_GROUP,
        group: GROUP,
        admin: 'dfe-alice',
        member: 'dfe-bob',
        primaryGroup: true,
      });
      ({ admin: alice, member: bob } = host);
      // Alice: also in LEFT_GROUP, and an admin (not a member) of ADMIN_ONLY_GROUP.
      for (const group of [ADMIN_ONLY_GROUP, LEFT_GROUP]) await run('groupadd', ['-f', group]);
      await run('usermod', ['-aG', LEFT_GROUP, alice.username]);
      await host.reconfigure({
        ...host.config,
        groupAdmins: { ...host.config.groupAdmins, [ADMIN_ONLY_GROUP]: [alice.username] },
      });
      sshd = await startSshd({ config: { SetEnv: host.agentEnv } });
      // Alice may start sessions: a Docker engine of the file's own, reached as a member of its group.
      dockerd = await startDockerd();
      await ensureTestImage(dockerd.docker);
      await run('groupadd', ['-f', SESSION_DOCKER_GROUP]);
      await chmod(dirname(dockerd.socketPath), 0o711);
      await run('chgrp', [SESSION_DOCKER_GROUP, dockerd.socketPath]);
      await chmod(dockerd.socketPath, 0o660);
      await run('usermod', ['-aG', SESSION_DOCKER_GROUP, alice.username]);
      // First: Debian's .bashrc returns early for the non-interactive shells SSH commands run in.
      const bashrc = join(alice.home, '.bashrc');
      const rc = await readFile(bashrc, 'utf8').catch(() => '');
      await writeFile(bashrc, `export DOCKER_HOST=${dockerd.dockerHost}\n${rc}`);
      home = await mkdtemp(join(tmpdir(), 'labdeck-e2e-dotfiles-'));
      await mkdir(join(home, '.ssh'));
      await writeFile(
        join(home, '.ssh/known_hosts'),
        `[${sshd.host}]:${sshd.port} ${sshd.hostPublicKey}\n`,
      );
      elsewhereHome = await mkdtemp(join(tmpdir(), 'labdeck-e2e-dotfiles-elsewhere-'));
      elsewhere = testServices(elsewhereHome, { agentBundlePath: host.bundle });
      value(
        await elsewhere.client.request('hosts:add', {
          name: 'elsewhere',
          user: alice.username,
          hostname: sshd.host,
          port: sshd.port,
          identityFile: alice.privateKeyPath,
        }),
      );
      server = await startBrowserMode({ PATH: process.env.PATH, LABDECK_HOME: home, HOME: home });
      browser = await launchChromium();
      page = await browser.newPage({ viewport: VIEWPORT });
      // Each refusal the page reports: the test it came in, the directive, the element.
      await page.exposeFunction('reportRefusal', (text: string) =>
        refused.push(`${step}: ${text}`),
      );
      await page.addInitScript(`document.addEventListener('securitypolicyviolation', (e) =>
        window.reportRefusal(e.effectiveDirective + ' refused ' + JSON.stringify(e.sample) +
          ' on ' + String(e.target.outerHTML || e.target.nodeName).slice(0, 200)), true)`);
      await page.goto(server.url);
      for (const [name, user] of [
        ['alice-lab', alice],
        ['bob-lab', bob],
      ] as const) {
        await submitHostForm(page, {
          name,
          user: user.username,
          hostname: sshd.host,
          port: String(sshd.port),
          identityFile: user.privateKeyPath,
          connect: true,
        });
        await waitForPhase(hostCard(page, name), 'connected', CONNECT_TIMEOUT_MS);
      }
      await page.getByTestId('nav-dotfiles').click();
    }, 300_000);

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await elsewhere?.services.dispose();
      await sshd?.stop();
      await dockerd?.stop();
      for (const user of [alice, bob]) if (user) await stopAgents(user.username);
      await host?.remove();
      for (const group of [ADMIN_ONLY_GROUP, LEFT_GROUP])
        await run('groupdel', [group]).catch(() => {});
      for (const dir of [home, elsewhereHome])
        if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('makes ~/.bashrc in the editor, highlighted as shell, saves it with Ctrl+S and lists it after a reload', async () => {
      await chooseHost('alice-lab');
      expect(await page.getByTestId('dotfiles-level-user').getAttribute('aria-pressed')).toBe(
        'true',
      );
      expect(await page.getByTestId('dotfiles-list-empty').textContent()).toContain(
        'No dotfiles at this level yet.',
      );
      await page.locator('h1').click(); // out of the host picker: keys are shortcuts again
      await page.keyboard.press('n'); // the page's New file shortcut
      await page.getByTestId('dotfile-path').fill('.bashrc');
      await content().click();
      await page.keyboard.type('# my aliases\nalias ll="ls -l"\n');
      expect(await page.getByTestId('dotfile-language').textContent()).toBe('Shell');

      // CodeMirror coloured the comment: a token span of its own, in a colour of its own.
      const comment = editor().locator('.cm-line').first().locator('span', {
        hasText: '# my aliases',
      });
      expect(await comment.getAttribute('class')).toMatch(/\S/);
      const [light, lightLine] = await colours(comment);
      expect(light).not.toBe(lightLine);
      // In dark mode the tokens take the dark palette, at once and with the text kept.
      await page.emulateMedia({ colorScheme: 'dark' });
      await expect.poll(async () => (await colours(comment))[0]).not.toBe(light);
      const [dark, darkLine] = await colours(comment);
      expect(dark).not.toBe(darkLine);
      expect(darkLine).not.toBe(lightLine); // the window went dark too
      await page.emulateMedia({ colorScheme: 'light' });
      await expect.poll(async () => (await colours(comment))[0]).toBe(light);
      expect(await lines()).toEqual(['# my aliases', 'alias ll="ls -l"', '']);

      await page.keyboard.press('Control+s');
      await savedToast('~/.bashrc').waitFor({ timeout: SAVE_TIMEOUT_MS });
      await row('.bashrc').waitFor();
      expect(await row('.bashrc').textContent()).toContain('mode 644');
      expect(await row('.bashrc').textContent()).toContain(`updated by ${alice.username}`);
      const stored = await userStore(alice);
      expect(stored.files['.bashrc']?.content).toBe('# my aliases\nalias ll="ls -l"\n');

      await page.reload();
      await page.getByTestId('nav-dotfiles').click();
      await expect
        .poll(() => page.locator('[data-testid="dotfiles-host"] option:checked').textContent())
        .toBe('alice-lab');
      await row('.bashrc').waitFor({ timeout: SAVE_TIMEOUT_MS });
    });

    it('refuses ../x, .ssh/authorized_keys, mode 8 and a text over 64 KiB beside their fields, with Save disabled and nothing written', async () => {
      const before = await readFile(host.userStorePath(alice), 'utf8');
      await newFile('../x', 'echo hi\n');
      // In the editor N and ? are text, not the New file and shortcuts keys.
      await page.keyboard.type('n?');
      expect(await lines()).toEqual(['echo hi', 'n?']);
      expect(await page.locator('dialog[open]').count()).toBe(0);
      const pathErrors = page.getByTestId('dotfile-path-errors');
      expect(await pathErrors.textContent()).toContain('The path must not have a ".." part.');
      expect(await save().isDisabled()).toBe(true);

      await page.getByTestId('dotfile-path').fill('.ssh/authorized_keys');
      expect(await pathErrors.textContent()).toContain('The path must not be in ~/.ssh');
      expect(await save().isDisabled()).toBe(true);

      await page.getByTestId('dotfile-path').fill('/etc/profile');
      expect(await pathErrors.textContent()).toContain('relative to your home directory');
      // System files are offered at group and lab level only.
      const offered = await page
        .locator('datalist option')
        .evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value));
      expect(offered).toContain('.bashrc');
      expect(offered.some((path) => path.startsWith('/etc/'))).toBe(false);

      await page.getByTestId('dotfile-path').fill('.profile');
      expect(await pathErrors.count()).toBe(0);
      await page.getByTestId('dotfile-mode').fill('8');
      expect(await page.getByTestId('dotfile-mode-errors').textContent()).toContain(
        'The mode must be three octal digits, such as 644.',
      );
      expect(await save().isDisabled()).toBe(true);
      await page.getByTestId('dotfile-mode').fill('600');
      expect(await save().isDisabled()).toBe(false);

      await typeText('x'.repeat(65_537));
      expect(await page.getByTestId('dotfile-content-errors').textContent()).toContain(
        'The text must be at most 65536 bytes of UTF-8 (it has 65537).',
      );
      expect(await save().isDisabled()).toBe(true);
      await page.keyboard.press('Control+s'); // refused in the form: nothing is sent
      await page.getByTestId('dotfile-mode').fill('8');
      await page.getByTestId('dotfile-path').focus();
      await page.keyboard.press('Control+s');
      expect(await readFile(host.userStorePath(alice), 'utf8')).toBe(before);

      // Leaving the typed file asks first; Cancel keeps it, Discard drops it.
      await row('.bashrc').click();
      const discard = page.getByTestId('dotfile-discard-dialog');
      await discard.waitFor();
      await discard.getByRole('button', { name: 'Cancel' }).click();
      expect(await page.getByTestId('dotfile-path').inputValue()).toBe('.profile');
      await row('.bashrc').click();
      await page.getByTestId('dotfile-discard-confirm').click();
      await expect
        .poll(() => page.getByTestId('dotfile-editor-path').textContent())
        .toBe('~/.bashrc');
      expect(await readFile(host.userStorePath(alice), 'utf8')).toBe(before);
    });

    it('shows the changed line against the saved version, then saves it', async () => {
      expect(await lines()).toEqual(['# my aliases', 'alias ll="ls -l"', '']);
      await editor().locator('.cm-line', { hasText: 'alias ll' }).click();
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.type('a');
      expect(await page.getByTestId('dotfile-editor-saved').textContent()).toContain(
        'unsaved changes',
      );
      await page.getByTestId('dotfile-changes').click();
      const deleted = editor().locator('.cm-deletedChunk .cm-deletedLine');
      await deleted.waitFor();
      expect(await deleted.allTextContents()).toEqual(['alias ll="ls -l"']);
      expect(await editor().locator('.cm-changedLine').allTextContents()).toEqual([
        'alias ll="ls -la"',
      ]);

      // The README's picture: an editor open on the page, its changes shown.
      await page.locator('.toast').first().waitFor({ state: 'detached', timeout: 10_000 });
      await page.screenshot({
        path: join(import.meta.dirname, '../../docs/screenshots/dotfiles.png'),
      });
      // Revert puts the saved line back; typed again, the change is saved.
      const revert = editor().getByRole('button', { name: 'Revert' });
      await revert.click();
      await deleted.waitFor({ state: 'detached' });
      expect(await lines()).toEqual(['# my aliases', 'alias ll="ls -l"', '']);
      expect(await save().isDisabled()).toBe(true);
      await page.getByTestId('dotfile-changes').click();
      await editor().locator('.cm-line', { hasText: 'alias ll' }).click();
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.type('a');
      await save().click();
      await savedToast('~/.bashrc').waitFor({ timeout: SAVE_TIMEOUT_MS });
      expect((await userStore(alice)).files['.bashrc']?.content).toBe(
        '# my aliases\nalias ll="ls -la"\n',
      );
      expect(await page.getByTestId('dotfile-editor-saved').textContent()).not.toContain('unsaved');
    });

    it('keeps my text when the file changed meanwhile, compares it with theirs, and overwrites theirs', async () => {
      await typeText('# mine\n');
      value(
        await elsewhere.client.request('dotfiles:set', {
          hostId: 'elsewhere',
          scope: 'user',
          path: '.bashrc',
          content: '# theirs\n',
        }),
      );
      await page.keyboard.press('Control+s');
      const conflict = page.getByTestId('dotfile-conflict');
      await conflict.waitFor({ timeout: SAVE_TIMEOUT_MS });
      expect(await conflict.textContent()).toMatch(
        /~\/\.bashrc was changed by .+ at \d{4}-\d\d-\d\d \d\d:\d\d UTC since you opened it\./,
      );
      expect(await conflict.textContent()).toContain('your text is kept');
      expect(await lines()).toEqual(['# mine', '']);
      expect(await save().isDisabled()).toBe(true);

      await conflict.getByTestId('dotfile-conflict-compare').click();
      const theirs = editor().locator('.cm-deletedChunk .cm-deletedLine');
      await theirs.waitFor({ timeout: SAVE_TIMEOUT_MS });
      expect(await theirs.allTextContents()).toEqual(['# theirs']);
      expect(await editor().getByRole('button', { name: 'Take theirs' }).count()).toBe(1);

      await conflict.getByTestId('dotfile-conflict-overwrite').click();
      await conflict.waitFor({ state: 'detached', timeout: SAVE_TIMEOUT_MS });
      await theirs.waitFor({ state: 'detached' });
      expect((await userStore(alice)).files['.bashrc']?.content).toBe('# mine\n');
      expect(await lines()).toEqual(['# mine', '']);
    });

    it('offers system files at group level, saves one through the helper, and removes a file after asking', async () => {
      await page.getByTestId('dotfiles-level-group').click();
      expect(await page.getByTestId('dotfiles-group').inputValue()).toBe(GROUP);
      expect(await page.getByTestId('dotfiles-readonly').count()).toBe(0);
      await newFile('/etc/profile.d/lab.sh', 'export LAB_DATA=/data\n');
      expect(await page.getByTestId('dotfile-path-errors').count()).toBe(0);
      await save().click();
      await savedToast('/etc/profile.d/lab.sh').waitFor({ timeout: SAVE_TIMEOUT_MS });
      await row('/etc/profile.d/lab.sh').waitFor();
      const group = dotfileStoreSchema.parse(
        JSON.parse(await readFile(host.groupStorePath(), 'utf8')),
      );
      expect(group.files['/etc/profile.d/lab.sh']?.content).toBe('export LAB_DATA=/data\n');

      // A vimrc of the group's, highlighted as vim, then removed again.
      await newFile('.vimrc', 'set number " line numbers\n');
      expect(await page.getByTestId('dotfile-language').textContent()).toBe('Vim script');
      await save().click();
      await row('.vimrc').waitFor({ timeout: SAVE_TIMEOUT_MS });
      await page.getByTestId('dotfile-remove').click();
      const confirm = page.getByTestId('dotfile-remove-dialog');
      expect(await confirm.textContent()).toContain('Remove ~/.vimrc?');
      await page.getByTestId('dotfile-remove-confirm').click();
      await row('.vimrc').waitFor({ state: 'detached', timeout: SAVE_TIMEOUT_MS });
      const after = dotfileStoreSchema.parse(
        JSON.parse(await readFile(host.groupStorePath(), 'utf8')),
      );
      expect(Object.keys(after.files)).toEqual(['/etc/profile.d/lab.sh']);
    });

    it('offers the group Alice administers without being in it, marked admin, after her own, and saves a file there', async () => {
      const picker = page.getByTestId('dotfiles-group');
      const offered = await optionTexts(picker);
      expect(offered[0]).toBe(`${GROUP} (primary)`);
      expect(offered).toContain(LEFT_GROUP);
      expect(offered.at(-1)).toBe(`${ADMIN_ONLY_GROUP} (admin)`);
      expect(offered.filter((text) => text.endsWith('(admin)'))).toHaveLength(1);
      await picker.selectOption(ADMIN_ONLY_GROUP);
      await page.getByTestId('dotfiles-list-empty').waitFor({ timeout: SAVE_TIMEOUT_MS });
      expect(await page.getByTestId('dotfiles-readonly').count()).toBe(0);
      await newFile('.inputrc', 'set bell-style none\n');
      await save().click();
      await savedToast('~/.inputrc').waitFor({ timeout: SAVE_TIMEOUT_MS });
      // Listed again after the save: read back through the helper, Alice not being in the group.
      await row('.inputrc').waitFor({ timeout: SAVE_TIMEOUT_MS });
      const stored = dotfileStoreSchema.parse(
        JSON.parse(await readFile(host.groupStorePath(ADMIN_ONLY_GROUP), 'utf8')),
      );
      expect(stored.files['.inputrc']?.content).toBe('set bell-style none\n');
      await picker.selectOption(GROUP);
      await row('/etc/profile.d/lab.sh').waitFor({ timeout: SAVE_TIMEOUT_MS });
    });

    it("shows a non-admin the group's and the lab's files read-only, with the reason", async () => {
      await chooseHost('bob-lab');
      await page.getByTestId('dotfiles-level-group').click();
      expect(await page.getByTestId('dotfiles-group').inputValue()).toBe(GROUP);
      expect(await page.getByTestId('dotfiles-readonly').textContent()).toBe(
        `Read-only: Only the admins of group ${GROUP} may change its dotfiles; you are not one on bob-lab.`,
      );
      expect(await page.getByTestId('dotfiles-new').getAttribute('aria-disabled')).toBe('true');
      await row('/etc/profile.d/lab.sh').click();
      await editor().waitFor();
      expect(await content().getAttribute('contenteditable')).toBe('false');
      expect(await page.getByTestId('dotfile-language').textContent()).toBe('Shell · read-only');
      expect(await save().count()).toBe(0);
      expect(await page.getByTestId('dotfile-remove').count()).toBe(0);
      await content().click();
      await page.keyboard.type('rm -rf /');
      expect(await lines()).toEqual(['export LAB_DATA=/data', '']);

      await page.getByTestId('dotfiles-level-domain').click();
      expect(await page.getByTestId('dotfiles-readonly').textContent()).toContain(
        "Only the lab's admins may change the lab's dotfiles",
      );
      await page.getByTestId('dotfiles-level-user').click();
      expect(await page.getByTestId('dotfiles-readonly').count()).toBe(0);
    });

    it('asks before another host drops unsaved text, and says a host without setup keeps group and lab files read-only', async () => {
      await chooseHost('alice-lab');
      await newFile('.screenrc', 'startup_message off\n');
      await page.getByTestId('dotfiles-host').selectOption({ label: 'bob-lab' });
      const discard = page.getByTestId('dotfile-discard-dialog');
      await discard.waitFor();
      await discard.getByRole('button', { name: 'Cancel' }).click();
      expect(await page.locator('[data-testid="dotfiles-host"] option:checked').textContent()).toBe(
        'alice-lab',
      );
      expect(await page.getByTestId('dotfile-path').inputValue()).toBe('.screenrc');

      // The host loses its lab configuration: setup was never run (or was undone).
      const configFile = host.installed.paths.configFile;
      await rename(configFile, `${configFile}.away`);
      try {
        await page.getByTestId('dotfiles-host').selectOption({ label: 'bob-lab' });
        await page.getByTestId('dotfile-discard-confirm').click();
        // Asked afresh: the lab has no name without its configuration.
        await expect
          .poll(() => page.getByTestId('dotfiles-level-domain').textContent(), {
            timeout: SAVE_TIMEOUT_MS,
          })
          .toBe('Lab');
        await page.getByTestId('dotfiles-level-group').click();
        expect(await page.getByTestId('dotfiles-readonly').textContent()).toBe(
          'Read-only: bob-lab is not set up for LabDeck (no lab configuration): group and lab dotfiles can be read but not changed until its admin runs host setup.',
        );
        expect(await page.getByTestId('dotfiles-new').getAttribute('aria-disabled')).toBe('true');
        await row('/etc/profile.d/lab.sh').waitFor({ timeout: SAVE_TIMEOUT_MS });
        await page.getByTestId('dotfiles-level-domain').click();
        expect(await page.getByTestId('dotfiles-readonly').textContent()).toContain(
          'bob-lab is not set up for LabDeck',
        );
      } finally {
        await rename(`${configFile}.away`, configFile);
      }
      await page.getByTestId('dotfiles-level-user').click();
    });

    it('previews what a new session gets: yours over the group’s over the lab’s, each with its level', async () => {
      for (const [scope, path, text] of [
        ['domain', '/etc/bash.bashrc', 'export LAB=1\n'],
        ['domain', '.bashrc', '# lab\n'],
        ['domain', '.vimrc', '" lab\n'],
        ['group', '.vimrc', '" group\n'],
      ] as const)
        value(
          await elsewhere.client.request('dotfiles:set', {
            hostId: 'elsewhere',
            scope,
            ...(scope === 'group' ? { group: GROUP } : {}),
            path,
            content: text,
          }),
        );
      const rows = async () =>
        page
          .getByTestId('dotfile-preview-row')
          .evaluateAll((found) =>
            found.map((r) => [
              (r as unknown as { dataset: { path: string } }).dataset.path,
              (r as unknown as { dataset: { scope: string } }).dataset.scope,
              (r as unknown as { textContent: string }).textContent,
            ]),
          );

      await chooseHost('alice-lab');
      await page.getByTestId('dotfiles-tab-files').focus();
      await page.keyboard.press('ArrowRight'); // the tabs move with the arrow keys
      expect(await page.getByTestId('dotfiles-tab-preview').getAttribute('aria-selected')).toBe(
        'true',
      );
      expect(await page.getByTestId('dotfile-preview-group').inputValue()).toBe(GROUP);
      await page.getByTestId('dotfile-preview-list').waitFor({ timeout: SAVE_TIMEOUT_MS });
      const alices = await rows();
      expect(alices.map(([path, scope]) => [path, scope])).toEqual([
        ['.bashrc', 'user'],
        ['.vimrc', 'group'],
        ['/etc/bash.bashrc', 'domain'],
        ['/etc/profile.d/lab.sh', 'group'],
      ]);
      expect(alices[0]![2]).toContain('yours');
      expect(alices[0]![2]).toContain('overrides the lab’s');
      expect(alices[1]![2]).toContain(`group ${GROUP}`);
      expect(alices[1]![2]).toContain('overrides the lab’s');
      expect(alices[2]![2]).toContain('the lab');

      // Bob has no .bashrc of his own: the lab's applies to him.
      await chooseHost('bob-lab');
      await page.getByTestId('dotfile-preview-list').waitFor({ timeout: SAVE_TIMEOUT_MS });
      expect((await rows()).map(([path, scope]) => [path, scope])).toEqual([
        ['.bashrc', 'domain'],
        ['.vimrc', 'group'],
        ['/etc/bash.bashrc', 'domain'],
        ['/etc/profile.d/lab.sh', 'group'],
      ]);
      await page.getByTestId('dotfiles-tab-files').click();
    });

    it('offers the group in the New session form, primary preselected, and starts a session that has its files', async () => {
      await page.getByTestId('nav-sessions').click();
      await page.getByTestId('sessions-new').click();
      const form = page.getByTestId('session-form');
      await form.getByTestId('session-form-hostId').selectOption({ label: 'alice-lab' });
      const picker = form.getByTestId('session-form-group');
      await picker.waitFor({ timeout: SAVE_TIMEOUT_MS });
      expect(await picker.inputValue()).toBe(GROUP);
      expect(await picker.locator('option:checked').textContent()).toBe(`${GROUP} (primary)`);
      await form.getByTestId('session-dotfiles-toggle').click();
      const files = form.getByTestId('session-dotfile');
      await files.first().waitFor({ timeout: SAVE_TIMEOUT_MS });
      expect(await files.allTextContents()).toEqual([
        '~/.bashrc from yours',
        `~/.vimrc from group ${GROUP}`,
        '/etc/bash.bashrc from the lab',
        `/etc/profile.d/lab.sh from group ${GROUP}`,
      ]);

      await form.getByTestId('session-form-image').fill(TEST_IMAGE);
      await form.getByTestId('session-form-gpus').fill('0');
      await form.getByTestId('session-form-name').fill('dotty');
      await form.getByTestId('session-form-command').fill('exec sleep 3600');
      await form.getByTestId('session-form-submit').click();
      const started = page.locator('.toast', { hasText: 'Started dotty.' });
      const refusedStart = form.getByTestId('session-form-error');
      await started.or(refusedStart).waitFor({ timeout: START_TIMEOUT_MS });
      if (await refusedStart.isVisible())
        throw new Error(`not started: ${await refusedStart.textContent()}`);
      expect(await started.textContent()).toContain(`Dotfiles (group ${GROUP}): 4 files written.`);

      const [info] = await dockerd.docker.listContainers({ filters: { name: ['dotty'] } });
      const container = dockerd.docker.getContainer(info!.Id);
      const inside = await execInContainer(dockerd.docker, container, [
        'cat',
        '/root/.bashrc',
        '/root/.vimrc',
        '/etc/profile.d/lab.sh',
      ]);
      expect(inside).toEqual({ exitCode: 0, stdout: '# mine\n" group\nexport LAB_DATA=/data\n' });
      await container.remove({ force: true });
    }, 120_000);

    it('refuses a group Alice left while the form was open beside the group picker, with the hint, creating nothing', async () => {
      await page.getByTestId('nav-sessions').click();
      await page.getByTestId('sessions-new').click();
      const form = page.getByTestId('session-form');
      await form.getByTestId('session-form-hostId').selectOption({ label: 'alice-lab' });
      const picker = form.getByTestId('session-form-group');
      await picker.waitFor({ timeout: SAVE_TIMEOUT_MS });
      // A session needs membership: the group she only administers is not offered.
      const offered = await optionTexts(picker);
      expect(offered).toContain(LEFT_GROUP);
      expect(offered).not.toContain(ADMIN_ONLY_GROUP);
      expect(offered.some((text) => text.includes('(admin)'))).toBe(false);
      await picker.selectOption(LEFT_GROUP);
      await form.getByTestId('session-form-image').fill(TEST_IMAGE);
      await form.getByTestId('session-form-gpus').fill('0');
      await form.getByTestId('session-form-name').fill('left');
      await form.getByTestId('session-form-command').fill('exec sleep 3600');
      await run('gpasswd', ['-d', alice.username, LEFT_GROUP]);

      await form.getByTestId('session-form-submit').click();
      const errors = form.getByTestId('session-form-group-errors');
      await errors.waitFor({ timeout: START_TIMEOUT_MS });
      expect(await errors.textContent()).toContain(
        `You (${alice.username}) are not in group ${LEFT_GROUP}`,
      );
      expect(await errors.textContent()).toContain('Pick one of them');
      expect(await picker.getAttribute('aria-invalid')).toBe('true');
      expect(await form.getByTestId('session-form-error').count()).toBe(0);
      // Scrolled to where the reason is, and Start waits for another group.
      const [box, view] = [await errors.boundingBox(), page.viewportSize()];
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.y + box!.height).toBeLessThanOrEqual(view!.height);
      expect(await form.getByTestId('session-form-submit').isDisabled()).toBe(true);
      expect(
        await dockerd.docker.listContainers({ all: true, filters: { name: ['left'] } }),
      ).toEqual([]);
      await picker.selectOption(GROUP);
      await errors.waitFor({ state: 'detached' });
      expect(await form.getByTestId('session-form-submit').isDisabled()).toBe(false);
      await form.getByRole('button', { name: 'Cancel' }).click();
    });

    it('drew every editor under the app’s Content-Security-Policy, nothing refused', () => {
      // The editors' styles are adopted stylesheets of their shadow roots, nothing inline; and
      // zod runs jitless, so not even its caught `new Function` probe is reported.
      expect(refused).toEqual([]);
    });
  },
);
