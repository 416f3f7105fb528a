import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Contender } from './bench-harness';

const run = promisify(execFile);

/**
 * `labdeck version` as a shell runs it (a fresh Node process on the built CLI) against `node -e 0`:
 * what the CLI costs before it knows its command. The command table loads a command's module,
 * and the services with it, only when it runs, so this should stay close to Node's own start.
 */
export function cliStartup(cliBundle: string): { subject: Contender; baseline: Contender } {
  return {
    subject: {
      name: 'node out/cli/labdeck.js version',
      async run() {
        await run(process.execPath, [cliBundle, 'version']);
      },
    },
    baseline: {
      name: 'node -e 0',
      async run() {
        await run(process.execPath, ['-e', '0']);
      },
    },
  };
}
