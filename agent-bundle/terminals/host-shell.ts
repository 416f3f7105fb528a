import { execFile, spawn } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { PassThrough, type Readable } from 'node:stream';
import { promisify } from 'node:util';
import { AppFailure } from '../../common/contract/result';
import type { TerminalProcess } from './terminal-process';

const run = promisify(execFile);

/** Looks for `script`'s shell this many times, this far apart, before a resize gives up. */
const SHELL_LOOKUP_TRIES = 10;
const SHELL_LOOKUP_DELAY_MS = 100;

/**
 * The command `script` runs in the pty, always this fixed text (never built from input): size
 * the pty, then become the user's login shell. Values come in through the environment.
 */
const LOGIN_SCRIPT =
  'stty rows "$LABDECK_ROWS" cols "$LABDECK_COLS" 2>/dev/null; ' +
  'SHELL=$LABDECK_LOGIN_SHELL; export SHELL; ' +
  'unset LABDECK_ROWS LABDECK_COLS LABDECK_LOGIN_SHELL; ' +
  'exec "$SHELL" -l';

/** What {@link startHostShell} needs. */
export interface HostShellOptions {
  readonly cols: number;
  readonly rows: number;
  /** The environment the shell starts from; LabDeck's own variables are left out. */
  readonly env: NodeJS.ProcessEnv;
  /** `script`; a test may point elsewhere. */
  readonly scriptPath?: string;
}

/** The user's login shell from the passwd database, `/bin/sh` when it names none. */
function loginShell(): string {
  try {
    return userInfo().shell || '/bin/sh';
  } catch {
    return '/bin/sh';
  }
}

/** `script`'s argv: util-linux on Linux, BSD's on macOS. `-e` passes the shell's exit code. */
function scriptArgs(platform: NodeJS.Platform): string[] {
  if (platform === 'darwin') return ['-q', '/dev/null', '/bin/sh', '-c', LOGIN_SCRIPT];
  return ['-q', '-f', '-e', '-c', LOGIN_SCRIPT, '/dev/null'];
}

/**
 * Variables of the SSH session that first started the daemon: stale in a shell opened later
 * (a dead agent socket, another client's address), so a terminal does not inherit them.
 */
const STALE_SESSION_VARIABLES = new Set([
  'SSH_AUTH_SOCK',
  'SSH_CLIENT',
  'SSH_CONNECTION',
  'SSH_TTY',
  'SSH_ORIGINAL_COMMAND',
]);

/** The environment of the shell: the agent's, minus LabDeck's own variables, plus terminal ones. */
function shellEnv(options: HostShellOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(options.env)) {
    if (key.startsWith('LABDECK_') || key === 'ELECTRON_RUN_AS_NODE') continue;
    if (!STALE_SESSION_VARIABLES.has(key)) env[key] = value;
  }
  return {
    ...env,
    TERM: 'xterm-256color',
    COLORTERM: 'truecolor',
    // `script` runs its command with $SHELL -c: a POSIX shell, whatever the user's is.
    SHELL: '/bin/sh',
    LABDECK_LOGIN_SHELL: loginShell(),
    LABDECK_COLS: String(options.cols),
    LABDECK_ROWS: String(options.rows),
  };
}

/** `script`'s child: the shell, its pid and its pty device. */
interface ShellChild {
  readonly pid: number;
  readonly tty: string;
}

/** `script`'s child (the shell) and its pty (its stdin), found through /proc (Linux). */
async function shellOf(parentPid: number): Promise<ShellChild | undefined> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== parentPid) continue;
      const tty = await readlink(`/proc/${entry}/fd/0`);
      if (tty.startsWith('/dev/pts/')) return { pid: Number(entry), tty };
    } catch {
      // A process that exited meanwhile, or another user's: not ours.
    }
  }
  return undefined;
}

/** `script`'s child and its pty on macOS, through `ps`. */
async function shellOfDarwin(parentPid: number): Promise<ShellChild | undefined> {
  const { stdout } = await run('ps', ['-A', '-o', 'pid=', '-o', 'ppid=', '-o', 'tty=']);
  for (const line of stdout.split('\n')) {
    const [pid, ppid, tty] = line.trim().split(/\s+/);
    if (Number(ppid) === parentPid && tty && tty !== '??')
      return { pid: Number(pid), tty: `/dev/${tty}` };
  }
  return undefined;
}

