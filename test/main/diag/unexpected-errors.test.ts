import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../harness/labdeck-build';

const run = promisify(execFile);

/**
 * A process that installs the handler, then fails both ways Node ends a process for, and goes on
 * with its work: it must log both and still finish that work.
 */
const SERVER = `
import { keepServingOnUnexpectedErrors } from ${JSON.stringify(join(REPO_ROOT, 'main/diag/unexpected-errors.ts'))};
keepServingOnUnexpectedErrors();
Promise.reject(new Error('a late answer nobody awaited'));
setTimeout(() => { throw new TypeError('protocol._destruct is not a function'); }, 10);
setTimeout(() => console.log('still serving'), 100);
`;

describe('keepServingOnUnexpectedErrors', () => {
  let dir: string;
  let script: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labdeck-unexpected-'));
    script = join(dir, 'server.mjs');
    await build({
      stdin: { contents: SERVER, loader: 'ts', resolveDir: REPO_ROOT },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: script,
      logLevel: 'silent',
    });
  });
  afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

  it('logs an unhandled rejection and an uncaught exception, and the process keeps working', async () => {
    const { stdout, stderr } = await run(process.execPath, [script]);
    expect(stdout).toBe('still serving\n');
    expect(stderr).toContain(
      'labdeck: unhandled promise rejection (kept running; please report this): Error: a late answer nobody awaited',
    );
    expect(stderr).toContain(
      'labdeck: uncaught exception (kept running; please report this): TypeError: protocol._destruct is not a function',
    );
  });

  it('is what keeps it alive: without it the same process dies of the first error', async () => {
    const bare = join(dir, 'bare.mjs');
    await build({
      stdin: {
        contents: SERVER.replace('keepServingOnUnexpectedErrors();', ''),
        loader: 'ts',
        resolveDir: REPO_ROOT,
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: bare,
      logLevel: 'silent',
    });
    const failed = await run(process.execPath, [bare]).catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect(failed).toMatchObject({ code: 1, stdout: '' });
  });
});
