import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeWithParts,
  launchChromium,
  startBrowserMode,
  startRegistry,
  startSessionHost,
  TEST_IMAGE,
  type BrowserMode,
  type Registry,
  type SessionHost,
  type SessionUser,
} from '../harness';
import { activeElement, hostCard, waitForPhase } from './hosts-ui';

/** A first connect pushes the agent over SSH; a loaded 2-core runner needs its time. */
const CONNECT_TIMEOUT_MS = 90_000;
/** Starting a container on the private engine, forwards included. */
const START_TIMEOUT_MS = 45_000;
/** A 13" laptop, the size the README's screenshot is taken at. */
const VIEWPORT = { width: 1280, height: 800 };
/** An image made in the test with the service-ports label, and what the label says. */
const LABELLED_IMAGE_REPO = 'labdeck-test/jupyterish';
const LABELLED_PORTS = 'jupyter:http:8888,tb:http:6006';
/** Prints a line with a multi-byte character (split across chunks it must still decode), then idles. */
const TRAIN = 'echo "epoch 1 loss ≈ 0.42" && exec sleep 3600';
/** Serves one page on 8080 from busybox's httpd, as a session's service. */
const SERVE_PAGE = 'mkdir -p /www && echo hi > /www/index.html && exec httpd -f -p 8080 -h /www';
/** The image pushed to the test's registry: the test image, a layer of its own, and a label. */
const PULLED_REPO = 'labdeck-test/pulled';
const PULLED_PORTS = 'web:http:8080';
/** Random bytes in its own layer: enough that Docker reports the download with its size. */
const PULLED_LAYER_BYTES = 2_000_000;
/** Pulling two small layers from a loopback registry, then listing the host's images again. */
const PULL_TIMEOUT_MS = 30_000;

