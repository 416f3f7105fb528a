import { constants } from 'node:os';
import type { Client } from '../../common/contract/client';
import type { AppError } from '../../common/contract/result';
import type { TerminalLink } from '../../common/contract/terminals';
import { terminalSafe } from '../../common/text/terminal-safe';
import { EXIT_FAILURE, printError, type CliIo } from './cli-io';
import { TerminalEscape } from './terminal-escape';
import { linkNotice } from './terminal-link-notice';

/** Resizes closer together than this are sent as one: dragging a window sends dozens. */
export const RESIZE_DEBOUNCE_MS = 100;
/**
 * After a pipe on stdin ends, how long the output must be quiet before detaching: long enough
 * for the echo and the first output of what the pipe sent (or for the `exit` it ended with).
 */
export const STDIN_END_QUIET_MS = 1000;
/** After the stream ended, how long to wait for the link's `ended` that carries the exit code. */
const EXIT_CODE_WAIT_MS = 2000;
/** Size of a terminal opened without one on stdout (a pipe): the VT100's. */
export const DEFAULT_TERMINAL_SIZE = { cols: 80, rows: 24 } as const;
/** The largest size the contract takes (common/agent/terminal-agent.ts). */
const MAX_SIZE = { cols: 1000, rows: 500 } as const;
const LF = 0x0a;
/** Signals that detach (the terminal keeps running), each exiting 128 + its number as shells do. */
const DETACHING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The size of the terminal stdout is, within the contract's bounds; undefined for a pipe. */
export function stdoutSize(): { cols: number; rows: number } | undefined {
  const { stdout } = process;
  if (stdout.isTTY !== true || !stdout.columns || !stdout.rows) return undefined;
  return {
    cols: Math.min(Math.max(stdout.columns, 2), MAX_SIZE.cols),
    rows: Math.min(Math.max(stdout.rows, 1), MAX_SIZE.rows),
  };
}

/** The line printed on detaching, with how to come back. */
export function detachedText(id: string): string {
  return `Detached from terminal ${id}; it keeps running. Reattach with: labdeck terminal attach ${id}`;
}

/**
 * Attaches this process's stdin and stdout to terminal `id` (`terminals:attach`) until it is
 * detached or ends; resolves to the exit status: 0 on detaching, the process's exit code when it
 * exits, 1 when the stream fails.
 *
 * On a terminal stdin goes raw (restored on every way out: detach, end, error, signal, exit) and
 * `~.` after a newline detaches, as in ssh; a pipe goes through as it is, and its end detaches
 * once the output is quiet. Output is acknowledged once stdout took it, so a slow reader holds
 * the terminal back instead of growing this process's memory. Resizes of the window are
 * debounced and sent on; the link's changes (`terminals:link`) are said on stderr.
 */
