import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { StreamNotice } from '../../../common/agent/stream-header';
import {
  AgentTerminal,
  TERMINAL_STALLED_CLIENTS_MS,
} from '../../../agent-bundle/terminals/agent-terminal';
import type { TerminalProcess } from '../../../agent-bundle/terminals/terminal-process';

/** A process whose output the test writes and whose exit it decides: the pty's two ends. */
function fakeProcess(): TerminalProcess & { exit(code: number): void; typed: Buffer[] } {
  const output = new PassThrough();
  const typed: Buffer[] = [];
  let exit!: (code: number) => void;
  const exited = new Promise<number | null>((resolve) => (exit = resolve));
  return {
    output,
    input: new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        typed.push(chunk);
        callback();
      },
    }),
    typed,
    exited,
    resize: async () => undefined,
    kill: () => undefined,
    exit: (code) => {
      output.end();
      exit(code);
    },
  };
}

function terminal(bufferBytes: number) {
  const process = fakeProcess();
  const made = new AgentTerminal({
    id: 'abcdefabcdef',
    target: { kind: 'host' },
    title: 't',
    cols: 80,
    rows: 24,
    bufferBytes,
    process,
  });
  return { terminal: made, process, out: process.output as PassThrough };
}

/** Everything a client reads until its stream ends. */
async function drain(stream: NodeJS.ReadableStream): Promise<(string | StreamNotice)[]> {
  const items: (string | StreamNotice)[] = [];
  for await (const item of stream as AsyncIterable<Buffer | StreamNotice>)
    items.push(Buffer.isBuffer(item) ? item.toString() : item);
  return items;
}

describe('AgentTerminal', () => {
  it('replays from the offset a returning client had reached, then ends with the process', async () => {
    const { terminal: t, process, out } = terminal(1024);
    out.write('one ');
    out.write('two ');
    await new Promise((resolve) => setImmediate(resolve));
    const back = t.attach(4);
    expect(back).toMatchObject({ offset: 4, replayBytes: 4, droppedBytes: 0 });
    const read = drain(back.client);
    out.write('three');
    process.exit(5);
    await t.done;
    expect((await read).join('')).toBe('two three');
    expect(t.record()).toMatchObject({ state: 'exited', exitCode: 5, outputBytes: 13 });
  });

  it('says how much a client missed beyond the buffer, in its place', async () => {
    const { terminal: t, process, out } = terminal(8);
    out.write('0123456789abcdef');
    await new Promise((resolve) => setImmediate(resolve));
    const late = t.attach(2);
    expect(late).toMatchObject({ offset: 8, droppedBytes: 6, replayBytes: 8 });
    const read = drain(late.client);
    process.exit(0);
    expect((await read).join('')).toBe('89abcdef');
  });

  it('pauses the process only while every attached client is behind, never with none', async () => {
    const { terminal: t, out } = terminal(1024 * 1024);
    const a = t.attach();
    const b = t.attach();
    // Nobody reads: both clients' buffers fill, and the pty is no longer read.
    for (let i = 0; i < 64; i++) out.write(Buffer.alloc(64 * 1024, 120));
    await new Promise((resolve) => setImmediate(resolve));
    expect(out.isPaused()).toBe(true);
    // One client reads again: the process runs at its pace.
    a.client.resume();
    await new Promise((resolve) => setImmediate(resolve));
    expect(out.isPaused()).toBe(false);
    t.detach(a.client);
    t.detach(b.client);
    expect(out.isPaused()).toBe(false);
  });

  it("passes every client's keystrokes to the process, and one client's end stops nothing", async () => {
    const { terminal: t, process } = terminal(1024);
    const a = t.attach();
    const b = t.attach();
    a.client.keystrokes.write(Buffer.from('ls'));
    b.client.keystrokes.write(Buffer.from('\r'));
    a.client.keystrokes.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(Buffer.concat(process.typed).toString()).toBe('ls\r');
    expect(process.input.writableEnded).toBe(false);
    expect(t.record().attached).toBe(2);
  });
});

describe('AgentTerminal with clients that stopped reading', () => {
  it('reads the process on after every client made no progress for a while', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { terminal: t, out } = terminal(1024 * 1024);
      const gone = t.attach();
      for (let i = 0; i < 64; i++) out.write(Buffer.alloc(64 * 1024, 120));
      await new Promise((resolve) => setImmediate(resolve));
      expect(out.isPaused()).toBe(true);
      vi.advanceTimersByTime(TERMINAL_STALLED_CLIENTS_MS + 1);
      expect(out.isPaused()).toBe(false);
      t.detach(gone.client);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('AgentTerminal under a flood', () => {
  it('loses nothing to one reader slower than the process, even with the smallest ring', async () => {
    const { terminal: t, process, out } = terminal(64 * 1024);
    const reader = t.attach();
    const total = 4 * 1024 * 1024;
    let received = 0;
    let notices = 0;
    const read = (async () => {
      for await (const item of reader.client as AsyncIterable<Buffer | StreamNotice>) {
        if (!Buffer.isBuffer(item)) {
          notices += 1;
          continue;
        }
        received += item.length;
        // A reader that takes its time: the process must wait for it, not run past the ring.
        if (received % (256 * 1024) < item.length) await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const chunk = Buffer.alloc(4096, 120);
    for (let sent = 0; sent < total; sent += chunk.length) {
      if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
    }
    process.exit(0);
    await read;
    expect(notices).toBe(0);
    expect(received).toBe(total);
  });
});
