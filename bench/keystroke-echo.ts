import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '../common/contract/client';
import type { TerminalTarget } from '../common/contract/terminals';
import { commandLine } from '../common/shell/shell-quote';
import { measure, type Contender, type ReportRow } from './bench-harness';
import { MarkerWatch, openTab } from './terminal-tab';

/** Round trips per side at a typist's pace, in the harness's alternating rounds. */
const ITERATIONS = 400;
/** Round trips per side with keys sent back to back. */
const BACK_TO_BACK_ITERATIONS = 1000;
/**
 * Untimed pause after each echo: 30 keys a second, faster than anyone types and about a held
 * key's repeat rate, so each key meets the terminal as a typed one does, after a quiet moment.
 */
const TYPING_GAP_MS = 33;
/** Issue 10's goal: a keystroke echoes at most this much later than over OpenSSH. */
const TARGET_DIFFERENCE_MS = 2;
/** How long the far side may take to reach `cat` before the bench gives up. */
const READY_TIMEOUT_MS = 30_000;
/**
 * Run in the terminal: raw mode without the tty's echo, so every byte is read by `cat` at once
 * and its echo is `cat` writing it back, as an editor's would be. The shell computes the ready
 * line, so its echo of the typed command never matches {@link READY_MARKER}.
 */
const ECHO_SCRIPT = 'stty raw -echo; echo "echo-ready-$((6*7))"; exec cat';
const READY_MARKER = 'echo-ready-42';
/** The keys typed: printable, one byte each, none of them in the ready line. */
const KEYS = 'qwzvjk';

/** A terminal at `cat`: bytes typed into it, its output read back. */
interface EchoLine {
  write(bytes: Uint8Array): void;
  close(): Promise<void>;
}

/** Starts the far side of an {@link EchoLine}, `onData` reading what it sends back. */
type Connect = (onData: (bytes: Uint8Array) => void) => Promise<EchoLine>;

