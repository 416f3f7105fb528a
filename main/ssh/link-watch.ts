import type { Readable } from 'node:stream';

/** How often the watch looks at the clock; a stall shows within this much of its threshold. */
const LINK_CHECK_MS = 500;

/** Told `true` when the link went silent, `false` when the server is heard again. */
export type LinkListener = (stalled: boolean) => void;

/**
 * Watches the bytes coming from an SSH server and calls `onChange(true)` once nothing arrived
 * for `silentAfterMs`, `onChange(false)` as soon as something arrives again. A healthy link is
 * never silent that long: ssh2 sends a keepalive every interval and the server answers it, so
 * silence means unanswered keepalives — the "stalled" a frozen server or a dead Wi-Fi shows
 * before ssh2 gives up on the connection. Stops with the stream, or when the returned function
 * is called. Listens to `data` alongside ssh2's own listener, without changing the flow.
 */
export function watchLink(
  stream: Readable,
  silentAfterMs: number,
  onChange: LinkListener,
): () => void {
  let heardAt = Date.now();
  let stalled = false;
  const heard = (): void => {
    heardAt = Date.now();
    if (!stalled) return;
    stalled = false;
    onChange(false);
  };
  const timer = setInterval(() => {
    if (stalled || Date.now() - heardAt < silentAfterMs) return;
    stalled = true;
    onChange(true);
  }, LINK_CHECK_MS);
  timer.unref();
  const stop = (): void => {
    clearInterval(timer);
    stream.off('data', heard);
    stream.off('close', stop);
  };
  stream.on('data', heard);
  stream.once('close', stop);
  return stop;
}
