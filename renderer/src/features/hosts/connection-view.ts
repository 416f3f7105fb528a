import type { ConnectionState } from '../../../../common/hosts/connection-state';
import { assertNever } from '../../util/assert-never';
import type { BadgeTone } from './docker-state';

/** How a connection state reads on a host card: a short badge label and its colour. */
export interface ConnectionBadge {
  readonly label: string;
  readonly tone: BadgeTone;
  /** True while something is under way: the badge shows a spinner. */
  readonly busy: boolean;
}

/** Seconds left until `at` (ISO time), rounded up and never negative: 4.2 s left reads "5 s". */
export function secondsUntil(at: string, now: number): number {
  const target = Date.parse(at);
  if (Number.isNaN(target)) return 0;
  return Math.max(0, Math.ceil((target - now) / 1000));
}

/**
 * The countdown line of a reconnecting host, e.g. "Reconnecting in 5 s". Once the time is up it
 * says "Reconnecting now…" rather than a frozen "in 0 s" while the attempt starts.
 */
export function reconnectCountdownText(at: string, now: number): string {
  const seconds = secondsUntil(at, now);
  return seconds === 0 ? 'Reconnecting now…' : `Reconnecting in ${seconds} s`;
}

/**
 * Milliseconds until the countdown to `at` shows another number, so a live countdown re-renders
 * exactly when the text changes instead of polling. At least 50 ms, so timers cannot spin.
 */
export function countdownTickMs(at: string, now: number): number {
  const left = Date.parse(at) - now;
  if (Number.isNaN(left) || left <= 0) return 1000;
  const untilNextWhole = left % 1000;
  return Math.max(50, untilNextWhole === 0 ? 1000 : untilNextWhole);
}

/** The badge of a connection state at time `now` (ms since the epoch). */
export function connectionBadge(state: ConnectionState, now: number): ConnectionBadge {
  switch (state.phase) {
    case 'idle':
      return { label: 'Not connected', tone: 'neutral', busy: false };
    case 'connecting':
      return { label: 'Connecting', tone: 'neutral', busy: true };
    case 'connected':
      return { label: 'Connected', tone: 'ok', busy: false };
    case 'stalled':
      return { label: 'Stalled', tone: 'warning', busy: false };
    case 'reconnecting':
      return { label: reconnectCountdownText(state.at, now), tone: 'warning', busy: false };
    case 'failed':
      return { label: 'Failed', tone: 'danger', busy: false };
    default:
      return assertNever(state);
  }
}

/**
 * The sentence under the badge: the step while connecting, since when it is connected or
 * stalled, the error that led to a reconnect. Null when the badge says it all (or a failure
 * box says it in full).
 */
export function connectionDetail(state: ConnectionState): string | null {
  switch (state.phase) {
    case 'idle':
      return state.cancelled?.message ?? null;
    case 'failed':
      return null;
    case 'connecting':
      return `Step: ${state.step}…`;
    case 'connected':
      return sinceText('Connected since', state.since);
    case 'stalled':
      return sinceText('No answer to keepalives since', state.since);
    case 'reconnecting':
      return `Attempt ${state.attempt} failed: ${state.lastError.message}`;
    default:
      return assertNever(state);
  }
}

/** Whether Connect makes sense in this state (it does nothing harmful in the others either). */
export function canConnect(state: ConnectionState): boolean {
  return state.phase === 'idle' || state.phase === 'failed' || state.phase === 'reconnecting';
}

/** Whether there is a connection, or an attempt, for Disconnect to stop. */
export function canDisconnect(state: ConnectionState): boolean {
  return state.phase !== 'idle' && state.phase !== 'failed';
}

function sinceText(prefix: string, iso: string): string | null {
  const date = new Date(iso);
  // "This computer" is always connected, since the epoch: no time worth showing.
  if (Number.isNaN(date.getTime()) || date.getTime() === 0) return null;
  return `${prefix} ${date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}`;
}
