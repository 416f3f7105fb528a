import { AppFailure } from '../../common/contract/result';
import { EXIT_FAILURE, exitWhenDrained, printError, processIo } from './cli-io';
import { runCli } from './labdeck';

/** Entry point of the `labdeck` bundle (out/cli/labdeck.js). */
runCli(process.argv.slice(2)).then(
  (code) => exitWhenDrained(code),
  (error: unknown) => {
    if (error instanceof AppFailure) printError(processIo, error.toAppError());
    else console.error('labdeck: unexpected error:', error);
    exitWhenDrained(EXIT_FAILURE);
  },
);
