import { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  encodeStreamData,
  StreamDecoder,
  type StreamEnd,
  type StreamReply,
} from '../../common/agent/stream-header';
import type { TerminalLink } from '../../common/contract/terminals';
import { AppFailure, type AppError } from '../../common/contract/result';
import { NO_RETRY_CODES, USER_STOPPED_CODES } from '../hosts/reconnect-backoff';
import { droppedNotice } from './dropped-notice';

/** First wait before attaching again after a drop; doubles up to the maximum. */
export const REATTACH_FIRST_DELAY_MS = 250;
/** Longest wait between attempts: the host's own reconnect sets the real pace. */
export const REATTACH_MAX_DELAY_MS = 5_000;

/** A channel that stayed open this long counts as a success: the next drop retries at once. */
export const REATTACH_STABLE_MS = 5_000;

/** Errors that attaching again cannot fix: the attachment ends with them. */
const FINAL_CODES: ReadonlySet<string> = new Set([
  'terminal-not-found',
  'invalid-input',
  'unknown-agent-stream',
  'host-not-found',
  ...NO_RETRY_CODES,
  ...USER_STOPPED_CODES,
]);

/** What an attachment needs: how to reach the agent's stream, and whom to tell how it stands. */
export interface TerminalAttachmentDeps {
  /** Opens stream `term:<id>` on the host, replaying from `from` (the whole buffer if absent). */
  open(from: number | undefined): Promise<Duplex>;
  /** Told every change of the link. */
  onLink(link: TerminalLink): void;
}

/**
 * One client's attachment to a durable terminal, as the Duplex the bridge (or the CLI) reads:
 * the agent's stream with its framing taken off. It outlives the connection under it: when the
 * stream closes without its end trailer (a dropped network, a killed sshd, a sleeping laptop) it
 * says `reattaching`, opens the stream again from the offset it had reached — within the
 * agent's buffer nothing is lost and nothing shown twice — and writes a visible notice where
 * output was lost beyond it. It ends when the process exits (or the terminal is closed).
 * Backpressure runs through: a reader that stops reading pauses the channel, hence the agent.
 * Keystrokes typed before the first attach wait for it; typed while reattaching they are dropped,
 * never replayed late.
 */
export class TerminalAttachment extends Duplex {
  private channel: Duplex | undefined;
  /** Output offset after the last byte received; undefined before the first attach. */
  private received: number | undefined;
  private droppedBytes = 0;
  private attempt = 0;
  private stopped = false;
  /** The link reported last, so that an end is reported once. */
  private reported: TerminalLink['link'] | undefined;
  /** Writes made before the first attach (typed as the tab opened): sent once it is attached. */
  private beforeFirst: (() => void)[] | undefined = [];

  constructor(private readonly deps: TerminalAttachmentDeps) {
    super({ allowHalfOpen: true });
    void this.connect();
  }

  override _read(): void {
    this.channel?.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: () => void): void {
    if (this.beforeFirst !== undefined) {
      this.beforeFirst.push(() => this._write(chunk, encoding, callback));
      return;
    }
    const channel = this.channel;
    if (channel === undefined) return callback();
    let flowing = true;
    for (const frame of encodeStreamData(chunk)) flowing = channel.write(frame) && flowing;
    if (flowing) return callback();
    const done = (): void => {
      channel.off('drain', done);
      channel.off('close', done);
      callback();
    };
    channel.once('drain', done);
    channel.once('close', done);
  }

  /** The client ended its keystrokes (a CLI's stdin at EOF): the terminal goes on. */
  override _final(callback: () => void): void {
    callback();
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    // Destroyed from outside with a reason (the host was disconnected): tabs must say so.
    if (error instanceof AppFailure && this.reported !== 'ended')
      this.link('ended', { error: error.toAppError() });
    this.stopped = true;
    this.channel?.destroy();
    this.channel = undefined;
    callback(error);
  }

