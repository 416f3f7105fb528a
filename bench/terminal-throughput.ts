import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import xtermHeadless from '@xterm/headless';
import type { Client } from '../common/contract/client';
import { commandLine } from '../common/shell/shell-quote';
import { createTerminalFlowControl } from '../renderer/src/features/terminals/terminal-flow-control';
import { compare, timeTogether, type Contender, type ReportRow } from './bench-harness';
import { DOCKER_CLI } from './docker-cli';
import { MarkerWatch, openTab, TAB_SIZE } from './terminal-tab';

const run = promisify(execFile);

/** Issue 10's stream: 200 MB (decimal) out of a container. */
export const STREAM_BYTES = 200_000_000;
/** Where the container holds the stream, written once so both sides read the same bytes. */
const STREAM_FILE = '/tmp/labdeck-bench-stream';
/** Issue 10's goal: at least half of OpenSSH's throughput. */
const TARGET_THROUGHPUT = 0.5;
/** Timed streams per side (each takes seconds), in as many rounds, after one untimed. */
const ITERATIONS = 3;
/** What `xterm` is fed per write when it parses from memory: one bridge data message. */
const XTERM_CHUNK_BYTES = 64 * 1024;
/** The headless xterm's scrollback, the Terminals page's default. */
const SCROLLBACK_LINES = 1000;
/**
 * Typed into the session's shell: the stream, then a line the shell computes, so its echo of
 * the typed command never matches {@link END_MARKER}.
 */
const STREAM_COMMAND = `cat ${STREAM_FILE}; echo "stream-end-$((6*7))"\r`;
const END_MARKER = 'stream-end-42';
/** Part of the line LabDeck writes where output was lost (main/terminals/dropped-notice.ts). */
const LOST_MARKER = 'of output lost here';

const { Terminal } = xtermHeadless;
/** Decimal megabyte, as the figures print throughput. */
const MB = 1_000_000;

/** What the throughput figures need from the bench's session host. */
export interface ThroughputSetup {
  readonly client: Client;
  /** The running session the stream comes out of, by name. */
  readonly session: string;
  readonly containerId: string;
  /** `docker -H` of the host's engine, for writing the stream's file. */
  readonly dockerHost: string;
  /** `ssh` options and destination, before the remote command. */
  readonly sshArgv: readonly string[];
}

/** Fills the session's container with {@link STREAM_BYTES} of `x`, readable by its user. */
async function writeStreamFile(setup: ThroughputSetup): Promise<void> {
  const fill = `head -c ${STREAM_BYTES} /dev/zero | tr '\\0' x > ${STREAM_FILE}; chmod 644 ${STREAM_FILE}; wc -c < ${STREAM_FILE}`;
  const argv = ['-H', setup.dockerHost, 'exec', setup.containerId, 'sh', '-c', fill];
  const { stdout } = await run(DOCKER_CLI, argv);
  if (Number(stdout.trim()) !== STREAM_BYTES)
    throw new Error(`the stream file holds ${stdout.trim()} bytes, not ${STREAM_BYTES}`);
}

/** A LabDeck side that checks it got the whole stream. */
interface StreamContender extends Contender {
  /** Why its times do not count (a run lost output), or undefined when every run was whole. */
  incomplete(): string | undefined;
}

/**
 * LabDeck's whole path: `terminals:open` in the session, `terminals:attach`, the command typed,
 * and every byte written into a headless xterm with the Terminals page's flow control, credit
 * given from `term.write`'s callback. Done when the line after the stream has been parsed.
 * With `xterm` false, bytes are acked as they arrive: the path alone, to show where time goes.
 * A run that lost output (the agent's notice in the stream, or fewer bytes) is counted, not
 * thrown, so the rest of the bench still runs and the figure says why it has no verdict.
 */
function labdeckStream(setup: ThroughputSetup, xterm: boolean): StreamContender {
  let close: (() => Promise<void>) | undefined;
  let runs = 0;
  const short: number[] = [];
  return {
    name: xterm
      ? 'terminals:open + attach in the session, `cat` into a headless xterm (acked as parsed)'
      : 'terminals:open + attach in the session, `cat`, acked on arrival (no xterm)',
    run: async () => {
      const term = new Terminal({ ...TAB_SIZE, scrollback: SCROLLBACK_LINES });
      const watch = new MarkerWatch(END_MARKER);
      const lostWatch = new MarkerWatch(LOST_MARKER);
      let lost = false;
      let received = 0;
      let fail: (error: Error) => void = () => undefined;
      let done: () => void = () => undefined;
      const finished = new Promise<void>((resolve, reject) => {
        done = resolve;
        fail = reject;
      });
      // Output arrives over the network, so after the attach below has returned its control.
      let ack: (bytes: number) => void = () => undefined;
      const flow = createTerminalFlowControl((bytes) => ack(bytes));
      const tab = await openTab(
        setup.client,
        { kind: 'session', session: setup.session },
        {
          data: (bytes) => {
            received += bytes.byteLength;
            lost = lostWatch.push(bytes) || lost;
            const last = watch.push(bytes);
            const after = (): void => {
              if (!last) return;
              runs += 1;
              if (received < STREAM_BYTES || lost) short.push(received);
              done();
            };
            if (!xterm) {
              ack(bytes.byteLength);
              return after();
            }
            flow.written(bytes.byteLength);
            term.write(bytes, () => {
              flow.parsed(bytes.byteLength);
              after();
            });
          },
          end: (error) => fail(new Error(`the terminal ended: ${error?.message ?? 'exited'}`)),
        },
      );
      ack = (bytes) => tab.control.ack(bytes);
      close = async () => {
        await tab.close();
        term.dispose();
      };
      tab.type(STREAM_COMMAND);
      await finished;
    },
    cleanUp: async () => {
      await close?.();
      close = undefined;
    },
    incomplete: () => {
      if (short.length === 0) return undefined;
      const least = (Math.min(...short) / MB).toFixed(1);
      return (
        `the stream lost output in ${short.length} of ${runs} runs (as little as ${least} of ` +
        `${STREAM_BYTES / MB} MB arrived, with LabDeck's notice of lost output), so its times ` +
        'are for less than the whole stream'
      );
    },
  };
}

