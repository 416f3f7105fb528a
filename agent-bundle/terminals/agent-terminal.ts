import type { TerminalAgentTarget, TerminalRecord } from '../../common/agent/terminal-agent';
import { RingBuffer } from './ring-buffer';
import {
  TERMINAL_CLIENT_CHUNK_BYTES,
  TerminalClient,
  type TerminalSource,
} from './terminal-client';
import type { TerminalProcess } from './terminal-process';

/**
 * Output is handed to clients at most this often while it streams: a flood goes out in few large
 * frames instead of one per pty read, while the first bytes after a pause (a keystroke's echo)
 * go at once.
 */
export const TERMINAL_BATCH_MS = 5;

/**
 * How long every attached client may make no progress before the process is read on regardless:
 * a laptop whose lid closed keeps its stream "attached" until a keepalive notices, and the
 * training loop behind it must not stall meanwhile. The stalled clients skip ahead later.
 */
export const TERMINAL_STALLED_CLIENTS_MS = 5_000;

/** Ends `promise` after `ms` at the latest; true when it settled in time. */
function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([
    promise.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref()),
  ]);
}

/** What a terminal is made from. */
export interface AgentTerminalInit {
  readonly id: string;
  readonly target: TerminalAgentTarget;
  readonly title: string;
  readonly cols: number;
  readonly rows: number;
  readonly bufferBytes: number;
  readonly process: TerminalProcess;
}

/** One client's attachment: where its output starts and what it missed. */
export interface TerminalAttachment {
  readonly client: TerminalClient;
  /** Output offset of the first byte the client gets. */
  readonly offset: number;
  /** Bytes of replay before live output. */
  readonly replayBytes: number;
  /** Bytes between the client's `from` and `offset` that the ring no longer holds. */
  readonly droppedBytes: number;
}

/**
 * One durable terminal: its process, its output ring and its attached clients. The process runs
 * whether or not anyone watches (a training loop must not stall because a lid closed); while
 * clients are attached it runs as fast as the fastest of them reads — when every one is backed
 * up the pty is no longer read, so `yes` is throttled instead of filling memory.
 */
export class AgentTerminal implements TerminalSource {
  readonly ring: RingBuffer;
  readonly createdAt = new Date().toISOString();
  private readonly clients = new Set<TerminalClient>();
  private cols: number;
  private rows: number;
  private exitCode: number | null = null;
  ended = false;
  /** Resolves once the process has exited and its output is all in the ring. */
  readonly done: Promise<void>;
  private lastFeed = 0;
  /** `ring.end` when clients were last fed: what the pending batch holds starts there. */
  private fedUpTo = 0;
  private batch: NodeJS.Timeout | undefined;
  /** Set once every client has been behind for {@link TERMINAL_STALLED_CLIENTS_MS}. */
  private stallTimer: NodeJS.Timeout | undefined;
  /** The process is read on although every client is behind: they stalled (see above). */
  private readingPastStalled = false;
  /** The size asked for last and not yet applied, and the resizes running. */
  private wantedSize: { cols: number; rows: number } | undefined;
  private resizing: Promise<void> | undefined;
  /** Closing: the output is drained into the ring whatever the clients do. */
  private closing = false;

  constructor(private readonly init: AgentTerminalInit) {
    this.ring = new RingBuffer(init.bufferBytes);
    this.cols = init.cols;
    this.rows = init.rows;
    const { output } = init.process;
    output.on('data', (chunk: Buffer) => {
      this.ring.write(chunk);
      // A batch never holds more than a chunk: past that, clients get it now (and may push back).
      if (this.ring.end - this.fedUpTo >= this.batchLimit) this.feedNow();
      else this.feedSoon();
    });
    const outputEnded = new Promise<void>((resolve) => {
      output.once('end', resolve);
      output.once('close', resolve);
      output.once('error', () => resolve());
    });
    this.done = Promise.all([outputEnded, init.process.exited]).then(([, code]) => {
      this.exitCode = code;
      this.ended = true;
      clearTimeout(this.stallTimer);
      this.feedNow();
    });
  }

  get id(): string {
    return this.init.id;
  }