  private link(link: TerminalLink['link'], extra: { exitCode?: number | null; error?: AppError }) {
    this.reported = link;
    this.deps.onLink({
      link,
      exitCode: extra.exitCode ?? null,
      droppedBytes: this.droppedBytes,
      ...(extra.error === undefined ? {} : { error: extra.error }),
    });
  }

  private async connect(): Promise<void> {
    while (!this.stopped) {
      try {
        const channel = await this.deps.open(this.received);
        if (this.stopped) return void channel.destroy();
        this.use(channel);
        return;
      } catch (thrown) {
        const error: AppError =
          thrown instanceof AppFailure
            ? thrown.toAppError()
            : {
                code: 'terminal-unreachable',
                message: `LabDeck cannot reach the host's agent right now (${(thrown as Error).message ?? String(thrown)}); it keeps trying.`,
                hint: 'The terminal keeps running on the host. Check the host on the Hosts page if this lasts.',
              };
        if (FINAL_CODES.has(error.code)) return this.fail(error);
        this.link('reattaching', { error });
        await this.backOff();
      }
    }
  }

  /** Waits before the next attempt, longer after each one that failed. */
  private async backOff(): Promise<void> {
    const delay = Math.min(REATTACH_MAX_DELAY_MS, REATTACH_FIRST_DELAY_MS * 2 ** this.attempt);
    this.attempt += 1;
    await sleep(delay);
  }

  private use(channel: Duplex): void {
    this.channel = channel;
    const decoder = new StreamDecoder();
    let refused: AppError | undefined;
    let ended = false;
    let openedAt: number | undefined;
    channel.on('data', (chunk: Buffer) => {
      let frames;
      try {
        frames = decoder.push(chunk);
      } catch {
        return void channel.destroy();
      }
      for (const frame of frames) {
        if (frame.kind === 'header') {
          if (frame.header.t === 'refused') refused = frame.header.error;
          else if (frame.header.t === 'opened') {
            openedAt = Date.now();
            this.opened(frame.header);
          }
        } else if (frame.kind === 'data') {
          this.received = (this.received ?? 0) + frame.bytes.byteLength;
          if (!this.push(frame.bytes)) channel.pause();
        } else if (frame.kind === 'notice') {
          // The agent skipped these bytes: the next reattach starts after them.
          this.received = (this.received ?? 0) + frame.notice.bytes;
          this.lost(frame.notice.bytes);
        } else {
          ended = true;
          this.finish(frame.end);
        }
      }
    });
    channel.on('error', () => undefined);
    channel.once('close', () => {
      if (this.channel === channel) this.channel = undefined;
      if (this.stopped || ended) return;
      if (refused !== undefined && FINAL_CODES.has(refused.code)) return this.fail(refused);
      this.link('reattaching', refused === undefined ? {} : { error: refused });
      // A channel that never opened, or dropped at once, must not become a tight loop.
      const stable = openedAt !== undefined && Date.now() - openedAt >= REATTACH_STABLE_MS;
      if (stable) this.attempt = 0;
      void (stable ? Promise.resolve() : this.backOff()).then(() => this.connect());
    });
  }

  private opened(header: Extract<StreamReply, { t: 'opened' }>): void {
    this.received = header.offset ?? this.received ?? 0;
    if (header.droppedBytes) this.lost(header.droppedBytes);
    this.link('attached', {});
    const waiting = this.beforeFirst ?? [];
    this.beforeFirst = undefined;
    for (const write of waiting) write();
  }

  private lost(bytes: number): void {
    this.droppedBytes += bytes;
    this.push(droppedNotice(bytes));
  }

  private finish(end: StreamEnd): void {
    this.stopped = true;
    if (end.error !== undefined) return this.fail(end.error);
    this.link('ended', { exitCode: end.exitCode ?? null });
    this.push(null);
  }

  private fail(error: AppError): void {
    this.stopped = true;
    const waiting = this.beforeFirst ?? [];
    this.beforeFirst = undefined;
    for (const write of waiting) write();
    this.link('ended', { error });
    this.destroy(new AppFailure(error));
  }
}