/** The floor any terminal in a window has: headless xterm parsing the same bytes from memory. */
function xtermAlone(): Contender {
  const chunk = Buffer.alloc(XTERM_CHUNK_BYTES, 'x');
  return {
    name: 'headless xterm parsing 200 MB of `x` from memory, 64 KiB writes',
    run: async () => {
      const term = new Terminal({ ...TAB_SIZE, scrollback: SCROLLBACK_LINES });
      for (let sent = 0; sent < STREAM_BYTES; sent += chunk.length) {
        const part = chunk.subarray(0, Math.min(chunk.length, STREAM_BYTES - sent));
        await new Promise<void>((resolve) => term.write(part, resolve));
      }
      term.dispose();
    },
  };
}

/**
 * OpenSSH with `remote` run on the host, its output into /dev/null: `-T` for a plain pipe, `-tt`
 * for a pty on the host (the container's tty is the command's `docker exec -t`).
 */
function openSshStream(setup: ThroughputSetup, tty: boolean): Contender {
  const remote = commandLine([
    'docker',
    'exec',
    ...(tty ? ['-t'] : []),
    setup.containerId,
    'cat',
    STREAM_FILE,
  ]);
  return {
    name: tty
      ? 'OpenSSH `ssh -tt HOST docker exec -t CONTAINER cat FILE > /dev/null` (a pty at each end)'
      : 'OpenSSH `ssh -T HOST docker exec CONTAINER cat FILE > /dev/null`',
    run: () =>
      new Promise((resolve, reject) => {
        const child = spawn('ssh', [tty ? '-tt' : '-T', ...setup.sshArgv, remote], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.once('error', reject);
        child.once('exit', (code) =>
          code === 0 ? resolve() : reject(new Error(`ssh exited ${code}: ${stderr}`)),
        );
      }),
  };
}

/**
 * Issue 10's throughput figure — 200 MB from a container into a headless xterm through LabDeck's
 * whole path against OpenSSH into /dev/null — and, to show where the time goes: the path without
 * xterm, xterm without the path, and the path against OpenSSH through a pty as a terminal's is.
 * All sides take turns in the same rounds, so the slow ones are timed once for every figure.
 */
export async function throughputFigures(setup: ThroughputSetup): Promise<ReportRow[]> {
  await writeStreamFile(setup);
  const plain = openSshStream(setup, false);
  const pty = openSshStream(setup, true);
  const whole = labdeckStream(setup, true);
  const path = labdeckStream(setup, false);
  const parse = xtermAlone();
  const samples = await timeTogether([plain, pty, whole, path, parse], ITERATIONS, ITERATIONS);
  const row = (
    name: string,
    subject: Contender,
    baseline: Contender,
    extra: { targetThroughput?: number; invalid?: string | undefined } = {},
  ): ReportRow => {
    const { invalid, ...targets } = extra;
    const result = compare(
      { name, bytesPerCall: STREAM_BYTES, ...targets },
      samples.get(subject)!,
      samples.get(baseline)!,
    );
    return {
      ...result,
      ...(invalid === undefined ? {} : { invalid }),
      subjectName: subject.name,
      baselineName: baseline.name,
    };
  };
  return [
    row('Terminal throughput: 200 MB from a container into xterm (SSH host)', whole, plain, {
      targetThroughput: TARGET_THROUGHPUT,
      invalid: whole.incomplete(),
    }),
    row('Terminal throughput, the path alone: 200 MB, acked on arrival, no xterm', path, plain, {
      invalid: path.incomplete(),
    }),
    row('Terminal throughput, xterm alone: headless xterm parsing 200 MB, no path', parse, plain),
    row('Terminal throughput, the path against OpenSSH through a pty', path, pty, {
      invalid: path.incomplete(),
    }),
  ];
}
