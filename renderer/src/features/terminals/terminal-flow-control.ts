import { STREAM_WINDOW_BYTES } from '../../../../common/contract/wire';

/**
 * Bytes handed to xterm but not yet parsed above which credit is held back: the server then
 * stops at its window, so a flood (`yes`, `cat` of a huge file) waits for the renderer instead of
 * piling up in the window's memory. Half the stream window, as xterm's flow-control guide does.
 * See https://xtermjs.org/docs/guides/flowcontrol/
 */
export const TERMINAL_HIGH_WATERMARK_BYTES = STREAM_WINDOW_BYTES / 2;

/** Unparsed bytes below which held-back credit is given again once the high watermark was hit. */
export const TERMINAL_LOW_WATERMARK_BYTES = STREAM_WINDOW_BYTES / 8;

/**
 * Parsed bytes acknowledged in one credit message while output flows: one message per batch,
 * not per chunk. Far below the window, so the server never waits on a batch being filled.
 */
export const TERMINAL_ACK_BATCH_BYTES = 32 * 1024;

/** Counts a terminal stream's bytes between the bridge and xterm and gives credit back. */
export interface TerminalFlowControl {
  /** `bytes` were handed to `term.write`. */
  written(bytes: number): void;
  /** xterm parsed `bytes` of what was written (from `term.write`'s callback). */
  parsed(bytes: number): void;
  /** Bytes written and not yet parsed. */
  readonly pending: number;
  /** True while credit is held back because xterm is behind. */
  readonly paused: boolean;
}

/**
 * Flow control for one terminal stream, with high and low watermarks: parsed bytes are acked
 * in batches of {@link TERMINAL_ACK_BATCH_BYTES}, or at once when xterm has caught up (an echo
 * of a keystroke comes back without waiting for a batch). Past the high watermark nothing is
 * acked until xterm is below the low one.
 */
export function createTerminalFlowControl(ack: (bytes: number) => void): TerminalFlowControl {
  let pending = 0;
  let credit = 0;
  let paused = false;
  const giveCredit = (): void => {
    if (paused) {
      if (pending > TERMINAL_LOW_WATERMARK_BYTES) return;
      paused = false;
    } else if (pending >= TERMINAL_HIGH_WATERMARK_BYTES) {
      paused = true;
      return;
    }
    if (credit === 0) return;
    if (credit >= TERMINAL_ACK_BATCH_BYTES || pending === 0) {
      ack(credit);
      credit = 0;
    }
  };
  return {
    written(bytes) {
      pending += bytes;
      if (pending >= TERMINAL_HIGH_WATERMARK_BYTES) paused = true;
    },
    parsed(bytes) {
      pending -= bytes;
      credit += bytes;
      giveCredit();
    },
    get pending() {
      return pending;
    },
    get paused() {
      return paused;
    },
  };
}
