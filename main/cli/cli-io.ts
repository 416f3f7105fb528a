import type { AppError, Result } from '../../common/contract/result';
import { terminalSafe } from '../../common/text/terminal-safe';

/** Exit status for a usage mistake (unknown command, bad flag), as in most Unix tools. */
export const EXIT_USAGE = 2;
/** Exit status when a request failed. */
export const EXIT_FAILURE = 1;

/** A mistake in how the command was typed; printed with the usage line, exit status 2. */
export class UsageError extends Error {
  /**
   * @param topic the command (and sub-command) whose usage is shown with the message, e.g.
   *   `['host', 'add']`; by default the one the command line picked.
   */
  constructor(
    message: string,
    readonly topic?: readonly string[],
  ) {
    super(message);
  }
}

/** Where commands write; injectable so tests can capture output without a child process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** The process's real stdout and stderr. */
export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/**
 * Prints an error the way every command does: the message, then the hint, then the code. Both
 * may quote a host (the agent's stderr), so they are made {@link terminalSafe}.
 */
export function printError(io: CliIo, error: AppError): void {
  io.err(`error: ${terminalSafe(error.message)}\n`);
  if (error.hint) io.err(`hint: ${terminalSafe(error.hint)}\n`);
  io.err(`(code: ${error.code})\n`);
}

/** What JSON.stringify leaves raw that a terminal may act on: DEL, C1 controls, LS and PS. */
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029]/g;

/**
 * `value` as the JSON every `--json` prints (`space` as JSON.stringify takes it): the same text,
 * except that DEL, the C1 controls (U+0080–U+009F: some terminals act on them as on `ESC [`)
 * and the line and paragraph separators are written as `\uXXXX` escapes, so a name a host chose
 * can neither drive the terminal nor break a line-by-line reader. Still the same JSON value.
 */
export function jsonText(value: unknown, space?: number): string {
  return (JSON.stringify(value, null, space) ?? 'null').replace(
    JSON_UNSAFE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * A value from a host (a path, a reason, a group's name) for one line of output: {@link terminalSafe},
 * and its line breaks and tabs made spaces, so it cannot start a line of its own that looks like
 * LabDeck's.
 */
export function oneLine(text: string): string {
  return terminalSafe(text).replace(/[\n\t\u2028\u2029]/g, ' ');
}

/** Returns the value of a successful result, or prints the error and returns undefined. */
export function valueOrReport<T>(io: CliIo, result: Result<T>): T | undefined {
  if (result.ok) return result.value;
  printError(io, result.error);
  return undefined;
}

/**
 * Formats rows as left-aligned columns separated by two spaces. Cells may hold what a host
 * reported (process and container names), so they are made {@link terminalSafe}.
 */
export function table(unsafeRows: readonly (readonly string[])[]): string {
  const rows = unsafeRows.map((row) => row.map((cell) => terminalSafe(cell).replace(/\s/g, ' ')));
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '),
    )
    .join('\n')
    .concat('\n');
}

/** Clears a terminal and homes the cursor, so each redraw of a `--watch` replaces the last. */
export const CLEAR_SCREEN = '\u001b[H\u001b[2J';

/** A table cell: the value with its unit, or `-` where the host did not say. */
export const dash = (value: number | string | null, unit = ''): string =>
  value === null ? '-' : `${value}${unit}`;

/**
 * Ends the process with `code` once everything written to stdout and stderr has been handed to
 * the OS. Writes to a pipe are asynchronous on POSIX, so `process.exit()` right after a large
 * write cuts the output at the pipe's buffer (64 KiB on Linux): `labdeck host ls --json | wc -c`.
 * The exit itself stays explicit, so a handle someone forgot to close cannot hang a script.
 */
export function exitWhenDrained(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const done = (): void => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}
