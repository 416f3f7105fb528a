import { describe, expect, it } from 'vitest';
import {
  createTerminalFlowControl,
  TERMINAL_ACK_BATCH_BYTES,
  TERMINAL_HIGH_WATERMARK_BYTES,
  TERMINAL_LOW_WATERMARK_BYTES,
} from '../../../../renderer/src/features/terminals/terminal-flow-control';
import { STREAM_WINDOW_BYTES } from '../../../../common/contract/wire';

const KIB = 1024;

function flow() {
  const acks: number[] = [];
  const control = createTerminalFlowControl((bytes) => acks.push(bytes));
  return { control, acks, acked: () => acks.reduce((a, b) => a + b, 0) };
}

describe('terminal flow control', () => {
  it('keeps its watermarks inside the stream window, high above low', () => {
    expect(TERMINAL_HIGH_WATERMARK_BYTES).toBeLessThan(STREAM_WINDOW_BYTES);
    expect(TERMINAL_LOW_WATERMARK_BYTES).toBeLessThan(TERMINAL_HIGH_WATERMARK_BYTES);
    expect(TERMINAL_ACK_BATCH_BYTES).toBeLessThan(STREAM_WINDOW_BYTES);
  });

  it('acks a keystroke echo at once when xterm has caught up', () => {
    const { control, acks } = flow();
    control.written(3);
    control.parsed(3);
    expect(acks).toEqual([3]);
  });

  it('acks a steady stream in batches, not per chunk', () => {
    const { control, acks, acked } = flow();
    // xterm stays one chunk behind: there is always something pending.
    control.written(KIB);
    for (let i = 0; i < 100; i++) {
      control.written(KIB);
      control.parsed(KIB);
    }
    expect(acks.every((bytes) => bytes >= TERMINAL_ACK_BATCH_BYTES)).toBe(true);
    expect(acks.length).toBe(Math.floor((100 * KIB) / TERMINAL_ACK_BATCH_BYTES));
    control.parsed(KIB);
    // Caught up: everything parsed has been acked, nothing more.
    expect(acked()).toBe(101 * KIB);
  });

  it('holds credit past the high watermark until xterm is below the low one', () => {
    const { control, acked } = flow();
    const chunk = 16 * KIB;
    const chunks = STREAM_WINDOW_BYTES / chunk;
    for (let i = 0; i < chunks; i++) control.written(chunk);
    expect(control.paused).toBe(true);
    let parsedBytes = 0;
    while (control.pending - chunk > TERMINAL_LOW_WATERMARK_BYTES) {
      control.parsed(chunk);
      parsedBytes += chunk;
      expect(acked()).toBe(0);
    }
    control.parsed(chunk);
    parsedBytes += chunk;
    expect(control.paused).toBe(false);
    expect(acked()).toBe(parsedBytes);
  });

  it('never lets the server send more than the window while xterm does not parse', () => {
    // A simulated server that sends 8 KiB chunks while it has credit; xterm never parses.
    const { control, acked } = flow();
    let sent = 0;
    while (sent + 8 * KIB <= STREAM_WINDOW_BYTES + acked()) {
      control.written(8 * KIB);
      sent += 8 * KIB;
    }
    expect(sent).toBe(STREAM_WINDOW_BYTES);
    expect(control.pending).toBe(STREAM_WINDOW_BYTES);
  });
});
