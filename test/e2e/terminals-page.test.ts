import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  cutSshConnections,
  describeWithParts,
  launchChromium,
  startBrowserMode,
  startSessionHost,
  TEST_IMAGE,
  type BrowserMode,
  type SessionHost,
  type SessionUser,
} from '../harness';
import { hostCard, waitForPhase } from './hosts-ui';

/** A first connect pushes the agent over SSH; a loaded 2-core runner needs its time. */
const CONNECT_TIMEOUT_MS = 90_000;
/** Opening a terminal: the agent spawns a login shell (or docker exec) and main attaches. */
const ATTACH_TIMEOUT_MS = 30_000;
/** Output typed into a shell and echoed back through agent, SSH, main, bridge and xterm. */
const OUTPUT_TIMEOUT_MS = 15_000;
/** Longer than the workspace's save debounce (300 ms) and its round trip to the services. */
const SAVED_AFTER_MS = 1_500;
/** Lines of `y` the flood prints: 4 MB. */
const FLOOD_LINES = 2_000_000;
/** The flood through SSH, main, the bridge and xterm's DOM renderer on a loaded runner. */
const FLOOD_TIMEOUT_MS = 90_000;
/** Lines the loop prints while the connection is cut: they fit on the screen, read row by row. */
const DROP_LINES = 20;
/** The host reconnects by itself (with backoff), then the agent replays what was missed. */
const REATTACH_TIMEOUT_MS = 60_000;
/** A terminal id no host has. */
const GONE_ID = 'deadbeef0000';
/** The size the README's screenshots are taken at. */
const VIEWPORT = { width: 1280, height: 800 };

