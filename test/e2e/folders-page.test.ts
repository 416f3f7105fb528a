import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { QUOTA_NOT_ENFORCED_XFS } from '../../common/folders/folder-view';
import {
  describeWithParts,
  ensureBuilt,
  ensureTestImage,
  execInContainer,
  SESSION_DOCKER_GROUP,
  startDockerd,
  TEST_IMAGE,
  type DockerDaemon,
  launchChromium,
  startBrowserMode,
  startSshd,
  stopAgents,
  type BrowserMode,
  type Sshd,
  type TestUser,
} from '../harness';
import { runAs } from '../integration/host-setup/privileged-fixture';
import {
  FOLDER_HOST_PARTS,
  makeFolderHost,
  type FolderHost,
} from '../integration/folders/folder-fixture';
import { activeElement, hostCard, submitHostForm, waitForPhase } from './hosts-ui';

const run = promisify(execFile);

/** This file's own sudo group: the setup tests create and remove the real `labdeck`. */
const GROUP = 'labdeck-test-fui';
/** A first connect pushes the agent over SSH; a loaded 2-core runner needs its time. */
const CONNECT_TIMEOUT_MS = 90_000;
/** A change goes window → main → agent → sudo → helper; the first sudo is the slowest. */
const CHANGE_TIMEOUT_MS = 30_000;
/** Starting a container on the file's own engine, its folders resolved on the host first. */
const START_TIMEOUT_MS = 45_000;
/** A 13" laptop, the size the README's screenshots are taken at. */
const VIEWPORT = { width: 1280, height: 800 };
/** Files in the folder whose clone is cancelled: enough that cp takes a while. */
const MANY_DIRS = 40;
const FILES_PER_DIR = 1000;

