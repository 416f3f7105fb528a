import type { Client } from '../../../common/contract/client';
import {
  describePullProgress,
  isPullDone,
  PullLineReader,
  type PullDoneLine,
  type PullLine,
} from '../../../common/contract/pull-progress';
import type { AppError } from '../../../common/contract/result';
import { terminalSafe } from '../../../common/text/terminal-safe';
import { EXIT_FAILURE, jsonText, printError, type CliIo } from '../cli-io';

/** Carriage return, then erase to the end of the line: redraws a progress line in place. */
const REDRAW = '\r\u001b[K';

/** The error for a line the CLI cannot read: the services speak another version of the stream. */
function unreadable(why: unknown): AppError {
  return {
    code: 'unexpected-reply',
    message: `The pull's progress could not be read: ${why instanceof Error ? why.message : String(why)}.`,
    hint: 'The running LabDeck and this command are from different versions; restart LabDeck.',
  };
}

/** Shows progress on stderr: redrawn in place on a terminal, one line per change otherwise. */
function progressDisplay(io: CliIo, redraw: boolean) {
  let shown = '';
  return {
    show(text: string): void {
      if (text === shown) return;
      shown = text;
      io.err(redraw ? `${REDRAW}${text}` : `${text}\n`);
    },
    /** Ends the redrawn line, so what follows starts on a line of its own. */
    close(): void {
      if (redraw && shown !== '') io.err('\n');
      shown = '';
    },
  };
}

/**
 * `labdeck session pull HOST IMAGE`: pulls IMAGE onto HOST's engine, showing progress, and
 * returns the exit status (0 once the image is on the host). With `json`, prints the stream's
 * lines to stdout as they come (common/contract/pull-progress.ts). Ctrl+C stops the pull.
 */
export function pullCommand(
  client: Client,
  hostId: string,
  image: string,
  io: CliIo,
  json: boolean,
): Promise<number> {
  const display = progressDisplay(io, !json && process.stderr.isTTY === true);
  const reader = new PullLineReader();
  let done: PullDoneLine | undefined;
  return new Promise((resolve) => {
    let finished = false;
    const finish = (code: number, error?: AppError): void => {
      if (finished) return;
      finished = true;
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      display.close();
      if (error) printError(io, error);
      resolve(code);
    };
    const interrupted = (): void => {
      control.close();
      finish(EXIT_FAILURE, {
        code: 'pull-stopped',
        message: `Stopped pulling ${image}; the host does not have it.`,
      });
    };
    const take = (lines: readonly PullLine[]): void => {
      for (const line of lines) {
        if (isPullDone(line)) done = line;
        if (json) io.out(`${jsonText(line)}\n`);
        else if (!isPullDone(line)) display.show(terminalSafe(describePullProgress(line)));
      }
    };
    if (!json) io.err(`Pulling ${image} onto ${hostId}…\n`);
    const control = client.openStream(
      'sessions:pull',
      { hostId, image },
      {
        data: (bytes) => {
          try {
            take(reader.push(bytes));
          } catch (error) {
            control.close();
            finish(EXIT_FAILURE, unreadable(error));
            return;
          }
          control.ack(bytes.length);
        },
        end: (error) => {
          if (error) return finish(EXIT_FAILURE, error);
          try {
            take(reader.end());
          } catch (readError) {
            return finish(EXIT_FAILURE, unreadable(readError));
          }
          if (!done)
            return finish(
              EXIT_FAILURE,
              unreadable(new Error('it ended without saying the image is in place')),
            );
          if (!json) {
            display.close();
            io.out(`Pulled ${terminalSafe(done.image)} (${done.id.slice(0, 19)}).\n`);
          }
          finish(0);
        },
      },
    );
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
  });
}
