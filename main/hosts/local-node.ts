import { constants } from 'node:fs';
import { access, realpath } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { nodeIsUsable } from '../../common/agent/probe-report';
import { AppFailure } from '../../common/contract/result';
import { execLocal } from './local-exec';

/**
 * A real Node.js for running the agent's entries outside the app's own process on This computer
 * (host setup, through sudo): the running Node under the CLI and browser mode, else — in the
 * desktop app, whose binary is Electron and runs as Node only with an environment variable sudo
 * drops — the first Node 18+ on PATH.
 */
export async function localNodePath(env: NodeJS.ProcessEnv): Promise<string> {
  if (process.versions.electron === undefined) return process.execPath;
  for (const dir of (env.PATH ?? '').split(delimiter).filter((entry) => entry.startsWith('/'))) {
    const candidate = join(dir, 'node');
    try {
      await access(candidate, constants.X_OK);
      const { stdout, code } = await execLocal([candidate, '--version'], { timeoutMs: 10_000 });
      if (code === 0 && nodeIsUsable(stdout.toString('utf8').trim()))
        return await realpath(candidate);
    } catch {
      // Not here, or not runnable: the next directory.
    }
  }
  throw new AppFailure({
    code: 'local-node-missing',
    message:
      'Setting up This computer needs Node.js 18 or newer on PATH: the LabDeck window runs on Electron, which sudo cannot run as Node.',
    hint: 'Install Node.js (`sudo apt-get install nodejs`), or run `labdeck host setup local` from the CLI.',
  });
}