describeWithParts(
  [...FOLDER_HOST_PARTS, 'sshd', 'chromium', 'dockerd', 'busybox', 'tar'],
  'the Folders page in browser mode, on XFS through the real sshd',
  () => {
    let host: FolderHost;
    let alice: TestUser;
    let bob: TestUser;
    let sshd: Sshd;
    let dockerd: DockerDaemon;
    let home: string;
    let server: BrowserMode;
    let browser: Browser;
    let page: Page;

    /** The row of folder `name` on the page. */
    const row = (name: string): Locator =>
      page.locator(`[data-testid="folder-row"][data-folder="${name}"]`);
    const chooseHost = async (name: string): Promise<void> => {
      await page.getByTestId('folders-host').selectOption({ label: name });
      await page.getByTestId('folder-list').or(page.getByTestId('folders-empty')).waitFor();
    };

    beforeAll(async () => {
      await ensureBuilt();
      host = await makeFolderHost({ group: GROUP, users: ['fu-alice', 'fu-bob'] });
      [alice, bob] = host.users as [TestUser, TestUser];
      sshd = await startSshd({
        config: {
          SetEnv: `LABDECK_SYSTEM_ROOT=${host.installed.root} LABDECK_HELPER_GROUP=${GROUP}`,
        },
      });
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
      home = await mkdtemp(join(tmpdir(), 'labdeck-e2e-folders-'));
      await mkdir(join(home, '.ssh'));
      await writeFile(
        join(home, '.ssh/known_hosts'),
        `[${sshd.host}]:${sshd.port} ${sshd.hostPublicKey}\n`,
      );
      server = await startBrowserMode({ PATH: process.env.PATH, LABDECK_HOME: home, HOME: home });
      browser = await launchChromium();
      page = await browser.newPage({ viewport: VIEWPORT });
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
      await page.getByTestId('nav-folders').click();
    }, 300_000);

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await sshd?.stop();
      for (const user of [alice, bob]) if (user) await stopAgents(user.username);
      // Its containers go with it, so nothing holds the XFS mount when the host is removed.
      await dockerd?.stop();
      await host?.remove();
      if (home) await rm(home, { recursive: true, force: true });
    });

    it('refuses bad names beside the field with Create disabled, then makes the folder', async () => {
      await chooseHost('alice-lab');
      await page.getByTestId('folders-new').click();
      const dialog = page.getByTestId('folder-new-dialog');
      await dialog.waitFor();
      const name = dialog.getByTestId('folder-new-name');
      const errors = dialog.getByTestId('folder-new-name-errors');
      const submit = dialog.getByTestId('folder-new-submit');

      await name.fill('.bashrc');
      expect(await errors.textContent()).toContain('is reserved');
      expect(await submit.isDisabled()).toBe(true);
      await name.fill('a/b');
      expect(await errors.textContent()).toContain('may have only letters, digits');
      expect(await submit.isDisabled()).toBe(true);
      await name.press('Enter'); // refused in the form: nothing is sent
      expect(await dialog.isVisible()).toBe(true);

      await dialog.getByTestId('folder-new-quota').fill('ten gigs');
      expect(await dialog.getByTestId('folder-new-quota-errors').textContent()).toContain(
        '"ten gigs" is not a size',
      );
      await dialog.getByTestId('folder-new-quota').fill('1g');
      await name.fill('data');
      expect(await errors.count()).toBe(0);
      await dialog.getByTestId('folder-new-volume').selectOption('xfs');
      await dialog.getByTestId('folder-new-cloneable').check();
      await submit.click();
      await dialog.waitFor({ state: 'detached', timeout: CHANGE_TIMEOUT_MS });

      const data = page.getByTestId('folders-mine').locator('[data-folder="data"]');
      await data.waitFor();
      expect(await data.getByTestId('folder-permission').textContent()).toBe('owner');
      expect(await data.getByTestId('folder-cloneable').count()).toBe(1);
      expect(await data.textContent()).toContain('on volume xfs');
      // This kernel mounts XFS without project quota: said, not hidden.
      expect(await data.getByTestId('folder-quota-note').textContent()).toContain(
        QUOTA_NOT_ENFORCED_XFS,
      );
      await expect
        .poll(() => data.getByTestId('folder-usage-text').textContent(), { timeout: 15_000 })
        .toMatch(/ of 1 GiB$/);
    });

    it('keeps a dot-folder private: Share is disabled with the reason', async () => {
      await page.keyboard.press('n'); // the page's New folder shortcut
      const dialog = page.getByTestId('folder-new-dialog');
      await dialog.waitFor();
      await dialog.getByTestId('folder-new-name').fill('.local');
      await dialog.getByTestId('folder-new-submit').click();
      await dialog.waitFor({ state: 'detached', timeout: CHANGE_TIMEOUT_MS });
      const local = row('.local');
      await local.waitFor();
      expect(await local.getByTestId('folder-share').isDisabled()).toBe(true);
      expect(await local.getByTestId('folder-private-note').textContent()).toContain(
        'Dot-folders are private',
      );
      expect(await row('data').getByTestId('folder-share').isDisabled()).toBe(false);
    });

    it('shares a folder read-only; the invitee sees it counted, accepts, and can read but not write', async () => {
      await row('data').getByTestId('folder-share').click();
      const share = page.getByTestId('folder-share-dialog');
      await share.getByTestId('folder-share-user').fill(bob.username);
      await share.getByTestId('folder-share-ro').check();
      await share.getByTestId('folder-share-submit').click();
      await share.waitFor({ state: 'detached', timeout: CHANGE_TIMEOUT_MS });

      // Alice's outgoing invitation is pending, and can be cancelled there.
      await page.getByTestId('folders-invitations').click();
      const inbox = page.getByTestId('invitations-dialog');
      const outgoing = inbox.getByTestId('invitations-outgoing').getByTestId('invitation');
      expect(await outgoing.textContent()).toContain(`You invited ${bob.username} to data`);
      expect(await outgoing.getByTestId('invitation-cancel').count()).toBe(1);
      await page.keyboard.press('Escape');

      // Bob has a "data" of his own: accepting under that name clashes.
      await chooseHost('bob-lab');
      await page.getByTestId('folders-new').click();
      const create = page.getByTestId('folder-new-dialog');
      await create.getByTestId('folder-new-name').fill('data');
      await create.getByTestId('folder-new-submit').click();
      await create.waitFor({ state: 'detached', timeout: CHANGE_TIMEOUT_MS });

      // Bob's host counts the invitation in the nav once his listing is asked again.
      const badge = page.getByTestId('nav-folders-badge');
      await expect.poll(() => badge.textContent(), { timeout: 15_000 }).toBe('1');
      await page.getByTestId('folders-invitations').click();
      const incoming = inbox.getByTestId('invitations-incoming').getByTestId('invitation');
      expect(await incoming.textContent()).toContain(`${alice.username} invites you to data`);
      await incoming.getByTestId('invitation-accept').click();
      // The clash is said beside a name field, with the way out.
      const alias = incoming.getByTestId('invitation-alias');
      await alias.waitFor({ timeout: CHANGE_TIMEOUT_MS });
      expect(await incoming.getByTestId('invitation-alias-errors').textContent()).toContain(
        `You already have a folder named "data" on this host, so ${alice.username}'s "data" cannot take that name.`,
      );
      await alias.fill('alice-data');
      await incoming.getByTestId('invitation-accept-as').click();
      await incoming.waitFor({ state: 'detached', timeout: CHANGE_TIMEOUT_MS });
      await page.keyboard.press('Escape');
      await badge.waitFor({ state: 'detached' });

      const shared = page.getByTestId('folders-shared').locator('[data-folder="alice-data"]');
      await shared.waitFor();
      expect(await shared.textContent()).toContain(`${alice.username}’s`);
      expect(await shared.getByTestId('folder-permission').textContent()).toBe('read-only');
      expect(await shared.getByTestId('folder-leave').count()).toBe(1);
      expect(await shared.getByTestId('folder-share').count()).toBe(0);

      // The filesystem holds it, not only the app.
      const path = await folderPath('alice-data');
      await runAs(alice.username, ['sh', '-c', `echo hello > "$1"/readme.txt`, 'sh', path]);
      expect((await runAs(bob.username, ['cat', join(path, 'readme.txt')])).stdout).toBe('hello\n');
      expect((await runAs(bob.username, ['touch', join(path, 'bob.txt')])).code).not.toBe(0);
    });

    it('clones a folder into a new one of its own, with the same files', async () => {
      await chooseHost('alice-lab');
      await row('data').getByTestId('folder-clone').click();
      const dialog = page.getByTestId('folder-clone-dialog');
      const field = dialog.getByTestId('folder-clone-dialog-field');
      expect(await field.inputValue()).toBe('data-copy');
      await field.fill('data'); // taken
      expect(await dialog.getByTestId('folder-clone-dialog-field-errors').textContent()).toContain(
        'already have a folder named "data"',
      );
      await field.fill('data-copy');
      await dialog.getByTestId('folder-clone-dialog-submit').click();
      await dialog.waitFor({ state: 'detached', timeout: CHANGE_TIMEOUT_MS });
      const copy = page.getByTestId('folders-mine').locator('[data-folder="data-copy"]');
      await copy.waitFor();
      await expect.poll(() => copy.getAttribute('data-state'), { timeout: 30_000 }).toBe('ready');
      const copyPath = await folderPath('data-copy');
      expect(await readdir(copyPath)).toEqual(['readme.txt']);
    });

    it('shows a long clone’s progress and cancels it, leaving nothing behind', async () => {
      const path = await dataPath();
      const script = `const fs = require('node:fs'); const [root] = process.argv.slice(1);
        for (let d = 0; d < ${MANY_DIRS}; d++) { fs.mkdirSync(root + '/many/' + d, { recursive: true });
          for (let f = 0; f < ${FILES_PER_DIR}; f++) fs.writeFileSync(root + '/many/' + d + '/' + f, d + ' ' + f); }`;
      expect((await runAs(alice.username, [process.execPath, '-e', script, path])).code).toBe(0);
      const volumeDir = join(host.volume('xfs').path, 'labdeck-folders');
      const before = (await readdir(volumeDir)).sort();
      await row('data').getByTestId('folder-clone').click();
      const dialog = page.getByTestId('folder-clone-dialog');
      await dialog.getByTestId('folder-clone-dialog-field').fill('big-copy');
      await dialog.getByTestId('folder-clone-dialog-submit').click();
      await dialog.waitFor({ state: 'detached', timeout: CHANGE_TIMEOUT_MS });

      const copy = row('big-copy');
      const progress = copy.getByTestId('folder-clone-progress');
      await progress.waitFor({ timeout: CHANGE_TIMEOUT_MS });
      expect(await copy.getAttribute('data-state')).toBe('cloning');
      await expect
        .poll(() => progress.getByTestId('folder-clone-text').textContent())
        .toMatch(/^Copying… .+ of .+ \(\d+%\)$/);
      await progress.getByTestId('folder-clone-cancel').click();
      await copy.waitFor({ state: 'detached', timeout: CHANGE_TIMEOUT_MS });
      // The half-made copy went: the volume holds the folders it held before.
      await expect.poll(async () => (await readdir(volumeDir)).sort()).toEqual(before);
      // Leaving walks the tree to drop ACL entries: the many files go first.
      await runAs(alice.username, ['rm', '-rf', '--', join(path, 'many')]);
    });

    it('moves a folder to the trash, restores it, and deletes it forever from there', async () => {
      // The README's picture: alice's folders, their usage and quota notes, once toasts went.
      await page.locator('.toast').first().waitFor({ state: 'detached', timeout: 10_000 });
      await page.screenshot({
        path: join(import.meta.dirname, '../../docs/screenshots/folders.png'),
      });
      await row('data-copy').getByTestId('folder-trash').click();
      await page.getByTestId('folder-trash-confirm').click();
      const trashed = page.getByTestId('folders-trash').locator('[data-folder="data-copy"]');
      await trashed.waitFor({ timeout: CHANGE_TIMEOUT_MS });
      await trashed.getByTestId('folder-restore').click();
      await page
        .getByTestId('folders-mine')
        .locator('[data-folder="data-copy"]')
        .waitFor({ timeout: CHANGE_TIMEOUT_MS });
      await row('data-copy').getByTestId('folder-trash').click();
      await page.getByTestId('folder-trash-confirm').click();
      await trashed.waitFor({ timeout: CHANGE_TIMEOUT_MS });
      await trashed.getByTestId('folder-purge').click();
      await page.getByTestId('folder-purge-confirm').click();
      await trashed.waitFor({ state: 'detached', timeout: CHANGE_TIMEOUT_MS });
      expect(await row('data-copy').count()).toBe(0);
    });

    it('lets the invitee leave: the folder goes from their list, its files stay', async () => {
      const path = await dataPath();
      await chooseHost('bob-lab');
      await row('alice-data').getByTestId('folder-leave').click();
      const confirm = page.getByTestId('folder-leave-dialog');
      expect(await confirm.textContent()).toContain('its files and its other members stay');
      await page.getByTestId('folder-leave-confirm').click();
      await row('alice-data').waitFor({ state: 'detached', timeout: CHANGE_TIMEOUT_MS });
      expect(await row('data').getByTestId('folder-permission').textContent()).toBe('owner');
      expect((await runAs(bob.username, ['cat', join(path, 'readme.txt')])).code).not.toBe(0);
      expect((await runAs(alice.username, ['cat', join(path, 'readme.txt')])).stdout).toBe(
        'hello\n',
      );
    });

    it("lists who a folder is shared with in Share, and Remove access takes bob's access back", async () => {
      await chooseHost('alice-lab');
      const path = await dataPath();
      const share = page.getByTestId('folder-share-dialog');
      const grantee = share.locator(`[data-testid="folder-grantee"][data-user="${bob.username}"]`);
      await row('data').getByTestId('folder-share').click();
      expect(await share.getByTestId('folder-grantees').textContent()).toContain(
        'Nobody yet: only you can see data.',
      );
      await share.getByTestId('folder-share-user').fill(bob.username);
      await share.getByTestId('folder-share-rw').check();
      await share.getByTestId('folder-share-submit').click();
      await share.waitFor({ state: 'detached', timeout: CHANGE_TIMEOUT_MS });
      await row('data').getByTestId('folder-share').click();
      expect(await grantee.getAttribute('data-state')).toBe('pending');
      expect(await grantee.textContent()).toContain('read-write · invited, not answered yet');
      expect(await grantee.getByTestId('folder-grantee-remove').textContent()).toBe(
        'Cancel invitation',
      );
      await page.keyboard.press('Escape');

      await chooseHost('bob-lab');
      await page.getByTestId('folders-invitations').click();
      const incoming = page.getByTestId('invitations-incoming').getByTestId('invitation');
      await incoming.getByTestId('invitation-open-alias').click();
      await incoming.getByTestId('invitation-alias').fill('alice-data');
      await incoming.getByTestId('invitation-accept-as').click();
      await incoming.waitFor({ state: 'detached', timeout: CHANGE_TIMEOUT_MS });
      await page.keyboard.press('Escape');
      await row('alice-data').waitFor({ timeout: CHANGE_TIMEOUT_MS });
      expect((await runAs(bob.username, ['cat', join(path, 'readme.txt')])).stdout).toBe('hello\n');

      await chooseHost('alice-lab');
      await row('data').getByTestId('folder-share').click();
      await expect.poll(() => grantee.getAttribute('data-state')).toBe('accepted');
      expect(await grantee.textContent()).toContain('read-write · has access');
      await grantee.getByRole('button', { name: `Remove access of ${bob.username}` }).click();
      await grantee.waitFor({ state: 'detached', timeout: CHANGE_TIMEOUT_MS });
      expect(await page.locator('.toast').last().textContent()).toContain(
        `${bob.username} no longer has access to data.`,
      );
      // The row that had the focus went: the focus is on the User field, ready for the next.
      expect(await activeElement(page, 'dataset.testid')).toBe('folder-share-user');
      // A click on the dialog's text focuses the dialog itself; Shift+Tab from there stays inside.
      await share.getByRole('heading', { name: 'Share data' }).click();
      expect(await activeElement(page, 'tagName')).toBe('DIALOG');
      await page.keyboard.press('Shift+Tab');
      expect(await activeElement(page, 'dataset.testid')).toBe('folder-share-submit');
      await page.keyboard.press('Escape');
      expect((await runAs(bob.username, ['cat', join(path, 'readme.txt')])).code).not.toBe(0);

      await chooseHost('bob-lab');
      await row('data').waitFor({ timeout: CHANGE_TIMEOUT_MS });
      await expect.poll(() => row('alice-data').count(), { timeout: 15_000 }).toBe(0);
    });

    it('opens on the host chosen last after a reload', async () => {
      await page.reload();
      await page.getByTestId('nav-folders').click();
      await expect
        .poll(() => page.locator('[data-testid="folders-host"] option:checked').textContent())
        .toBe('bob-lab');
      await row('data').waitFor({ timeout: CHANGE_TIMEOUT_MS });
    });

    it("offers the host's folders in the session form, dot-folders said to come by themselves", async () => {
      await page.getByTestId('nav-sessions').click();
      await page.getByTestId('sessions-new').click();
      const form = page.getByTestId('session-form');
      await form.getByTestId('session-form-hostId').selectOption({ label: 'alice-lab' });
      const mounts = form.getByTestId('session-form-mounts');
      const data = mounts.locator('[data-testid="session-mount"][data-folder="data"]');
      await data.waitFor({ timeout: CHANGE_TIMEOUT_MS });
      expect(await mounts.locator('[data-testid="session-mount"]').count()).toBe(1);
      expect(await mounts.getByTestId('session-mounts-note').textContent()).toContain(
        'Your dot-folders (.local) are mounted into every session automatically.',
      );
      const readOnly = data.getByTestId('session-mount-readonly');
      expect(await readOnly.isDisabled()).toBe(true); // until the folder is chosen
      await data.getByTestId('session-mount-choose').check();
      await readOnly.check();
      expect(await readOnly.isChecked()).toBe(true);
      await page.keyboard.press('Escape');
      await form.waitFor({ state: 'detached' });
    });

    it("makes a group folder that the group's members find under Group folders", async () => {
      await page.getByTestId('nav-folders').click();
      await chooseHost('alice-lab');
      await page.getByTestId('folders-new').click();
      const dialog = page.getByTestId('folder-new-dialog');
      await dialog.getByTestId('folder-new-name').fill('team');
      await dialog.getByTestId('folder-new-group').fill('Team Vision');
      expect(await dialog.getByTestId('folder-new-group-errors').textContent()).toContain(
        'is not a Unix group name',
      );
      expect(await dialog.getByTestId('folder-new-submit').isDisabled()).toBe(true);
      await dialog.getByTestId('folder-new-group').fill(GROUP);
      await dialog.getByTestId('folder-new-submit').click();
      await dialog.waitFor({ state: 'detached', timeout: CHANGE_TIMEOUT_MS });
      expect(await row('team').textContent()).toContain(`group ${GROUP}`);

      await chooseHost('bob-lab');
      const team = page.getByTestId('folders-group').locator('[data-folder="team"]');
      await team.waitFor({ timeout: CHANGE_TIMEOUT_MS });
      expect(await team.textContent()).toContain(`${alice.username}’s · group ${GROUP}`);
    });

    it('renames a folder, sets its quota, and withdraws a pending invitation', async () => {
      await chooseHost('alice-lab');
      await row('team').getByTestId('folder-rename').click();
      const rename = page.getByTestId('folder-rename-dialog');
      const field = rename.getByTestId('folder-rename-dialog-field');
      await field.fill('.bashrc');
      expect(await rename.getByTestId('folder-rename-dialog-field-errors').textContent()).toContain(
        'is reserved',
      );
      expect(await rename.getByTestId('folder-rename-dialog-submit').isDisabled()).toBe(true);
      await field.fill('team-vision');
      await field.press('Enter');
      await rename.waitFor({ state: 'detached', timeout: CHANGE_TIMEOUT_MS });
      await row('team-vision').waitFor();

      await row('data').getByTestId('folder-quota').click();
      const quota = page.getByTestId('folder-quota-dialog');
      expect(await quota.getByTestId('folder-quota-dialog-field').inputValue()).toBe('1g');
      await quota.getByTestId('folder-quota-dialog-field').fill('2g');
      expect(await quota.getByTestId('folder-quota-cloneable').isChecked()).toBe(true);
      await quota.getByTestId('folder-quota-cloneable').uncheck();
      await quota.getByTestId('folder-quota-dialog-submit').click();
      await quota.waitFor({ state: 'detached', timeout: CHANGE_TIMEOUT_MS });
      await expect
        .poll(() => row('data').getByTestId('folder-usage-text').textContent())
        .toMatch(/ of 2 GiB$/);
      expect(await row('data').getByTestId('folder-cloneable').count()).toBe(0);

      await row('data').getByTestId('folder-share').click();
      const share = page.getByTestId('folder-share-dialog');
      await share.getByTestId('folder-share-user').fill(bob.username);
      await share.getByTestId('folder-share-rw').check();
      await share.getByTestId('folder-share-submit').click();
      await share.waitFor({ state: 'detached', timeout: CHANGE_TIMEOUT_MS });
      await page.getByTestId('folders-invitations').click();
      const outgoing = page.getByTestId('invitations-outgoing').getByTestId('invitation');
      expect(await outgoing.textContent()).toContain('read-write');
      await outgoing.getByTestId('invitation-cancel').click();
      await outgoing.waitFor({ state: 'detached', timeout: CHANGE_TIMEOUT_MS });
      await page.keyboard.press('Escape');
      await chooseHost('bob-lab');
      await page.getByTestId('folders-invitations').click();
      expect(await page.getByTestId('invitations-incoming').textContent()).toContain(
        'No invitation is waiting for your answer.',
      );
      await page.keyboard.press('Escape');
    });

    it('mounts a folder read-only into a session, with the dot-folders, and will not trash it while mounted', async () => {
      await page.getByTestId('nav-sessions').click();
      await page.getByTestId('sessions-new').click();
      const form = page.getByTestId('session-form');
      await form.getByTestId('session-form-hostId').selectOption({ label: 'alice-lab' });
      await form.getByTestId('session-form-image').fill(TEST_IMAGE);
      await form.getByTestId('session-form-gpus').fill('0');
      await form.getByTestId('session-form-name').fill('mounter');
      await form.getByTestId('session-form-command').fill('exec sleep 3600');
      const data = form.locator('[data-testid="session-mount"][data-folder="data"]');
      await data.getByTestId('session-mount-choose').check();
      await data.getByTestId('session-mount-readonly').check();
      await form.getByTestId('session-form-submit').click();
      const card = page.locator('[data-testid="session-card"][data-session="mounter"]');
      const refusedStart = form.getByTestId('session-form-error');
      await card.or(refusedStart).waitFor({ timeout: START_TIMEOUT_MS });
      if (await refusedStart.isVisible())
        throw new Error(`not started: ${await refusedStart.textContent()}`);
      await expect
        .poll(() => card.getAttribute('data-status'), { timeout: START_TIMEOUT_MS })
        .toBe('running');
      expect(await card.getByTestId('session-mounts').textContent()).toContain(
        'data → /home/work/data (read-only)',
      );

      const [info] = await dockerd.docker.listContainers({ filters: { name: ['mounter'] } });
      const container = dockerd.docker.getContainer(info!.Id);
      const inside = await execInContainer(dockerd.docker, container, [
        'sh',
        '-c',
        'cat /home/work/data/readme.txt && test -d /home/work/.local && ! touch /home/work/data/x',
      ]);
      expect(inside).toEqual({ exitCode: 0, stdout: 'hello\n' });

      await page.getByTestId('nav-folders').click();
      await chooseHost('alice-lab');
      await row('data').getByTestId('folder-trash').click();
      const trash = page.getByTestId('folder-trash-dialog');
      await trash.getByTestId('folder-trash-confirm').click();
      const refused = trash.getByRole('alert');
      await refused.waitFor({ timeout: CHANGE_TIMEOUT_MS });
      expect(await refused.textContent()).toContain('mounter');
      await page.keyboard.press('Escape');
      expect(await row('data').getAttribute('data-state')).toBe('ready');
      await container.remove({ force: true });
    }, 120_000);

    /** The directory of alice's folder `name`, as her listing on the page's host names it. */
    async function folderPath(name: string): Promise<string> {
      const result = await page.evaluate<string>(
        `document.querySelector('[data-testid="folder-row"][data-folder="${name}"]')?.dataset.path ?? ''`,
      );
      if (result === '') throw new Error(`no path shown for ${name}`);
      return result;
    }
    function dataPath(): Promise<string> {
      return folderPath('data');
    }
  },
);
