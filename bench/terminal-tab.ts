import type { Client } from '../common/contract/client';
import type { StreamControl, StreamSink } from '../common/contract/transport';
import type { TerminalTarget } from '../common/contract/terminals';

/** The size every bench terminal opens with: a default window's pane. */
export const TAB_SIZE = { cols: 80, rows: 24 } as const;

/** A terminal the bench opened and attached, as one pane of the Terminals page holds it. */
export interface TerminalTab {
  readonly id: string;
  readonly control: StreamControl;
  /** Sends keystrokes, as xterm's `onData` does. */
  type(keys: string | Uint8Array): void;
  /** Detaches and ends the terminal (its process is hung up). */
  close(): Promise<void>;
}

/**
 * `terminals:open` on `target`, then `terminals:attach` with `sink` as the pane's reader: the
 * requests the Terminals page makes, through the same bridge protocol.
 */
export async function openTab(
  client: Client,
  target: TerminalTarget,
  sink: StreamSink,
): Promise<TerminalTab> {
  const opened = await client.request('terminals:open', { target, ...TAB_SIZE });
  if (!opened.ok) throw new Error(`terminals:open failed: ${opened.error.message}`);
  const { id } = opened.value;
  const control = client.openStream('terminals:attach', { id, ...TAB_SIZE }, sink);
  const encoder = new TextEncoder();
  return {
    id,
    control,
    type: (keys) => control.write(typeof keys === 'string' ? encoder.encode(keys) : keys),
    close: async () => {
      control.close();
      const closed = await client.request('terminals:close', { id });
      if (!closed.ok) throw new Error(`terminals:close failed: ${closed.error.message}`);
    },
  };
}

/**
 * Watches a byte stream for `marker`, across chunk boundaries, without decoding the stream:
 * 200 MB pass through it.
 */
export class MarkerWatch {
  private readonly marker: Buffer;
  private tail = Buffer.alloc(0);

  constructor(marker: string) {
    this.marker = Buffer.from(marker, 'latin1');
  }

  /** True once `marker` has appeared in what was pushed so far. */
  push(chunk: Uint8Array): boolean {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const keep = this.marker.length - 1;
    const seam = Buffer.concat([this.tail, bytes.subarray(0, keep)]);
    const seen = seam.includes(this.marker) || bytes.includes(this.marker);
    this.tail = Buffer.from(
      bytes.length >= keep ? bytes.subarray(bytes.length - keep) : seam.subarray(-keep),
    );
    return seen;
  }
}
