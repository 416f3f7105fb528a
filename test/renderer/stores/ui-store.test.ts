import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Notice } from '../../../common/app/app-info';
import type { Result } from '../../../common/contract/result';
import {
  CONNECTION_LOST_CODE,
  createUiStore,
  TOAST_AUTO_DISMISS_MS,
} from '../../../renderer/src/stores/ui-store';
import { deferred, FakeClient } from '../fake-client';

const RESET: Notice = {
  id: 'settings-reset-1',
  level: 'warning',
  message: 'Your settings could not be read and were reset.',
  hint: 'The old file was kept as `settings.json.bak`.',
};

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('ui store: toasts', () => {
  it('keeps error toasts until dismissed, and lets other toasts fade', () => {
    const store = createUiStore(new FakeClient());
    store.getState().showError({ code: 'docker-permission-denied', message: 'No access.' });
    store.getState().showToast({ kind: 'success', message: 'Saved.' });
    expect(store.getState().toasts.map((t) => t.message)).toEqual(['No access.', 'Saved.']);

    vi.advanceTimersByTime(TOAST_AUTO_DISMISS_MS);
    expect(store.getState().toasts.map((t) => t.message)).toEqual(['No access.']);

    const [error] = store.getState().toasts;
    store.getState().dismissToast(error!.id);
    expect(store.getState().toasts).toEqual([]);
  });

  it('shows the same error code once while it is on screen', () => {
    const store = createUiStore(new FakeClient());
    const error = { code: 'internal-error', message: 'boom', hint: 'Try again.' };
    store.getState().showError(error);
    store.getState().showError(error);
    expect(store.getState().toasts).toHaveLength(1);
    expect(store.getState().toasts[0]).toMatchObject({ kind: 'error', ...error });
  });

  it('Escape dismisses the newest toast first', () => {
    const store = createUiStore(new FakeClient());
    store.getState().showError({ code: 'a', message: 'first' });
    store.getState().showError({ code: 'b', message: 'second' });
    store.getState().dismissLatestToast();
    expect(store.getState().toasts.map((t) => t.message)).toEqual(['first']);
    store.getState().dismissLatestToast();
    store.getState().dismissLatestToast();
    expect(store.getState().toasts).toEqual([]);
  });

  it('shows one persistent "connection lost" toast, whatever failed before it', () => {
    const store = createUiStore(new FakeClient());
    store.getState().showError({ code: CONNECTION_LOST_CODE, message: 'transport says so' });
    store.getState().showConnectionLost();
    store.getState().showError({ code: CONNECTION_LOST_CODE, message: 'a request failed too' });
    vi.advanceTimersByTime(10 * TOAST_AUTO_DISMISS_MS);
    const toasts = store.getState().toasts;
    expect(toasts).toHaveLength(1);
    expect(toasts[0]?.message).toBe('Lost the connection to LabDeck.');
    expect(toasts[0]?.hint).toContain('`npm run serve`');
  });
});

describe('ui store: notices', () => {
  it('adds each notice once, however often it arrives', () => {
    const store = createUiStore(new FakeClient());
    store.getState().addNotices([RESET]);
    store.getState().addNotices([RESET]);
    expect(store.getState().notices).toEqual([RESET]);
  });

  it('hides a notice only after the services recorded its dismissal', async () => {
    const reply = deferred<Result<Record<string, never>>>();
    const client = new FakeClient().answer('app:dismiss-notice', () => reply.promise);
    const store = createUiStore(client);
    store.getState().addNotices([RESET]);

    const dismissing = store.getState().dismissNotice(RESET.id);
    expect(store.getState().dismissingNotices).toEqual({ [RESET.id]: true });
    expect(store.getState().notices).toEqual([RESET]);

    reply.resolve({ ok: true, value: {} });
    await dismissing;
    expect(store.getState().notices).toEqual([]);
    expect(store.getState().dismissingNotices).toEqual({});
    expect(client.requests).toEqual([{ channel: 'app:dismiss-notice', input: { id: RESET.id } }]);
  });

  it('keeps the notice and shows why when dismissing fails', async () => {
    const failure = { code: 'settings-unwritable', message: 'Cannot write settings.' };
    const store = createUiStore(new FakeClient().fail('app:dismiss-notice', failure));
    store.getState().addNotices([RESET]);
    await store.getState().dismissNotice(RESET.id);
    expect(store.getState().notices).toEqual([RESET]);
    expect(store.getState().toasts[0]).toMatchObject(failure);
  });
});

describe('ui store: pages', () => {
  it('starts on Hosts and switches pages', () => {
    const store = createUiStore(new FakeClient());
    expect(store.getState().page).toBe('hosts');
    store.getState().showPage('terminals');
    expect(store.getState().page).toBe('terminals');
  });
});

describe('ui store: overlays and the Hosts page intents', () => {
  it('opens one overlay at a time and closes it', () => {
    const store = createUiStore(new FakeClient());
    store.getState().openOverlay('palette');
    expect(store.getState().overlay).toBe('palette');
    store.getState().openOverlay('shortcuts');
    expect(store.getState().overlay).toBe('shortcuts');
    store.getState().closeOverlay();
    expect(store.getState().overlay).toBeNull();
  });

  it('shows the Hosts page with the intent, which is taken once', () => {
    const store = createUiStore(new FakeClient());
    store.getState().showPage('folders');
    store.getState().requestHosts({ kind: 'check', hostId: 'h-gpu-7' });
    expect(store.getState().page).toBe('hosts');
    expect(store.getState().takeHostsIntent()).toEqual({ kind: 'check', hostId: 'h-gpu-7' });
    expect(store.getState().takeHostsIntent()).toBeNull();
  });

  it('shows the Sessions page with its intent, taken once, apart from the Hosts page one', () => {
    const store = createUiStore(new FakeClient());
    store.getState().requestHosts({ kind: 'add' });
    store.getState().requestSessions({ kind: 'new' });
    expect(store.getState().page).toBe('sessions');
    expect(store.getState().takeSessionsIntent()).toEqual({ kind: 'new' });
    expect(store.getState().takeSessionsIntent()).toBeNull();
    expect(store.getState().takeHostsIntent()).toEqual({ kind: 'add' });
  });

  it('keeps the host an error toast is about', () => {
    const store = createUiStore(new FakeClient());
    store.getState().showError({ code: 'ssh-timeout', message: 'No answer.' }, 'h-gpu-7');
    expect(store.getState().toasts[0]?.hostId).toBe('h-gpu-7');
  });
});