describeWithParts(
  ['root', 'sshd', 'dockerd', 'busybox', 'chromium'],
  'the Terminals page against a real host',
  () => {
    let host: SessionHost;
    let ada: SessionUser;
    let server: BrowserMode;
    let browser: Browser;
    let page: Page;
    /** Content-Security-Policy refusals the page reported: only xterm's inline styles. */
    const refused: string[] = [];

    const panes = (): Locator => page.getByTestId('terminal-pane');
    const activePanel = (): Locator => page.locator('[data-testid="terminal-panel"]:not([hidden])');
    /** The rows xterm's DOM renderer shows in `pane`, each trimmed (headless Chromium has no WebGL). */
    const rows = (pane: Locator): Promise<string[]> =>
      pane
        .locator('.xterm-rows > div')
        .allTextContents()
        .then((lines) => lines.map((line) => line.replaceAll('\u00a0', ' ').trim()));
    /** Types a line into the pane's terminal as a user would: click into it, type, Enter. */
    const typeLine = async (pane: Locator, line: string): Promise<void> => {
      await pane.locator('.xterm-screen').click();
      await page.keyboard.type(line);
      await page.keyboard.press('Enter');
    };
    /**
     * The columns the shell's pty has (`stty size`), printed with a rule of that many `=` below
     * it, on a cleared screen.
     */
    let measured = 0;
    const ptyColumns = async (pane: Locator): Promise<number> => {
      // A tag of its own per call, so an earlier answer still on the screen is never read.
      const tag = `cols${++measured}`;
      await typeLine(
        pane,
        `clear; C=$(stty size | cut -d" " -f2); echo "${tag} $C"; printf "%\${C}s\\n" "" | tr " " =`,
      );
      let columns = 0;
      await expect
        .poll(
          async () => {
            const shown = await rows(pane);
            const line = shown.find((row) => row.startsWith(`${tag} `)) ?? '';
            columns = Number(line.slice(tag.length + 1));
            return columns > 0 && shown.some((row) => /^=+$/.test(row));
          },
          { timeout: OUTPUT_TIMEOUT_MS },
        )
        .toBe(true);
      return columns;
    };
    const waitAttached = (pane: Locator): Promise<void> =>
      pane
        .locator('[data-testid="terminal-pane-link"][data-link="attached"]')
        .waitFor({ timeout: ATTACH_TIMEOUT_MS });

    beforeAll(async () => {
      host = await startSessionHost(1);
      ada = await host.addUser('termui-ada');
      await writeFile(
        join(ada.home, 'known_hosts'),
        `[${host.sshd.host}]:${host.sshd.port} ${host.sshd.hostPublicKey}\n`,
      );
      server = await startBrowserMode({
        PATH: process.env.PATH,
        LABDECK_HOME: ada.home,
        HOME: ada.home,
      });
      // Without WebGL, as on a machine whose GPU is blocked: the DOM renderer draws, whose rows
      // the test reads. (Headless Chromium has WebGL through SwiftShader; the last test uses it.)
      browser = await chromium.launch({
        executablePath: CHROMIUM_PATH,
        args: [...CHROMIUM_ARGS, '--disable-webgl'],
      });
      page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
      page.on('console', (message) => {
        if (/Content.Security.Policy/i.test(message.text())) refused.push(message.text());
      });
      await page.goto(server.url);
      const lab = hostCard(page, ada.hostName);
      await lab.getByRole('button', { name: /^Connect( lab)?$/ }).click();
      await waitForPhase(lab, 'connected', CONNECT_TIMEOUT_MS).catch(async (error: unknown) => {
        throw new Error(`lab did not connect; its card says: ${await lab.textContent()}`, {
          cause: error,
        });
      });
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await host?.stop();
    });

    it('opens a terminal on a host from its card, runs a command and shows its output', async () => {
      await hostCard(page, ada.hostName).getByTestId('host-terminal').click();
      expect(await page.locator('main').getAttribute('data-page')).toBe('terminals');
      const pane = panes().first();
      await waitAttached(pane);
      expect(await page.getByTestId('terminal-tab').count()).toBe(1);
      expect(await page.getByTestId('terminal-tab-link').textContent()).toBe('attached');
      await typeLine(pane, 'echo $((6*7))');
      // The answer on a row of its own: the typed line shows `$((6*7))`, never 42.
      await expect.poll(() => rows(pane), { timeout: OUTPUT_TIMEOUT_MS }).toContain('42');
      // The DOM renderer drew it under the app's CSP (style-src 'self'), with the styles xterm
      // writes at run time in force: the light theme's foreground, rows of the cell height.
      const xterm = pane.getByTestId('terminal-xterm').locator('[data-renderer]');
      expect(await xterm.getAttribute('data-renderer')).toBe('dom');
      const style = await pane.locator('.xterm-rows').evaluate((rows) => {
        // The tests are compiled for Node, without the DOM's types.
        type Styled = { readonly firstElementChild: Styled | null };
        const css = (globalThis as unknown as { getComputedStyle(e: Styled): CSSLike })
          .getComputedStyle;
        type CSSLike = { readonly color: string; readonly height: string };
        const row = (rows as unknown as Styled).firstElementChild;
        return {
          color: css(rows as unknown as Styled).color,
          rowHeight: row ? css(row).height : '',
        };
      });
      expect(style.color).toBe('rgb(36, 41, 47)');
      expect(style.rowHeight).toMatch(/^1\d(\.\d+)?px$/);
      // xterm still inserts its <style> elements, which the CSP refuses and the console reports.
      expect(refused.every((text) => text.includes("style-src 'self'"))).toBe(true);
    });

    it('restores the tab after a reload and replays what the terminal printed', async () => {
      const before = await panes().first().getAttribute('data-terminal-id');
      await page.waitForTimeout(SAVED_AFTER_MS);
      await page.reload();
      await page.getByTestId('nav-terminals').click();
      const pane = panes().first();
      await waitAttached(pane);
      expect(await pane.getAttribute('data-terminal-id')).toBe(before);
      // The agent's buffer replayed: the earlier command and its answer, once each.
      await expect.poll(() => rows(pane), { timeout: OUTPUT_TIMEOUT_MS }).toContain('42');
      const shown = await rows(pane);
      expect(shown.filter((row) => row === '42')).toHaveLength(1);
      expect(shown.filter((row) => row.endsWith('echo $((6*7))'))).toHaveLength(1);
      // And it takes input again.
      await typeLine(pane, 'echo again-$((1+1))');
      await expect.poll(() => rows(pane), { timeout: OUTPUT_TIMEOUT_MS }).toContain('again-2');
    });

    it('keeps a closed tab running when asked, and shows it again from Running terminals', async () => {
      const id = await panes().first().getAttribute('data-terminal-id');
      await page.getByTestId('terminal-tab-close').click();
      await page.getByTestId('terminal-close-detach').click();
      await page.getByTestId('terminals-empty').waitFor();
      await page.getByTestId('terminal-running-open').click();
      const item = page.getByTestId('terminal-running-item').filter({ hasText: id! });
      await item.waitFor({ timeout: 10_000 });
      expect(await item.textContent()).toContain(`host:${ada.hostName}`);
      await item.getByRole('button', { name: /^Show / }).click();
      const pane = panes().first();
      await waitAttached(pane);
      expect(await pane.getAttribute('data-terminal-id')).toBe(id);
      await expect.poll(() => rows(pane), { timeout: OUTPUT_TIMEOUT_MS }).toContain('again-2');
    });

    it('opens a terminal in a session of mine from its card, a shell inside its container; a split resizes its pty', async () => {
      await page.getByTestId('nav-sessions').click();
      await page.getByTestId('sessions-new').click();
      const form = page.getByTestId('session-form');
      await form.getByTestId('session-form-image').fill(TEST_IMAGE);
      await form.getByTestId('session-form-gpus').fill('0');
      await form.getByTestId('session-form-name').fill('shell');
      await form.getByTestId('session-form-command').fill('exec sleep 3600');
      await form.getByTestId('session-form-submit').click();
      const card = page.locator('[data-testid="session-card"][data-session="shell"]');
      await expect
        .poll(() => card.getAttribute('data-status'), { timeout: 45_000 })
        .toBe('running');
      await card.getByTestId('session-terminal').click();
      expect(await page.locator('main').getAttribute('data-page')).toBe('terminals');
      await expect.poll(() => page.getByTestId('terminal-tab').count()).toBe(2);
      const pane = activePanel().getByTestId('terminal-pane').first();
      await waitAttached(pane);
      expect(await pane.locator('.terminal-pane-title').textContent()).toBe(
        `shell @ ${ada.hostName}`,
      );
      // PID 1 of the container is the session's command: the shell runs inside it.
      await typeLine(pane, 'cat /proc/1/comm');
      await expect.poll(() => rows(pane), { timeout: OUTPUT_TIMEOUT_MS }).toContain('sleep');
      const widthBefore = await ptyColumns(pane);
      // Split right: a second shell in the same session, side by side.
      await page.getByTestId('terminal-split-right').click();
      await expect.poll(() => activePanel().getByTestId('terminal-pane').count()).toBe(2);
      const second = activePanel().getByTestId('terminal-pane').nth(1);
      await waitAttached(second);
      await typeLine(second, 'echo $((6*7))-beside');
      await expect.poll(() => rows(second), { timeout: OUTPUT_TIMEOUT_MS }).toContain('42-beside');
      // The README's picture, once the "Started shell." toast has gone.
      await page.locator('.toast').first().waitFor({ state: 'detached', timeout: 10_000 });
      await page.screenshot({
        path: join(import.meta.dirname, '../../docs/screenshots/terminals.png'),
      });
      // The split reached the first pane's pty: about half as wide, and a line of exactly that
      // many characters fills one row of the pane, no more (it would wrap) and no less.
      const widthAfter = await ptyColumns(pane);
      expect(widthAfter).toBeLessThan(widthBefore * 0.6);
      const ruled = (await rows(pane)).filter((row) => /^=+$/.test(row));
      expect(ruled).toEqual(['='.repeat(widthAfter)]);
    });

    it('ends a terminal when its pane closes with End terminal, and its tab says so elsewhere', async () => {
      const second = activePanel().getByTestId('terminal-pane').nth(1);
      const id = await second.getAttribute('data-terminal-id');
      await second.getByTestId('terminal-pane-close').click();
      await page.getByTestId('terminal-close-end').click();
      await expect.poll(() => activePanel().getByTestId('terminal-pane').count()).toBe(1);
      await page.getByTestId('terminal-running-open').click();
      await page.getByTestId('terminal-running-item').first().waitFor({ timeout: 10_000 });
      const listed = await page.getByTestId('terminal-running-item').allTextContents();
      expect(listed.filter((text) => text.includes(id!) && text.includes('running'))).toEqual([]);
      await page.keyboard.press('Escape');
      // A shell that exits: its pane says ended with the exit code, input off, and offers a new one.
      const pane = activePanel().getByTestId('terminal-pane');
      await typeLine(pane, 'exit 3');
      await pane
        .locator('[data-testid="terminal-pane-link"][data-link="ended"]')
        .waitFor({ timeout: OUTPUT_TIMEOUT_MS });
      expect(await pane.getByTestId('terminal-pane-link').textContent()).toBe(
        'ended (exit code 3)',
      );
      await pane.getByTestId('terminal-pane-restart').click();
      await waitAttached(activePanel().getByTestId('terminal-pane'));
    });

    it(
      'takes a flood of output without freezing the window, and the line after it arrives',
      async () => {
        await page.getByTestId('terminal-tab').first().getByRole('tab').click();
        const pane = activePanel().getByTestId('terminal-pane');
        // 4 MB, sixteen times the stream's window: it only gets through if xterm's acks flow.
        await typeLine(pane, `yes | head -n ${FLOOD_LINES}; echo fin-$((2+3))`);
        // While it pours in, the window still answers: a dialog opens and closes.
        await page.getByTestId('terminal-settings-open').click();
        await page.getByTestId('terminal-settings').waitFor({ timeout: 5_000 });
        await page.keyboard.press('Escape');
        await page.getByTestId('terminal-settings').waitFor({ state: 'detached' });
        await expect.poll(() => rows(pane), { timeout: FLOOD_TIMEOUT_MS }).toContain('fin-5');
      },
      FLOOD_TIMEOUT_MS + 30_000,
    );

    it('shows the same terminal in a second window, drawn with WebGL, that types into it', async () => {
      const webgl = await launchChromium();
      try {
        const other = await (await webgl.newContext({ viewport: VIEWPORT })).newPage();
        await other.goto(server.url);
        await other.getByTestId('nav-terminals').click();
        const mine = activePanel().getByTestId('terminal-pane');
        const id = await mine.getAttribute('data-terminal-id');
        await other.getByRole('tab', { name: new RegExp(`^${ada.hostName}`) }).click();
        const theirs = other.locator(`[data-testid="terminal-pane"][data-terminal-id="${id}"]`);
        await theirs
          .locator('[data-testid="terminal-pane-link"][data-link="attached"]')
          .waitFor({ timeout: ATTACH_TIMEOUT_MS });
        expect(
          await theirs
            .getByTestId('terminal-xterm')
            .locator('[data-renderer]')
            .getAttribute('data-renderer'),
        ).toBe('webgl');
        await theirs.locator('.xterm-screen').click();
        await other.keyboard.type('echo from-webgl-$((3*3))');
        await other.keyboard.press('Enter');
        // Typed in the other window, read in this one.
        await expect
          .poll(() => rows(mine), { timeout: OUTPUT_TIMEOUT_MS })
          .toContain('from-webgl-9');
      } finally {
        await webgl.close();
      }
    });

    it(
      'says reattaching… when the SSH connection drops, then attached, with every line once',
      async () => {
        await page.getByTestId('terminal-tab').first().getByRole('tab').click();
        const pane = activePanel().getByTestId('terminal-pane');
        // Every link state the pane's badge shows from now on, recorded in the page.
        await page.evaluate(`(() => {
        window.seenLinks = [];
        const badge = () => document.querySelector(
          '[data-testid="terminal-panel"]:not([hidden]) [data-testid="terminal-pane-link"]');
        new MutationObserver(() => {
          const link = badge()?.getAttribute('data-link');
          if (link && window.seenLinks.at(-1) !== link) window.seenLinks.push(link);
        }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-link'] });
      })()`);
        await typeLine(
          pane,
          `clear; for i in $(seq 1 ${DROP_LINES}); do echo "line-$i."; sleep 0.2; done; echo all-$((1+1))`,
        );
        await expect.poll(() => rows(pane), { timeout: OUTPUT_TIMEOUT_MS }).toContain('line-3.');
        // Kill the server side of the connection, as a dropped Wi-Fi ends it.
        await cutSshConnections(ada.user.username);
        await expect.poll(() => rows(pane), { timeout: REATTACH_TIMEOUT_MS }).toContain('all-2');
        await waitAttached(pane);
        const seen = await page.evaluate<string[]>('window.seenLinks');
        expect(seen).toContain('reattaching');
        expect(seen.at(-1)).toBe('attached');
        const lines = (await rows(pane)).filter((row) => /^line-\d+\.$/.test(row));
        expect(lines).toEqual(Array.from({ length: DROP_LINES }, (_, i) => `line-${i + 1}.`));
      },
      REATTACH_TIMEOUT_MS + 30_000,
    );

    it('shows a terminal ended elsewhere as ended, and one its host forgot as not found, each with a new one offered', async () => {
      const pane = activePanel().getByTestId('terminal-pane');
      const id = (await pane.getAttribute('data-terminal-id'))!;
      // Another LabDeck of the same user (a second laptop) ends it: its shell is hung up.
      expect((await ada.client.request('hosts:connect', { hostId: 'lab' })).ok).toBe(true);
      // It sees the terminal once its agent link is up.
      await expect
        .poll(
          async () => {
            const listed = await ada.client.request('terminals:list', {});
            return listed.ok && listed.value.terminals.some((t) => t.id === id);
          },
          { timeout: ATTACH_TIMEOUT_MS },
        )
        .toBe(true);
      expect(await ada.client.request('terminals:close', { id })).toEqual({
        ok: true,
        value: { closed: true },
      });
      await pane
        .locator('[data-testid="terminal-pane-link"][data-link="ended"]')
        .waitFor({ timeout: OUTPUT_TIMEOUT_MS });
      expect(await pane.getByTestId('terminal-pane-link').textContent()).toMatch(
        /^ended \(exit code \d+\)$/,
      );
      expect(await pane.getByTestId('terminal-pane-restart').isVisible()).toBe(true);
      // The saved workspace now names a terminal no host has (as after the host rebooted).
      await page.waitForTimeout(SAVED_AFTER_MS);
      const saved = await ada.client.request('terminals:get-workspaces', {});
      if (!saved.ok) throw new Error(saved.error.message);
      const forgotten = JSON.parse(
        JSON.stringify(saved.value).replaceAll(id, GONE_ID),
      ) as typeof saved.value;
      expect((await ada.client.request('terminals:save-workspaces', forgotten)).ok).toBe(true);
      await page.reload();
      await page.getByTestId('nav-terminals').click();
      const gone = page.locator(`[data-testid="terminal-pane"][data-terminal-id="${GONE_ID}"]`);
      await gone
        .locator('[data-testid="terminal-pane-link"][data-link="missing"]')
        .waitFor({ timeout: ATTACH_TIMEOUT_MS });
      expect(await gone.getByTestId('terminal-pane-link').textContent()).toBe('not found');
      expect(
        await gone.getByTestId('terminal-pane-over').locator('p').first().textContent(),
      ).toContain('This terminal is gone');
      await gone.getByTestId('terminal-pane-restart').click();
      // In its place, a new terminal on the same host.
      await expect.poll(() => gone.count()).toBe(0);
      const fresh = activePanel().getByTestId('terminal-pane');
      await waitAttached(fresh);
      expect(await fresh.locator('.terminal-pane-title').textContent()).toBe(ada.hostName);
      await typeLine(fresh, 'echo fresh-$((4*4))');
      await expect.poll(() => rows(fresh), { timeout: OUTPUT_TIMEOUT_MS }).toContain('fresh-16');
    });

    it('pastes with Ctrl+Shift+V, bracketed when the program asks, copies with Ctrl+Shift+C and finds with Ctrl+Shift+F', async () => {
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: server.origin,
      });
      const pane = activePanel().getByTestId('terminal-pane');
      // Bracketed paste mode on, then cat -v shows exactly the bytes a paste sends.
      await typeLine(pane, "printf '\\033[?2004h'; cat -v");
      await page.evaluate(`navigator.clipboard.writeText('xyz')`);
      await page.keyboard.press('Control+Shift+V');
      await page.keyboard.press('Enter');
      await expect
        .poll(() => rows(pane), { timeout: OUTPUT_TIMEOUT_MS })
        .toContain('^[[200~xyz^[[201~');
      // Ctrl+C without Shift is still the shell's: it ends cat.
      await page.keyboard.press('Control+C');
      await typeLine(pane, "printf '\\033[?2004l'; echo copy-$((1+2))");
      await expect.poll(() => rows(pane), { timeout: OUTPUT_TIMEOUT_MS }).toContain('copy-3');
      // Select the word by double-clicking it (xterm's screen above the rows takes the clicks),
      // then copy.
      await pane
        .locator('.xterm-rows > div')
        .filter({ hasText: /^copy-3\s*$/ })
        .dblclick({ force: true, position: { x: 12, y: 6 } });
      await page.keyboard.press('Control+Shift+C');
      await expect
        .poll(() => page.evaluate<string>('navigator.clipboard.readText()'))
        .toBe('copy-3');
      // Find: Ctrl+Shift+F opens the bar; a miss says so, a hit does not; Escape gives the
      // keyboard back to the terminal.
      await page.keyboard.press('Control+Shift+F');
      const find = pane.getByTestId('terminal-find-input');
      await find.waitFor();
      await page.keyboard.type('no-such-words');
      await page.keyboard.press('Enter');
      await pane.getByText('No match').waitFor();
      await find.fill('copy-3');
      await page.keyboard.press('Enter');
      await pane.getByText('No match').waitFor({ state: 'detached' });
      await page.keyboard.press('Escape');
      await find.waitFor({ state: 'detached' });
      await page.keyboard.type('echo back-$((2*2))');
      await page.keyboard.press('Enter');
      await expect.poll(() => rows(pane), { timeout: OUTPUT_TIMEOUT_MS }).toContain('back-4');
    });

    it(
      'says the link ended when its host is disconnected, and Reattach replays it once connected',
      async () => {
        const pane = activePanel().getByTestId('terminal-pane');
        await typeLine(pane, 'clear; echo before-$((1+1))');
        await expect.poll(() => rows(pane), { timeout: OUTPUT_TIMEOUT_MS }).toContain('before-2');
        const lab = hostCard(page, ada.hostName);
        await page.getByTestId('nav-hosts').click();
        await lab.getByTestId('host-disconnect').click();
        await waitForPhase(lab, 'idle', CONNECT_TIMEOUT_MS);
        await page.getByTestId('nav-terminals').click();
        await pane
          .locator('[data-testid="terminal-pane-link"][data-link="ended"]')
          .waitFor({ timeout: OUTPUT_TIMEOUT_MS });
        expect(await pane.getByTestId('terminal-pane-over').textContent()).toContain(
          'The link to this terminal ended',
        );
        await page.getByTestId('nav-hosts').click();
        await lab.getByRole('button', { name: /^Connect( lab)?$/ }).click();
        await waitForPhase(lab, 'connected', CONNECT_TIMEOUT_MS);
        await page.getByTestId('nav-terminals').click();
        await pane.getByTestId('terminal-pane-reattach').click();
        await waitAttached(pane);
        await expect.poll(() => rows(pane), { timeout: OUTPUT_TIMEOUT_MS }).toContain('before-2');
        expect((await rows(pane)).filter((row) => row === 'before-2')).toHaveLength(1);
        await typeLine(pane, 'echo after-$((1+2))');
        await expect.poll(() => rows(pane), { timeout: OUTPUT_TIMEOUT_MS }).toContain('after-3');
      },
      CONNECT_TIMEOUT_MS * 2,
    );

    it('applies a new font size to the open terminals as soon as it is saved', async () => {
      const pane = activePanel().getByTestId('terminal-pane');
      const rowHeight = (): Promise<number> =>
        pane
          .locator('.xterm-rows > div')
          .first()
          .boundingBox()
          .then((box) => box?.height ?? 0);
      const before = await rowHeight();
      await page.getByTestId('terminal-settings-open').click();
      const dialog = page.getByTestId('terminal-settings');
      await dialog.getByTestId('terminal-settings-size').fill('99');
      // The contract's own limit, beside the field.
      expect(await dialog.locator('.field-errors').textContent()).toContain('48');
      expect(await dialog.getByTestId('terminal-settings-save').isDisabled()).toBe(true);
      await dialog.getByTestId('terminal-settings-size').fill('20');
      await dialog.getByTestId('terminal-settings-save').click();
      await dialog.waitFor({ state: 'detached' });
      await expect.poll(rowHeight).toBeGreaterThan(before * 1.3);
      // Saved: a reload keeps it.
      await page.reload();
      await page.getByTestId('nav-terminals').click();
      await page.getByTestId('terminal-settings-open').click();
      expect(await page.getByTestId('terminal-settings-size').inputValue()).toBe('20');
      await page.keyboard.press('Escape');
    });
  },
);
