/** First wait after a dropped connection. */
export const RECONNECT_FIRST_DELAY_MS = 1_000;
/** Longest wait between attempts: a laptop back from sleep should not wait minutes. */
export const RECONNECT_MAX_DELAY_MS = 30_000;

/**
 * Delay before reconnect attempt `attempt` (1-based): doubling from one second up to the cap,
 * with ±20 % jitter so that many laptops do not hammer a rebooted server in lockstep.
 */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(
    RECONNECT_MAX_DELAY_MS,
    RECONNECT_FIRST_DELAY_MS * 2 ** Math.max(0, attempt - 1),
  );
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * Failures that retrying cannot fix: a refused login, a host key that needs a person, a question
 * that was cancelled or went unanswered (asking again every few seconds would only pile up
 * dialogs for someone who is not there).
 */
export const NO_RETRY_CODES: ReadonlySet<string> = new Set([
  'ssh-auth-failed',
  'ssh-auth-cancelled',
  'prompt-timeout',
  'ssh-closed-while-asking',
  'host-key-changed',
  'host-key-rejected',
  'host-key-revoked',
  'ssh-key-unsupported',
  'ssh-key-unreadable',
  'node-missing',
  'node-runtime-missing',
  'agent-bundle-missing',
  'probe-failed',
  'probe-unreadable',
]);

/**
 * Failures that are the user's own choice — a cancelled login, a host key they did not trust:
 * the host is simply not connected, with no error to fix.
 */
export const USER_STOPPED_CODES: ReadonlySet<string> = new Set([
  'ssh-auth-cancelled',
  'host-key-rejected',
]);
