import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultTerminalSettings } from '../../../common/terminals/terminal-settings';
import { defaultTerminalWorkspaces } from '../../../common/terminals/terminal-workspace';
import { describe, expect, it } from 'vitest';
import type { Notice } from '../../../common/app/app-info';
import { createClient } from '../../../common/contract/client';
import { createInProcessTransport } from '../../../main/bridge/in-process-transport';
import { MemorySecretStore } from '../../../main/secrets/secret-store';
import { createServices } from '../../../main/services';
import { SETTINGS_VERSION } from '../../../main/settings/settings-schema';
import { SETTINGS_FILE, SettingsStore } from '../../../main/settings/settings-store';
import { tempHome } from '../../support/temp-home';

describe('SettingsStore', () => {
  it('creates the file with defaults, readable by the owner only', async () => {
    const home = await tempHome();
    const settings = await new SettingsStore(home).read();
    expect(settings).toEqual({
      version: SETTINGS_VERSION,
      serve: { port: 4780 },
      hosts: [],
      notices: [],
      terminals: defaultTerminalSettings(),
      terminalWorkspaces: defaultTerminalWorkspaces(),
    });
    expect((await stat(join(home, SETTINGS_FILE))).mode & 0o777).toBe(0o600);
  });

  it('falls back to default terminal settings alone when that section is damaged', async () => {
    const home = await tempHome();
    await new SettingsStore(home).update((s) => ({ ...s, serve: { port: 5124 } }));
    const file = join(home, SETTINGS_FILE);
    const saved = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(
      file,
      JSON.stringify({ ...saved, terminals: { fontSize: 'huge' }, terminalWorkspaces: [] }),
    );
    const settings = await new SettingsStore(home).read();
    expect(settings.serve.port).toBe(5124);
    expect(settings.terminals).toEqual(defaultTerminalSettings());
    expect(settings.terminalWorkspaces).toEqual(defaultTerminalWorkspaces());
  });

  it('keeps what was saved across instances', async () => {
    const home = await tempHome();
    await new SettingsStore(home).update((s) => ({ ...s, serve: { port: 5123 } }));
    expect((await new SettingsStore(home).read()).serve.port).toBe(5123);
  });

  it('migrates a file without a version and rewrites it', async () => {
    const home = await tempHome();
    await writeFile(join(home, SETTINGS_FILE), JSON.stringify({ serve: { port: 6000 } }));
    expect((await new SettingsStore(home).read()).serve.port).toBe(6000);
    expect(JSON.parse(await readFile(join(home, SETTINGS_FILE), 'utf8')).version).toBe(
      SETTINGS_VERSION,
    );
  });

  it('migrates a version-1 file (before SSH hosts) keeping its values', async () => {
    const home = await tempHome();
    await writeFile(
      join(home, SETTINGS_FILE),
      JSON.stringify({ version: 1, serve: { port: 6001 }, notices: [] }),
    );
    const settings = await new SettingsStore(home).read();
    expect(settings).toMatchObject({ version: 2, serve: { port: 6001 }, hosts: [] });
  });

  it('moves a corrupt file aside, starts from defaults and tells the user where the old file is', async () => {
    const home = await tempHome();
    await writeFile(join(home, SETTINGS_FILE), '{"version": 1, "serve": {"port": ');
    const raised: Notice[] = [];
    const settings = await new SettingsStore(home, (n) => raised.push(n)).read();
    const aside = (await readdir(home)).filter((f) => f.startsWith('settings.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(home, aside[0]!), 'utf8')).toBe('{"version": 1, "serve": {"port": ');
    expect(settings.serve.port).toBe(4780);
    expect(raised).toHaveLength(1);
    expect(raised[0]?.hint).toContain(aside[0]);
    // the notice is stored, so a window opened later still shows it
    expect((await new SettingsStore(home).read()).notices.map((n) => n.id)).toEqual([
      raised[0]?.id,
    ]);
  });

  it('treats a file that breaks the schema as corrupt, naming the field', async () => {
    const home = await tempHome();
    await writeFile(join(home, SETTINGS_FILE), JSON.stringify({ version: 1, serve: { port: 80 } }));
    const raised: Notice[] = [];
    await new SettingsStore(home, (n) => raised.push(n)).read();
    expect(raised[0]?.message).toMatch(/could not be read/);
    expect(raised[0]?.message).toMatch(/1024/);
  });

  it('never overwrites a file from a newer LabDeck', async () => {
    const home = await tempHome();
    const newer = JSON.stringify({ version: SETTINGS_VERSION + 1, somethingNew: true });
    await writeFile(join(home, SETTINGS_FILE), newer);
    const store = new SettingsStore(home);
    const settings = await store.read();
    expect(settings.notices[0]?.message).toMatch(/newer LabDeck.*read-only/);
    await expect(store.update((s) => ({ ...s, serve: { port: 7000 } }))).rejects.toMatchObject({
      code: 'settings-read-only',
      message: expect.stringMatching(
        /written by a newer LabDeck .* read-only .* until you upgrade/,
      ),
    });
    expect(await readFile(join(home, SETTINGS_FILE), 'utf8')).toBe(newer);
  });

  it('refuses to add a host to a newer file saying why, not "There is no host"', async () => {
    const home = await tempHome();
    const newer = JSON.stringify({ version: SETTINGS_VERSION + 1, hosts: [] });
    await writeFile(join(home, SETTINGS_FILE), newer);
    const services = createServices({ home, mode: 'cli', secrets: new MemorySecretStore() });
    const { transport, close } = createInProcessTransport(services);
    const added = await createClient(transport).request('hosts:add', {
      name: 'lab1',
      user: 'ada',
      hostname: '127.0.0.1',
    });
    close();
    await services.dispose();
    expect(added).toEqual({
      ok: false,
      error: {
        code: 'settings-read-only',
        message: expect.stringMatching(/newer LabDeck .* read-only/),
        hint: expect.stringContaining('Update LabDeck'),
      },
    });
    expect(await readFile(join(home, SETTINGS_FILE), 'utf8')).toBe(newer);
  });

  it('creates its folder readable by the owner only (0700) and keeps the file 0600 after changes', async () => {
    const home = join(await tempHome(), 'LabDeck');
    const store = new SettingsStore(home);
    await store.read();
    await store.update((s) => ({ ...s, serve: { port: 5001 } }));
    expect((await stat(home)).mode & 0o777).toBe(0o700);
    expect((await stat(join(home, SETTINGS_FILE))).mode & 0o777).toBe(0o600);
  });

  it('refuses to save invalid settings and leaves the file as it was', async () => {
    const home = await tempHome();
    const store = new SettingsStore(home);
    await store.update((s) => ({ ...s, serve: { port: 5000 } }));
    await expect(store.update((s) => ({ ...s, serve: { port: 99999 } }))).rejects.toThrow(/65535/);
    expect((await store.read()).serve.port).toBe(5000);
    expect((await readdir(home)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