describeWithParts(
  ['root', 'sshd', 'dockerd', 'docker-registry', 'busybox', 'chromium'],
  'the Sessions page against a real GPU host',
  () => {
    let host: SessionHost;
    let ada: SessionUser;
    let grace: SessionUser;
    let server: BrowserMode;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let registry: Registry | undefined;

    const form = (): Locator => page.getByTestId('session-form');
    const card = (name: string): Locator =>
      page.locator(`[data-testid="session-card"][data-session="${name}"]`);
    const containers = () => host.dockerd.docker.listContainers({ all: true });

    /** Opens New session and fills image and GPUs; the host is the only connected one. */
    const openForm = async (gpus: string): Promise<void> => {
      await page.getByTestId('sessions-new').click();
      await form().waitFor();
      await form().getByTestId('session-form-image').fill(TEST_IMAGE);
      await form().getByTestId('session-form-gpus').fill(gpus);
    };
    const addPortRow = async (i: number, name: string, protocol: string, port: string) => {
      await form().getByTestId('session-port-add').click();
      await form().getByTestId(`session-port-${i}-name`).fill(name);
      await form().getByTestId(`session-port-${i}-protocol`).selectOption(protocol);
      await form().getByTestId(`session-port-${i}-port`).fill(port);
    };
    /** The errors shown in the same field as the input `testId`: beside it, not elsewhere. */
    const errorsBeside = (testId: string): Promise<string> =>
      form()
        .getByTestId(testId)
        .locator('xpath=..')
        .locator('.field-errors')
        .textContent({ timeout: 5_000 })
        .then((text) => text ?? '');

    beforeAll(async () => {
      host = await startSessionHost(2);
      [ada, grace] = await Promise.all([host.addUser('sesui-ada'), host.addUser('sesui-grace')]);
      await writeFile(
        join(ada.home, 'known_hosts'),
        `[${host.sshd.host}]:${host.sshd.port} ${host.sshd.hostPublicKey}\n`,
      );
      server = await startBrowserMode({
        PATH: process.env.PATH,
        LABDECK_HOME: ada.home,
        HOME: ada.home,
      });
      browser = await launchChromium();
      context = await browser.newContext({ viewport: VIEWPORT });
      page = await context.newPage();
      await page.goto(server.url);
      const lab = hostCard(page, ada.hostName);
      await lab.getByRole('button', { name: /^Connect( lab)?$/ }).click();
      await waitForPhase(lab, 'connected', CONNECT_TIMEOUT_MS).catch(async (error: unknown) => {
        const toasts = await page.locator('.toast').allTextContents();
        throw new Error(
          `lab did not connect; its card says: ${await lab.textContent()}\ntoasts: ${toasts.join(' | ')}\nserver: ${server.output().slice(-4000)}`,
          {
            cause: error,
          },
        );
      });
      await page.getByTestId('nav-sessions').click();
      await page.getByTestId('sessions-empty').waitFor({ timeout: 20_000 });
    }, 240_000);

    afterAll(async () => {
      await registry?.stop();
      await browser?.close();
      await server?.stop();
      await host?.stop();
    });

    it('prefills the service rows from the label of the image chosen', async () => {
      // An image that declares its services as Backend.AI images do, made on the host's engine.
      const docker = host.dockerd.docker;
      const made = await docker.createContainer({ Image: TEST_IMAGE, Cmd: ['true'] });
      await made.commit({
        repo: LABELLED_IMAGE_REPO,
        tag: '1',
        changes: `LABEL ai.backend.service-ports=${LABELLED_PORTS}`,
      });
      await made.remove();
      await page.getByTestId('sessions-new').click();
      await form().getByText("One of the host's 2 images").waitFor({ timeout: 10_000 });
      await form().getByTestId('session-form-image').fill(`${LABELLED_IMAGE_REPO}:1`);
      const rows = form().getByTestId('session-port-row');
      await expect.poll(() => rows.count()).toBe(2);
      expect(await form().getByTestId('session-port-0-name').inputValue()).toBe('jupyter');
      expect(await form().getByTestId('session-port-0-protocol').inputValue()).toBe('http');
      expect(await form().getByTestId('session-port-0-port').inputValue()).toBe('8888');
      expect(await form().getByTestId('session-port-1-name').inputValue()).toBe('tb');
      await page.keyboard.press('Escape');
      await form().waitFor({ state: 'detached' });
    });

    it('opens New session from the palette (Ctrl+K) and with Ctrl+N, focus on its Host field', async () => {
      const focusedTestId = () => activeElement(page, "getAttribute('data-testid')");
      // From another page: the palette's New session shows the Sessions page with the form.
      await page.getByTestId('nav-hosts').click();
      await page.getByRole('heading', { name: 'Hosts', level: 1 }).waitFor();
      await page.keyboard.press('Control+K');
      await page.getByTestId('command-palette').waitFor();
      await page.keyboard.type('new session');
      const options = page.getByTestId('palette-option');
      expect(await options.allTextContents()).toEqual(['New session']);
      await page.keyboard.press('Enter');
      await form().waitFor();
      expect(await page.locator('main').getAttribute('data-page')).toBe('sessions');
      expect(await page.getByTestId('host-form').count()).toBe(0);
      await expect.poll(focusedTestId).toBe('session-form-hostId');
      await page.keyboard.press('Escape');
      await form().waitFor({ state: 'detached' });
      // On the Sessions page Ctrl+N is New session, not Add host.
      await page.keyboard.press('Control+N');
      await form().waitFor();
      await expect.poll(focusedTestId).toBe('session-form-hostId');
      expect(await page.getByTestId('host-form').count()).toBe(0);
      await page.keyboard.press('Escape');
      await form().waitFor({ state: 'detached' });
    });

    it('shows each bad service port beside its field, keeps Start disabled and starts nothing', async () => {
      await openForm('0');
      await addPortRow(0, 'web', 'http', '80');
      await addPortRow(1, 'web', 'http', '8081');
      await addPortRow(2, 'ssh', 'tcp', '2200');
      expect(await errorsBeside('session-port-0-port')).toContain('port 80 is below 1025');
      expect(await errorsBeside('session-port-1-name')).toContain('name "web" is used twice');
      expect(await errorsBeside('session-port-2-port')).toContain('port 2200 is reserved');
      // The fields without a fault show none.
      expect(await form().getByTestId('session-port-0-name-errors').count()).toBe(0);
      expect(await form().getByTestId('session-port-2-name-errors').count()).toBe(0);
      const start = form().getByTestId('session-form-submit');
      expect(await start.isDisabled()).toBe(true);
      // Enter in a field submits a valid form; this one must stay open and start nothing.
      await form().getByTestId('session-port-2-port').press('Enter');
      expect(await form().isVisible()).toBe(true);
      // Fixing the rows enables Start: the button follows the errors, not a stale flag.
      await form().getByTestId('session-port-0-port').fill('8080');
      await form().getByTestId('session-port-1-name').fill('web2');
      await form().getByTestId('session-port-2-port').fill('2222');
      await expect.poll(() => start.isDisabled()).toBe(false);
      await form().getByTestId('session-port-0-port').fill('80');
      await expect.poll(() => start.isDisabled()).toBe(true);
      await page.keyboard.press('Escape');
      await form().waitFor({ state: 'detached' });
      expect(await containers()).toEqual([]);
    });

    it('previews 0.75 + 0.75 for 1.5 GPUs, then lists the session with its shares and tier', async () => {
      await openForm('1.5');
      await form().getByTestId('session-form-name').fill('train');
      await form().getByTestId('session-form-command').fill(TRAIN);
      const shares = form().getByTestId('session-preview-share');
      await expect
        .poll(() => shares.allTextContents(), { timeout: 15_000 })
        .toEqual([
          expect.stringMatching(/^0\.75 · \d+(\.\d)? GiB$/),
          expect.stringMatching(/^0\.75 · \d+(\.\d)? GiB$/),
        ]);
      expect(await form().getByTestId('session-preview-tier').textContent()).toContain(
        'shared, not enforced',
      );
      await form().getByTestId('session-form-submit').click();
      await form().waitFor({ state: 'detached', timeout: START_TIMEOUT_MS });
      const train = card('train');
      await train.waitFor({ timeout: 10_000 });
      await expect
        .poll(() => train.getByTestId('session-gpus').textContent())
        .toBe('GPU 0 0.75 · GPU 1 0.75');
      expect(await train.getByTestId('session-tier').textContent()).toContain(
        'shared, not enforced',
      );
      expect(await train.getAttribute('data-status')).toBe('running');
      expect(await train.getByTestId('session-status').textContent()).toMatch(/^Up /);
      expect(await containers()).toHaveLength(1);
      // Its output, on demand, streamed into the panel.
      await train.getByTestId('session-logs-toggle').click();
      await expect
        .poll(() => train.getByTestId('session-logs').locator('pre').textContent(), {
          timeout: 10_000,
        })
        .toContain('epoch 1 loss ≈ 0.42');
      await train.getByTestId('session-logs-toggle').click();
      expect(await train.getByTestId('session-logs').count()).toBe(0);
    });

    it("shows another researcher's session read-only, with its owner", async () => {
      const started = await grace.client.request('sessions:start', {
        hostId: grace.hostName,
        image: TEST_IMAGE,
        name: 'graces',
      });
      expect(started.ok, started.ok ? '' : started.error.message).toBe(true);
      const theirs = card('graces');
      await theirs.waitFor({ timeout: 15_000 });
      expect(await theirs.getByTestId('session-owner').textContent()).toBe(
        `${grace.user.username}’s · read-only`,
      );
      expect(await theirs.getByRole('button', { name: /^(Stop|Restart|Remove)/ }).count()).toBe(0);
      // Your own keep their buttons.
      expect(await card('train').getByTestId('session-stop').count()).toBe(1);
    });

    it('Open waits for the http service, then the tab it opened serves its page', async () => {
      await openForm('0');
      await form().getByTestId('session-form-command').fill(SERVE_PAGE);
      await form().getByTestId('session-form-name').fill('web');
      await addPortRow(0, 'web', 'http', '8080');
      await form().getByTestId('session-form-submit').click();
      await form().waitFor({ state: 'detached', timeout: START_TIMEOUT_MS });
      const web = card('web');
      const url = await web.getByTestId('session-port-url').textContent({ timeout: 10_000 });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      // Record every label the Open button shows, however briefly "waiting…" lasts.
      await page.evaluate(`(() => {
        window.__openLabels = [];
        const button = document.querySelector('[data-session="web"] [data-testid="session-open"]');
        new MutationObserver(() => window.__openLabels.push(button.textContent)).observe(button, {
          subtree: true, childList: true, characterData: true,
        });
      })()`);
      const opened = context.waitForEvent('page');
      await web.getByTestId('session-open').click();
      const tab = await opened;
      await tab.waitForURL(url!, { timeout: 30_000 });
      expect((await tab.textContent('body'))?.trim()).toBe('hi');
      expect(await page.evaluate('window.__openLabels')).toContain('waiting for web…');
      await expect.poll(() => web.getByTestId('session-open').textContent()).toBe('Open');
      // The README's picture: both sessions listed, once the "Started" toasts have gone.
      await page.locator('.toast').first().waitFor({ state: 'detached', timeout: 10_000 });
      await page.locator('.toast').first().waitFor({ state: 'detached', timeout: 10_000 });
      await page.screenshot({
        path: join(import.meta.dirname, '../../docs/screenshots/sessions.png'),
      });
      await tab.close();
    });

    it('stops a session, then removes it after asking', async () => {
      const web = card('web');
      await web.getByTestId('session-stop').click();
      await expect.poll(() => web.getAttribute('data-status'), { timeout: 30_000 }).toBe('exited');
      expect(await web.getByTestId('session-status').textContent()).toMatch(/^Exited/);
      await web.getByTestId('session-remove').click();
      const confirm = page.getByTestId('remove-session-dialog');
      await confirm.waitFor();
      // Cancel has the focus: Enter right away keeps the session.
      expect(await activeElement(page, 'textContent')).toBe('Cancel');
      await confirm.getByTestId('remove-session-confirm').click();
      await web.waitFor({ state: 'detached', timeout: 20_000 });
      expect(await containers()).toHaveLength(2);
      expect(await card('train').count()).toBe(1);
    });

    it('pulls an image the host lacks from a registry, with progress, then starts a session of it', async () => {
      registry = await startRegistry();
      const image = `${registry.address}/${PULLED_REPO}:1`;
      // An image only the registry has: a layer the host lacks, and services on its label.
      const docker = host.dockerd.docker;
      const made = await docker.createContainer({
        Image: TEST_IMAGE,
        Cmd: ['sh', '-c', `head -c ${PULLED_LAYER_BYTES} /dev/urandom > /pulled.bin`],
      });
      await made.start();
      await made.wait();
      await made.commit({
        repo: `${registry.address}/${PULLED_REPO}`,
        tag: '1',
        changes: `LABEL ai.backend.service-ports=${PULLED_PORTS}`,
      });
      await made.remove();
      const push = await docker.getImage(image).push({ authconfig: {} });
      const pushed = await new Promise<{ error?: string }[]>((resolve, reject) =>
        docker.modem.followProgress(push, (error: Error | null, output: { error?: string }[]) =>
          error ? reject(error) : resolve(output),
        ),
      );
      expect(pushed.filter((event) => event.error !== undefined)).toEqual([]);
      await docker.getImage(image).remove();
      await expect(docker.getImage(image).inspect()).rejects.toThrow();

      await page.getByTestId('sessions-new').click();
      await form()
        .getByText(/^One of the host's \d+ images/)
        .waitFor({ timeout: 10_000 });
      const field = form().getByTestId('session-form-image');
      // A tag the registry lacks: Docker's reason beside the field, and Pull stays offered.
      const absent = `${registry.address}/${PULLED_REPO}:absent`;
      await field.fill(absent);
      await form()
        .getByRole('button', { name: `Pull ${absent} onto ${ada.hostName}` })
        .click();
      const failed = form().getByTestId('session-form-pull-error');
      expect(await failed.textContent({ timeout: PULL_TIMEOUT_MS })).toContain(
        `The registry ${registry.address} has no image`,
      );
      expect(await failed.locator('xpath=../..').getAttribute('class')).toBe('field');
      await field.fill(image);
      expect(await failed.count()).toBe(0);
      await form().getByTestId('session-form-gpus').fill('0');
      const listed = form().locator(`datalist option[value="${image}"]`);
      expect(await listed.count()).toBe(0);
      const pull = form().getByRole('button', { name: `Pull ${image} onto ${ada.hostName}` });
      await pull.waitFor({ timeout: 5_000 });
      // Record every progress line and bar shown, however briefly the pull lasts.
      await page.evaluate(`(() => {
        window.__pullSeen = [];
        const form = document.querySelector('[data-testid="session-form"]');
        new MutationObserver(() => {
          const text = form.querySelector('[data-testid="session-form-pull-text"]');
          const bar = form.querySelector('progress');
          if (text) window.__pullSeen.push({ text: text.textContent, max: bar ? bar.max : null });
        }).observe(form, { subtree: true, childList: true, characterData: true, attributes: true });
      })()`);
      // From the keyboard: Tab from the field reaches Pull.
      await field.focus();
      await page.keyboard.press('Tab');
      expect(await activeElement(page, "getAttribute('data-testid')")).toBe('session-form-pull');
      await page.keyboard.press('Enter');
      const pulled = form().getByTestId('session-form-pulled');
      await pulled.waitFor({ timeout: PULL_TIMEOUT_MS }).catch(async (error: unknown) => {
        const shown = await form().locator('.image-pull').allTextContents();
        throw new Error(`the pull did not finish; the form shows: ${shown.join(' | ')}`, {
          cause: error,
        });
      });
      expect(await pulled.textContent()).toBe(`Pulled ${image} onto ${ada.hostName}.`);
      // Pull and Cancel went away under the keyboard's focus: it is back in the field.
      expect(await activeElement(page, "getAttribute('data-testid')")).toBe('session-form-image');
      const seen = (await page.evaluate('window.__pullSeen')) as {
        text: string;
        max: number | null;
      }[];
      // The busybox layer was on the host already; the pull downloaded the other one.
      expect(seen.map((s) => s.text)).toContainEqual(
        expect.stringMatching(/^Downloaded: 2 of 2 layers, 2\.00 MB of 2\.00 MB \(100%\)$/),
      );
      expect(seen.some((s) => s.max !== null && s.max > 0)).toBe(true);
      expect(await form().getByTestId('session-form-pull-progress').count()).toBe(0);
      // Now one of the host's images, its label filling the service rows as choosing it does.
      expect(await listed.count()).toBe(1);
      expect(await pull.count()).toBe(0);
      expect(await form().getByTestId('session-port-0-name').inputValue()).toBe('web');
      expect(await form().getByTestId('session-port-0-port').inputValue()).toBe('8080');
      await docker.getImage(image).inspect();

      await form().getByTestId('session-form-name').fill('pulled');
      await form().getByTestId('session-form-command').fill('exec sleep 3600');
      await form().getByTestId('session-form-submit').click();
      await form().waitFor({ state: 'detached', timeout: START_TIMEOUT_MS });
      const started = card('pulled');
      await started.waitFor({ timeout: 10_000 });
      expect(await started.getAttribute('data-status')).toBe('running');
      expect(await started.locator('.card-subtitle code').textContent()).toBe(image);
    });
  },
);
