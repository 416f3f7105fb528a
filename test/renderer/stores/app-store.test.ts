import { describe, expect, it } from 'vitest';
import type { AppInfo, Notice } from '../../../common/app/app-info';
import type { AppError } from '../../../common/contract/result';
import { createAppStore, runModeLabel, secretsNote } from '../../../renderer/src/stores/app-store';
import { FakeClient } from '../fake-client';

const NOTICE: Notice = { id: 'n1', level: 'info', message: 'Settings moved to a new format.' };

const BROWSER: AppInfo = {
  version: '0.1.0',
  mode: 'browser',
  platform: 'linux',
  home: '/home/ana/.labdeck',
  secretsPersistent: false,
  notices: [NOTICE],
};

function setup(client: FakeClient) {
  const errors: AppError[] = [];
  const notices: Notice[] = [];
  const store = createAppStore({
    client,
    showError: (e) => errors.push(e),
    addNotices: (n) => notices.push(...n),
  });
  return { store, errors, notices };
}

describe('app store', () => {
  it('loads the app info and forwards its open notices', async () => {
    const { store, notices } = setup(new FakeClient().succeed('app:get-info', BROWSER));
    await store.getState().load();
    expect(store.getState().status).toBe('loaded');
    expect(store.getState().info).toEqual(BROWSER);
    expect(notices).toEqual([NOTICE]);
  });

  it('reports a failed load and shows no app info', async () => {
    const failure = { code: 'bridge-disconnected', message: 'Gone.' };
    const { store, errors } = setup(new FakeClient().fail('app:get-info', failure));
    await store.getState().load();
    expect(store.getState().status).toBe('failed');
    expect(store.getState().info).toBeNull();
    expect(errors).toEqual([failure]);
  });

  it('forwards notices raised while the window is open', () => {
    const client = new FakeClient();
    const { store, notices } = setup(client);
    const unsubscribe = store.getState().watch();
    client.emit('app:notice-raised', NOTICE);
    unsubscribe();
    client.emit('app:notice-raised', { ...NOTICE, id: 'n2' });
    expect(notices).toEqual([NOTICE]);
  });
});

describe('secretsNote and runModeLabel', () => {
  it('tell a browser-mode user that secrets do not outlive the server', () => {
    expect(secretsNote(BROWSER)).toBe(
      'Secrets are kept only while this server runs — no OS keychain in browser mode.',
    );
    expect(runModeLabel(BROWSER)).toBe('Browser mode');
  });

  it('say nothing in the desktop app with a keychain, or before the info arrived', () => {
    const desktop: AppInfo = { ...BROWSER, mode: 'electron', secretsPersistent: true };
    expect(secretsNote(desktop)).toBeNull();
    expect(runModeLabel(desktop)).toBeNull();
    expect(secretsNote(null)).toBeNull();
    expect(runModeLabel(null)).toBeNull();
  });

  it('do not blame browser mode when the desktop app lacks a keychain', () => {
    const noKeychain: AppInfo = { ...BROWSER, mode: 'electron', secretsPersistent: false };
    expect(secretsNote(noKeychain)).toBe(
      'Secrets are kept only while LabDeck runs — no OS keychain was found.',
    );
  });
});
