import { describe, expect, it } from 'vitest';
import {
  describeConnection,
  type ConnectionState,
} from '../../../../common/hosts/connection-state';
import {
  canConnect,
  canDisconnect,
  connectionBadge,
  connectionDetail,
  countdownTickMs,
  reconnectCountdownText,
} from '../../../../renderer/src/features/hosts/connection-view';

const NOW = Date.parse('2025-03-04T10:00:00.000Z');
const AT = '2025-03-04T10:00:05.000Z';
const REFUSED = { code: 'ssh-refused', message: 'Nothing listens on gpu-7:22.' };

describe('reconnectCountdownText', () => {
  it('counts whole seconds down to the next attempt, rounding up', () => {
    expect(reconnectCountdownText(AT, NOW)).toBe('Reconnecting in 5 s');
    expect(reconnectCountdownText(AT, NOW + 200)).toBe('Reconnecting in 5 s');
    expect(reconnectCountdownText(AT, NOW + 1000)).toBe('Reconnecting in 4 s');
    expect(reconnectCountdownText(AT, NOW + 4999)).toBe('Reconnecting in 1 s');
  });

  it('says "now" once the time is up rather than a frozen 0 or a negative count', () => {
    expect(reconnectCountdownText(AT, NOW + 5000)).toBe('Reconnecting now…');
    expect(reconnectCountdownText(AT, NOW + 60_000)).toBe('Reconnecting now…');
    expect(reconnectCountdownText('not a time', NOW)).toBe('Reconnecting now…');
  });

  it('agrees with the services’ one-line description on the number', () => {
    const state: ConnectionState = {
      phase: 'reconnecting',
      attempt: 2,
      at: AT,
      lastError: REFUSED,
    };
    for (const offset of [0, 300, 2500, 4100]) {
      const ours = reconnectCountdownText(AT, NOW + offset).toLowerCase();
      expect(describeConnection(state, NOW + offset)).toBe(ours);
    }
  });
});

describe('countdownTickMs', () => {
  it('wakes exactly when the shown number changes', () => {
    expect(countdownTickMs(AT, NOW)).toBe(1000);
    expect(countdownTickMs(AT, NOW + 200)).toBe(800);
    expect(countdownTickMs(AT, NOW + 4990)).toBe(50);
    expect(countdownTickMs(AT, NOW + 6000)).toBe(1000);
  });
});

describe('connectionBadge and connectionDetail', () => {
  it('names each state, with a spinner only while connecting', () => {
    const badge = (state: ConnectionState) => connectionBadge(state, NOW);
    expect(badge({ phase: 'idle' })).toEqual({
      label: 'Not connected',
      tone: 'neutral',
      busy: false,
    });
    expect(badge({ phase: 'connecting', step: 'verifying host key' })).toEqual({
      label: 'Connecting',
      tone: 'neutral',
      busy: true,
    });
    expect(badge({ phase: 'connected', since: AT }).tone).toBe('ok');
    expect(badge({ phase: 'stalled', since: AT }).label).toBe('Stalled');
    expect(badge({ phase: 'reconnecting', attempt: 1, at: AT, lastError: REFUSED }).label).toBe(
      'Reconnecting in 5 s',
    );
    expect(badge({ phase: 'failed', error: REFUSED })).toMatchObject({
      label: 'Failed',
      tone: 'danger',
    });
  });

  it('adds the step, or the error that led to a reconnect', () => {
    expect(connectionDetail({ phase: 'connecting', step: 'uploading the agent' })).toBe(
      'Step: uploading the agent…',
    );
    expect(
      connectionDetail({ phase: 'reconnecting', attempt: 3, at: AT, lastError: REFUSED }),
    ).toBe('Attempt 3 failed: Nothing listens on gpu-7:22.');
    expect(connectionDetail({ phase: 'connected', since: new Date(0).toISOString() })).toBeNull();
    expect(connectionDetail({ phase: 'failed', error: REFUSED })).toBeNull();
  });

  it('reads a cancelled login as Not connected, saying what was cancelled', () => {
    const cancelled = {
      code: 'ssh-auth-cancelled',
      message: 'You cancelled the login to gpu-7 as ana.',
    };
    const state = { phase: 'idle', cancelled } as const;
    expect(connectionBadge(state, NOW)).toEqual({
      label: 'Not connected',
      tone: 'neutral',
      busy: false,
    });
    expect(connectionDetail(state)).toBe('You cancelled the login to gpu-7 as ana.');
    expect(connectionDetail({ phase: 'idle' })).toBeNull();
  });

  it('offers Connect when not connected and Disconnect while there is something to stop', () => {
    expect(canConnect({ phase: 'idle' })).toBe(true);
    expect(canConnect({ phase: 'connected', since: AT })).toBe(false);
    expect(canDisconnect({ phase: 'connecting', step: 'x' })).toBe(true);
    expect(canDisconnect({ phase: 'failed', error: REFUSED })).toBe(false);
  });
});
