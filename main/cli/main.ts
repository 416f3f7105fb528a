import { EXIT_FAILURE, exitWhenDrained, printError, processIo } from './cli-io';
import { runCli } from './labdeck';

/** Reports what escaped a command; result.ts (and zod with it) loads only on this path. */
async function reportUnexpected(error: unknown): Promise<void> {
  const { AppFailure } = await import('../../common/contract/result');
  if (error instanceof AppFailure) printError(processIo, error.toAppError());
  else console.error('labdeck: unexpected error:', error);
}

/** Entry point of the `labdeck` bundle (out/cli/labdeck.js). */
runCli(process.argv.slice(2)).then(
  (code) => exitWhenDrained(code),
  (error: unknown) => void reportUnexpected(error).finally(() => exitWhenDrained(EXIT_FAILURE)),
);