export function attachTerminal(
  client: Client,
  terminal: { readonly id: string; readonly hostId?: string | undefined },
  io: CliIo,
): Promise<number> {
  const { id } = terminal;
  const on = terminal.hostId === undefined ? {} : { hostId: terminal.hostId };
  const { stdin, stdout } = process;
  const raw = stdin.isTTY === true;
  const escape = new TerminalEscape();
  let lastOut = LF;
  let link: TerminalLink | undefined;
  let streamEnded = false;
  let finished = false;
  let resizeTimer: NodeJS.Timeout | undefined;
  let quietTimer: NodeJS.Timeout | undefined;
  /** After the stream's end, until the link says the exit code. */
  let endTimer: NodeJS.Timeout | undefined;

  /** Ends the output's line on stderr, if it stopped mid-line, so what follows has its own. */
  const freshLine = (): void => {
    if (lastOut !== LF) io.err('\n');
    lastOut = LF;
  };
  /** A line on stderr, on a line of its own. */
  const say = (line: string): void => {
    freshLine();
    io.err(`${line}\n`);
  };
  const restoreTty = (): void => {
    if (raw && stdin.isRaw) stdin.setRawMode(false);
  };

  return new Promise<number>((resolve) => {
    const finish = (code: number, report?: () => void): void => {
      if (finished) return;
      finished = true;
      for (const timer of [resizeTimer, quietTimer, endTimer]) clearTimeout(timer);
      stdin.off('data', onKeys);
      stdin.off('end', onStdinEnd);
      stdin.pause();
      stdout.off('resize', onResize);
      for (const signal of DETACHING_SIGNALS) process.off(signal, onSignal);
      unlisten();
      restoreTty();
      process.off('exit', restoreTty);
      report?.();
      resolve(code);
    };
    const detach = (code = 0): void => {
      if (finished) return;
      control.close();
      finish(code, () => say(detachedText(id)));
    };
    const ended = (exitCode: number | null, why?: AppError): void =>
      finish(exitCode ?? EXIT_FAILURE, () =>
        say(
          exitCode === null
            ? `[terminal ended${why ? `: ${terminalSafe(why.message)}` : ''}]`
            : `[terminal ended: exit ${exitCode}]`,
        ),
      );
    /** The code when the link did not say it: the list keeps exited terminals a while. */
    const endFromList = async (): Promise<void> => {
      const listed = await client.request('terminals:list', {});
      const terminal = listed.ok ? listed.value.terminals.find((t) => t.id === id) : undefined;
      ended(terminal?.exitCode ?? null);
    };

    const onKeys = (chunk: Buffer): void => {
      if (!raw) return control.write(chunk);
      const scan = escape.scan(chunk);
      if (scan.send.length > 0) control.write(scan.send);
      if (scan.detach) detach();
    };
    const armQuiet = (): void => {
      clearTimeout(quietTimer);
      quietTimer = setTimeout(() => detach(), STDIN_END_QUIET_MS);
    };
    const onStdinEnd = (): void => armQuiet();
    const onResize = (): void => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => {
        const size = stdoutSize();
        if (size) void client.request('terminals:resize', { id, ...on, ...size });
      }, RESIZE_DEBOUNCE_MS);
    };
    // Nobody reads the output any more (`| head`): leave the terminal running. Kept after the
    // end too, so the last writes' EPIPE is not an uncaught error.
    const onStdoutError = (): void => detach();
    const onSignal = (signal: NodeJS.Signals): void => detach(128 + constants.signals[signal]);

    // Listened to before attaching, so no change between the two is missed.
    const unlisten = client.listen(
      'terminals:link',
      { id },
      {
        event: (next) => {
          const notice = linkNotice(link, next);
          link = next;
          if (notice) say(notice);
          // The end is said once the stream ended, after the last output (and a link kept from
          // an earlier attachment is no end of this one).
          if (next.link === 'ended' && streamEnded) ended(next.exitCode, next.error);
        },
      },
    );
    const control = client.openStream(
      'terminals:attach',
      { id, ...on, ...stdoutSize() },
      {
        data: (bytes) => {
          if (finished) return;
          lastOut = bytes.at(-1) ?? lastOut;
          if (quietTimer) armQuiet();
          stdout.write(bytes, (error) => {
            if (!error) control.ack(bytes.length);
          });
        },
        end: (error) => {
          streamEnded = true;
          if (error) return finish(EXIT_FAILURE, () => (freshLine(), printError(io, error)));
          if (link?.link === 'ended') return ended(link.exitCode, link.error);
          endTimer = setTimeout(() => void endFromList(), EXIT_CODE_WAIT_MS);
        },
      },
    );

    process.once('exit', restoreTty);
    if (raw) stdin.setRawMode(true);
    stdin.on('data', onKeys);
    stdin.on('end', onStdinEnd);
    stdin.resume();
    if (stdout.isTTY) stdout.on('resize', onResize);
    stdout.on('error', onStdoutError);
    for (const signal of DETACHING_SIGNALS) process.on(signal, onSignal);
  });
}
