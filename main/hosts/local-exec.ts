import { spawn } from 'node:child_process';
import { AppFailure } from '../../common/contract/result';
import type { ExecResult } from '../ssh/remote-exec';
import type { HostExecOptions } from './host';

/** Default time a short local command (the probe) may take, as over SSH. */
const LOCAL_EXEC_TIMEOUT_MS = 30_000;

/**
 * Runs a program on this computer as a child process — `argv[0]` with the rest as its
 * arguments, never through a shell — writes `stdin` if given, and collects its output.
 */
export function execLocal(
  argv: readonly string[],
  options: HostExecOptions & { readonly env?: NodeJS.ProcessEnv } = {},
): Promise<ExecResult> {
  const [program, ...args] = argv;
  if (program === undefined) return Promise.reject(new Error('execLocal needs a program'));
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.env ? { env: options.env } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new AppFailure({
          code: 'local-exec-timeout',
          message: `${program} did not finish on this computer in time.`,
        }),
      );
    }, options.timeoutMs ?? LOCAL_EXEC_TIMEOUT_MS);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.stdin.on('error', () => {}); // a program that exits without reading its stdin
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(
        new AppFailure({
          code: 'local-exec-failed',
          message: `Could not run ${program} on this computer: ${error.message}`,
        }),
      );
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.end(options.stdin);
  });
}