/** One side of a keystroke figure, started before the timed calls and stopped after them. */
interface EchoContender extends Contender {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * One side's keystroke echo: each timed call types one key and waits for it to come back; then
 * waits `gapMs`, untimed, before the next key.
 */
function echoContender(name: string, connect: Connect, gapMs: number): EchoContender {
  let line: EchoLine | undefined;
  let waiting: { key: number; resolve: () => void } | undefined;
  let ready: (() => void) | undefined;
  const watch = new MarkerWatch(READY_MARKER);
  let typed = 0;
  const onData = (bytes: Uint8Array): void => {
    if (ready !== undefined) {
      if (watch.push(bytes)) ready();
      return;
    }
    // Only the key's own echo ends a round trip (a late newline of the ready line does not).
    if (waiting === undefined || !bytes.includes(waiting.key)) return;
    const { resolve } = waiting;
    waiting = undefined;
    resolve();
  };
  return {
    name,
    async start() {
      const isReady = new Promise<void>((resolve, reject) => {
        ready = resolve;
        setTimeout(() => reject(new Error(`${name}: cat did not start`)), READY_TIMEOUT_MS).unref();
      });
      line = await connect(onData);
      await isReady;
      ready = undefined;
    },
    run: () =>
      new Promise<void>((resolve) => {
        const key = KEYS.charCodeAt(typed++ % KEYS.length);
        waiting = { key, resolve };
        line!.write(Uint8Array.of(key));
      }),
    ...(gapMs > 0 ? { cleanUp: () => sleep(gapMs) } : {}),
    stop: async () => line?.close(),
  };
}

/** LabDeck: an attached terminal on `target`, the echo script typed into its shell. */
function labdeckConnect(client: Client, target: TerminalTarget): Connect {
  return async (onData) => {
    const tab = await openTab(client, target, {
      data: (bytes) => {
        tab.control.ack(bytes.byteLength);
        onData(bytes);
      },
      end: () => undefined,
    });
    tab.type(`${ECHO_SCRIPT}\r`);
    return { write: (bytes) => tab.type(bytes), close: () => tab.close() };
  };
}

/** OpenSSH: `ssh -tt HOST` running `remote` (the echo script, or a command that runs it). */
function openSshConnect(sshArgv: readonly string[], remote: string): Connect {
  return async (onData) => {
    const child = spawn('ssh', ['-tt', ...sshArgv, remote], { stdio: ['pipe', 'pipe', 'ignore'] });
    child.stdout.on('data', (chunk: Buffer) => onData(chunk));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return {
      write: (bytes) => child.stdin.write(bytes),
      close: async () => {
        child.kill();
        await exited;
      },
    };
  };
}

/** What the keystroke figures need from the bench's session host. */
export interface EchoSetup {
  readonly client: Client;
  readonly hostId: string;
  readonly session: string;
  readonly containerId: string;
  /** `ssh` options and destination, before the remote command. */
  readonly sshArgv: readonly string[];
}

/**
 * Issue 10's keystroke figure: one key into a host terminal at `cat`, until its echo is back,
 * against the same over `ssh -tt HOST`; the same in a session's terminal against
 * `ssh -tt HOST docker exec -it CONTAINER`; and keys sent back to back, where each echo meets
 * the agent's output batching (TERMINAL_BATCH_MS) still open from the one before.
 */
export async function keystrokeFigures(setup: EchoSetup): Promise<ReportRow[]> {
  const host = labdeckConnect(setup.client, { kind: 'host', hostId: setup.hostId });
  const session = labdeckConnect(setup.client, { kind: 'session', session: setup.session });
  const sshHost = openSshConnect(setup.sshArgv, ECHO_SCRIPT);
  const inContainer = ['docker', 'exec', '-it', setup.containerId, 'sh', '-c', ECHO_SCRIPT];
  const sshSession = openSshConnect(setup.sshArgv, commandLine(inContainer));
  const typist = `one key every ${TYPING_GAP_MS} ms`;
  const pairs = [
    {
      name: `Keystroke echo round trip, host terminal (SSH host, loopback, ${typist})`,
      subject: echoContender(
        'a key into an attached host terminal at `cat`, to its echo',
        host,
        TYPING_GAP_MS,
      ),
      baseline: echoContender('OpenSSH `ssh -tt HOST`, the same `cat`', sshHost, TYPING_GAP_MS),
      iterations: ITERATIONS,
      target: true,
    },
    {
      name: `Keystroke echo round trip, session terminal (SSH host, loopback, ${typist})`,
      subject: echoContender(
        'a key into an attached session terminal at `cat`, to its echo',
        session,
        TYPING_GAP_MS,
      ),
      baseline: echoContender(
        'OpenSSH `ssh -tt HOST docker exec -it CONTAINER`, the same `cat`',
        sshSession,
        TYPING_GAP_MS,
      ),
      iterations: ITERATIONS,
      target: true,
    },
    {
      name: 'Keystroke echo round trip, host terminal, keys back to back (SSH host, loopback)',
      subject: echoContender('the next key as soon as the echo is back', host, 0),
      baseline: echoContender('OpenSSH `ssh -tt HOST`, the same', sshHost, 0),
      iterations: BACK_TO_BACK_ITERATIONS,
      target: false,
    },
  ];
  const rows: ReportRow[] = [];
  for (const { name, subject, baseline, iterations, target } of pairs) {
    await Promise.all([subject.start(), baseline.start()]);
    try {
      const result = await measure({
        name,
        subject,
        baseline,
        iterations,
        ...(target ? { targetDifferenceMs: TARGET_DIFFERENCE_MS } : {}),
        p95: true,
      });
      rows.push({ ...result, subjectName: subject.name, baselineName: baseline.name });
    } finally {
      await Promise.all([subject.stop(), baseline.stop()]);
    }
  }
  return rows;
}
