import { runCli } from './labdeck';

/** Entry point of the `labdeck` bundle (out/cli/labdeck.js). */
runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('labdeck: unexpected error:', error);
    process.exit(1);
  },
);