/** What `script` may say on stderr that a terminal shows: its own failures, a few lines. */
const SCRIPT_STDERR_MAX_BYTES = 4 * 1024;

/**
 * The pty's output, with whatever `script` itself said on stderr (it cannot allocate a pty, it
 * rejects an option) appended at the end, so a terminal that ends at once says why instead of
 * showing nothing. The pipe's backpressure is kept: pausing the result pauses `stdout`.
 */
function withFailureText(stdout: Readable, stderr: Readable): Readable {
  const output = new PassThrough();
  const said: Buffer[] = [];
  let saidBytes = 0;
  stderr.on('data', (chunk: Buffer) => {
    if (saidBytes >= SCRIPT_STDERR_MAX_BYTES) return;
    said.push(chunk.subarray(0, SCRIPT_STDERR_MAX_BYTES - saidBytes));
    saidBytes += chunk.length;
  });
  const stderrDone = new Promise<void>((resolve) => stderr.once('close', () => resolve()));
  stdout.pipe(output, { end: false });
  stdout.once('end', () => {
    void stderrDone.then(() => {
      const text = Buffer.concat(said).toString('utf8').trim();
      if (text !== '') output.write(`\r\n${text.replace(/\r?\n/g, '\r\n')}\r\n`);
      output.end();
    });
  });
  return output;
}

/**
 * A login shell on this host in a pseudo-terminal, without a native module: `script` (util-linux,
 * in every Debian and RHEL base system; BSD's on macOS) allocates the pty and relays it over
 * pipes, so pausing the output pipe pauses the shell once the pty's buffer fills. Resizing sets
 * the pty's size with `stty -F` on its device, which sends the shell SIGWINCH.
 */
export function startHostShell(options: HostShellOptions): Promise<TerminalProcess> {
  const platform = process.platform;
  const child = spawn(options.scriptPath ?? 'script', scriptArgs(platform), {
    env: shellEnv(options),
    cwd: (() => {
      try {
        return userInfo().homedir;
      } catch {
        return '/';
      }
    })(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let shell: Promise<ShellChild | undefined> | undefined;
  const findShell = (): Promise<ShellChild | undefined> => {
    shell ??= (platform === 'darwin' ? shellOfDarwin : shellOf)(child.pid ?? -1).then((found) => {
      if (found === undefined) shell = undefined;
      return found;
    });
    return shell;
  };
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  child.stdin.on('error', () => undefined);
  const output = withFailureText(child.stdout, child.stderr);
  return new Promise((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new AppFailure({
          code: 'terminal-pty-missing',
          message: `This host cannot start a terminal: running \`script\` failed (${error.code ?? error.message}).`,
          hint: 'LabDeck gives shells a terminal with `script`: install util-linux (bsdutils on Debian and Ubuntu).',
        }),
      ),
    );
    child.once('spawn', () =>
      resolve({
        output,
        input: child.stdin,
        exited,
        // A hangup, as when a terminal closes: the shell exits and hangs up its jobs. `script`
        // itself ignores SIGHUP, so it is stopped only when the shell cannot be found. `force`
        // kills the shell's process group and `script`, whose closing pty hangs up the rest.
        kill: (force) => {
          if (!running()) return;
          void findShell().then(
            (found) => {
              const signal = force ? 'SIGKILL' : 'SIGHUP';
              try {
                if (found !== undefined) process.kill(force ? -found.pid : found.pid, signal);
              } catch {
                // Gone already (ESRCH), or its pid was reused by someone else's (EPERM).
              }
              if ((found === undefined || force) && running())
                child.kill(force ? 'SIGKILL' : 'SIGTERM');
            },
            () => undefined,
          );
        },
        resize: async (cols, rows) => {
          // Right after the start `script` may not have forked the shell yet: look a few times.
          let found = await findShell();
          for (
            let tries = 0;
            found === undefined && tries < SHELL_LOOKUP_TRIES && running();
            tries++
          ) {
            await new Promise((resolve) => setTimeout(resolve, SHELL_LOOKUP_DELAY_MS));
            found = await findShell();
          }
          if (found === undefined) throw new Error('the shell has not started yet; try again');
          const flag = platform === 'darwin' ? '-f' : '-F';
          await run('stty', [flag, found.tty, 'rows', String(rows), 'cols', String(cols)]);
        },
      }),
    );
  });
}
