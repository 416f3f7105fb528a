import { setTimeout as sleep } from 'node:timers/promises';
import type { Session } from '../../common/contract/sessions';
import { AppFailure } from '../../common/contract/result';

/** How long Open waits for a service (Jupyter can take half a minute to start). */
export const SERVICE_WAIT_MS = 60_000;
/** Between two tries. */
const SERVICE_POLL_MS = 250;
/** Bound on one try: a service that accepts but never answers is not up. */
const SERVICE_TRY_TIMEOUT_MS = 3_000;

/**
 * Resolves once `url` answers HTTP at all (any status: a login page or a redirect is the service
 * being up), through the forward. Fails early if the session stops meanwhile, and after
 * {@link SERVICE_WAIT_MS} saying the service never answered.
 */
export async function waitForService(
  url: string,
  session: () => Promise<Session>,
  forwardError: () => Promise<string | undefined>,
  waitMs = SERVICE_WAIT_MS,
): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    const answered = await fetch(url, {
      redirect: 'manual',
      signal: AbortSignal.timeout(SERVICE_TRY_TIMEOUT_MS),
    }).then(
      async (response) => {
        await response.body?.cancel();
        return true;
      },
      () => false,
    );
    if (answered) return;
    const reason = await forwardError();
    // The host refusing the channel, or a port that is not published, does not pass by waiting.
    if (reason !== undefined && /prohibited|not published|denied/i.test(reason))
      throw new AppFailure({
        code: 'forward-refused',
        message: `LabDeck could not reach the service through the host: ${reason}.`,
        hint: /prohibited/i.test(reason)
          ? "The host's SSH server forbids port forwarding (AllowTcpForwarding no): ask its admin to allow it for your user."
          : 'Check that the session is running (`labdeck session ls`).',
      });
    if (attempt % 8 === 7) {
      const now = await session();
      if (now.status !== 'running')
        throw new AppFailure({
          code: 'session-not-running',
          message: `${now.name} is ${now.status} (${now.statusText}), so its service will not answer.`,
          hint: `See what it printed: \`labdeck session logs ${now.name}\`.`,
        });
    }
    if (Date.now() > deadline)
      throw new AppFailure({
        code: 'service-not-answering',
        message: `The service at ${url} did not answer within ${Math.round(waitMs / 1000)} s${reason ? ` (last: ${reason})` : ''}.`,
        hint: 'Check that it listens on the port the session declares, on 0.0.0.0 inside the container (see `labdeck session logs`).',
      });
    await sleep(SERVICE_POLL_MS);
  }
}
