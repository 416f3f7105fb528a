import { closeSync, openSync, renameSync, statSync, writeSync } from 'node:fs';

/** Where the agent writes what happened; one line per call, timestamped. */
export interface AgentLog {
  info(message: string): void;
  warn(message: string): void;
  /** Closes the log file; later lines reopen it. */
  close(): Promise<void>;
}

/**
 * A log file rotates to `<path>.1` past this size, so a long-lived daemon's log stays bounded
 * (at most twice this on disk) even in a quota'd home or a small tmpfs.
 */
export const AGENT_LOG_MAX_BYTES = 1024 * 1024;

/** Only the user may read the log: it names clients and paths. */
const LOG_FILE_MODE = 0o600;
/** Longer messages are cut: a log line must never carry a whole (1 MiB) protocol line. */
const LOG_MESSAGE_MAX_CHARS = 2000;

/** Control characters (newlines included) that a client could use to forge log lines. */
const CONTROL_CHARACTERS = /\p{Cc}/gu;

function formatLine(level: string, message: string): string {
  const clean = message.replace(CONTROL_CHARACTERS, ' ');
  const text =
    clean.length > LOG_MESSAGE_MAX_CHARS ? `${clean.slice(0, LOG_MESSAGE_MAX_CHARS)}…` : clean;
  return `${new Date().toISOString()} ${level} [${process.pid}] ${text}\n`;
}

/** A log that writes to stderr: for `stdio` mode, whose stdout carries the protocol. */
export function stderrLog(): AgentLog {
  return {
    info: (message) => process.stderr.write(formatLine('info', message)),
    warn: (message) => process.stderr.write(formatLine('warn', message)),
    close: async () => undefined,
  };
}

/** Size of the file at `path`, 0 when it does not exist. */
function fileSizeSync(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * A log appended to `path` (the daemon's `agent.log`), rotated to `<path>.1` once it passes
 * `maxBytes`. Writes are synchronous: lines are few (a handful per connection), stay in order
 * across rotation, and are on disk even if the process exits right after. Logging never throws:
 * a full disk must not take the agent down.
 */
export function fileLog(path: string, maxBytes = AGENT_LOG_MAX_BYTES): AgentLog {
  let fd: number | undefined;
  let written = fileSizeSync(path);

  const writeLineSync = (level: string, message: string): void => {
    const line = formatLine(level, message);
    const bytes = Buffer.byteLength(line);
    try {
      if (written + bytes > maxBytes && written > 0) {
        if (fd !== undefined) closeSync(fd);
        fd = undefined;
        renameSync(path, `${path}.1`);
        written = 0;
      }
      fd ??= openSync(path, 'a', LOG_FILE_MODE);
      writeSync(fd, line);
      written += bytes;
    } catch {
      // Nowhere left to report it; carry on without the line.
    }
  };

  return {
    info: (message) => writeLineSync('info', message),
    warn: (message) => writeLineSync('warn', message),
    close: async () => {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
