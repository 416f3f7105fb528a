import type { Readable, Writable } from 'node:stream';

/**
 * The process behind one terminal, in a pseudo-terminal the agent owns: a login shell on the host
 * (`host-shell.ts`) or a shell in a container through Docker's exec API (`container-shell.ts`).
 * The terminal broker reads `output` with backpressure (pausing it pauses the process once the
 * pty's buffer fills), writes keystrokes to `input`, and keeps the output in its ring buffer.
 */
export interface TerminalProcess {
  /** The pty's output bytes, in order; ends when the process has exited. */
  readonly output: Readable;
  /** Keystrokes (and pastes) for the pty. */
  readonly input: Writable;
  /** Sets the pty's size; the process gets SIGWINCH. Rejects with a reason, never throws. */
  resize(cols: number, rows: number): Promise<void>;
  /** The exit code once the process has exited; null when a signal ended it or it is unknown. */
  readonly exited: Promise<number | null>;
  /**
   * Hangs up: the process is stopped (SIGHUP to a host shell; the exec's stream closed). With
   * `force`, for a process that ignored the hangup: killed outright (SIGKILL) where possible.
   */
  kill(force?: boolean): void;
}