  get input() {
    return this.init.process.input;
  }

  /** The terminal as `terminal.list` reports it. */
  record(): TerminalRecord {
    return {
      id: this.init.id,
      target: this.init.target,
      title: this.init.title,
      state: this.ended ? 'exited' : 'running',
      exitCode: this.exitCode,
      createdAt: this.createdAt,
      attached: this.clients.size,
      cols: this.cols,
      rows: this.rows,
      outputBytes: this.ring.end,
    };
  }

  /** The exit code, once {@link ended}. */
  get code(): number | null {
    return this.exitCode;
  }

  /** A new client that gets the output from offset `from` (the whole ring when absent). */
  attach(from?: number): TerminalAttachment {
    const { start, end } = this.ring;
    const wanted = Math.min(from ?? start, end);
    const offset = Math.max(wanted, start);
    const client = new TerminalClient(this, offset);
    this.clients.add(client);
    client.once('close', () => this.detach(client));
    return { client, offset, replayBytes: end - offset, droppedBytes: offset - wanted };
  }

  /** Drops a client that went away; the process goes on. */
  detach(client: TerminalClient): void {
    if (!this.clients.delete(client)) return;
    client.destroy();
    this.flowChanged();
  }

  /**
   * Sets the pty's size (the newest request wins, as in tmux's default). Resizes run one at a
   * time, the last one asked for last, so two racing never leave an older size in the pty.
   */
  resize(cols: number, rows: number): Promise<void> {
    this.wantedSize = { cols, rows };
    this.resizing ??= this.applySizes().finally(() => (this.resizing = undefined));
    return this.resizing;
  }

  private async applySizes(): Promise<void> {
    let failure: unknown;
    for (let want = this.wantedSize; want !== undefined; want = this.wantedSize) {
      this.wantedSize = undefined;
      if (this.ended) return;
      try {
        await this.init.process.resize(want.cols, want.rows);
        this.cols = want.cols;
        this.rows = want.rows;
        failure = undefined;
      } catch (error) {
        failure = error;
      }
    }
    if (failure !== undefined) throw failure;
  }

  /**
   * Hangs the process up, killing it if it is still there after `graceMs`; clients get the rest
   * of the output and the end. Resolves when it is gone (or after twice `graceMs` at most).
   */
  async close(graceMs: number): Promise<void> {
    if (this.ended) return;
    this.closing = true;
    this.flowChanged();
    this.init.process.kill();
    if (await within(this.done, graceMs)) return;
    this.init.process.kill(true);
    await within(this.done, graceMs);
  }

  /** A client read something: it is alive, so the process follows its pace again. */
  clientProgressed(): void {
    this.readingPastStalled = false;
  }

  /** Largest batch: a chunk, or a quarter of a small ring, so a batch never overruns the ring. */
  private get batchLimit(): number {
    return Math.min(TERMINAL_CLIENT_CHUNK_BYTES, Math.floor(this.ring.capacity / 4));
  }

  /** Feeds every client now if it has been quiet for a batch, else at the end of this batch. */
  private feedSoon(): void {
    if (this.batch !== undefined) return;
    const wait = this.lastFeed + TERMINAL_BATCH_MS - Date.now();
    if (wait <= 0) return this.feedNow();
    this.batch = setTimeout(() => this.feedNow(), wait);
  }

  private feedNow(): void {
    clearTimeout(this.batch);
    this.batch = undefined;
    this.lastFeed = Date.now();
    this.fedUpTo = this.ring.end;
    for (const client of this.clients) client.feed();
  }

  flowChanged(): void {
    const { output } = this.init.process;
    const everyoneBehind =
      !this.closing &&
      !this.readingPastStalled &&
      this.clients.size > 0 &&
      [...this.clients].every((c) => c.blocked);
    if (everyoneBehind) {
      output.pause();
      this.stallTimer ??= setTimeout(() => {
        this.stallTimer = undefined;
        this.readingPastStalled = true;
        output.resume();
      }, TERMINAL_STALLED_CLIENTS_MS).unref();
      return;
    }
    clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
    if (output.isPaused()) output.resume();
  }
}
