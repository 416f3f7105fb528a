import type { AppError } from '../../../../common/contract/result';
import type { StreamControl, StreamSink } from '../../../../common/contract/transport';

/** The most output a log panel keeps: older text is dropped from the top. */
export const LOG_BUFFER_CHARS = 200_000;
/** How close to the bottom (px) still counts as "at the bottom", where new output scrolls along. */
const STICK_TO_BOTTOM_PX = 24;

/**
 * Streams a session's output (`open`: `sessions:logs`, following) into `pre`, decoded as UTF-8 across
 * chunk boundaries, keeping at most {@link LOG_BUFFER_CHARS}. Each chunk is acknowledged once it
 * is on the page, so a flooding session is slowed by the bridge's flow control rather than the
 * window. Returns the stop; `onEnd` hears how the stream ended (not after the stop).
 */
export function followSessionLogs(
  open: (sink: StreamSink) => StreamControl,
  pre: HTMLPreElement,
  onEnd: (error?: AppError) => void,
): () => void {
  const decoder = new TextDecoder();
  let length = 0;
  let stopped = false;
  const append = (text: string): void => {
    if (text === '') return;
    const atBottom = pre.scrollHeight - pre.scrollTop - pre.clientHeight < STICK_TO_BOTTOM_PX;
    pre.append(text);
    length += text.length;
    if (length > LOG_BUFFER_CHARS) {
      const kept = (pre.textContent ?? '').slice(-LOG_BUFFER_CHARS);
      pre.textContent = kept;
      length = kept.length;
    }
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  };
  const control = open({
    data: (bytes) => {
      append(decoder.decode(bytes, { stream: true }));
      control.ack(bytes.byteLength);
    },
    end: (error) => {
      if (stopped) return;
      append(decoder.decode());
      onEnd(error);
    },
  });
  return () => {
    stopped = true;
    control.close();
  };
}
