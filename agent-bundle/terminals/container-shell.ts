import { randomBytes } from 'node:crypto';
import { Readable, Writable, type Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppFailure } from '../../common/contract/result';
import {
  dockerCall,
  dockerFailure,
  startHijacked,
  type DockerTarget,
  type HijackedExec,
} from './docker-exec';
import type { TerminalProcess } from './terminal-process';

export { dockerSocketPath } from './docker-exec';

/**
 * The shell an exec runs: bash as a login shell where the image has it, else sh. Fixed text, with
 * nothing of the user's in it. No User or WorkingDir is passed, so the exec runs as the
 * container's user in its working directory, which is the session's.
 */
const SHELL_SCRIPT = 'if [ -x /bin/bash ]; then exec /bin/bash -l; fi; exec /bin/sh -l';
/**
 * Names the shell's processes for {@link HANGUP_SCRIPT}: `LABDECK_TERMINAL=<random hex>` is in
 * the exec's environment (and its children's).
 */
const MARKER_VARIABLE = 'LABDECK_TERMINAL';
/** Random bytes of a marker: unique among the execs of a container. */
const MARKER_BYTES = 8;
/** How many times kill() looks whether the foreground job is gone before it hangs up the shell… */
const HANGUP_WAIT_TRIES = 10;
/** …this many seconds apart (a fraction: images whose `sleep` refuses it just do not wait). */
const HANGUP_WAIT_S = 0.1;
/**
 * What kill() runs in the container, as the shell's user, with the marker as `$1`: SIGHUP to the
 * foreground process group of the tty of the shell that carries the marker (the exec's own
 * process, parent 0 in the container), then to that shell, as a terminal's hangup does. The shell
 * is hung up once its job is gone, so it has reaped it: in a container whose init does not reap,
 * an orphan would stay a zombie. Needed because Docker keeps an exec's pty open after its client
 * hangs up (https://github.com/moby/moby/issues/9098): closing the stream leaves the shell
 * running. Fixed text; the marker arrives as an argument.
 */
const HANGUP_SCRIPT = [
  'for dir in /proc/[0-9]*; do',
  `  tr '\\0' '\\n' < "$dir/environ" 2>/dev/null | grep -qx "${MARKER_VARIABLE}=$1" || continue`,
  '  read -r pid _ _ ppid _ _ _ tpgid _ < "$dir/stat" || continue',
  '  [ "$ppid" = 0 ] || continue',
  '  if [ "$tpgid" -gt 0 ] && [ "$tpgid" != "$pid" ] && kill -HUP "-$tpgid"; then',
  '    n=0',
  `    while [ $n -lt ${HANGUP_WAIT_TRIES} ] && kill -0 "-$tpgid" 2>/dev/null; do`,
  `      n=$((n + 1)); sleep ${HANGUP_WAIT_S} 2>/dev/null`,
  '    done',
  '  fi',
  '  kill -HUP "$pid"',
  'done',
  'exit 0',
].join('\n');
/** What every session terminal gets, before the caller's `env` (which may override them). */
const DEFAULT_ENV = ['TERM=xterm-256color', 'COLORTERM=truecolor'] as const;
/** Docker records an exec's exit code a moment after its stream closes; poll this often… */
const EXIT_POLL_MS = 50;
/** …for this long at most before calling the code unknown. */
const EXIT_WAIT_MS = 5_000;
/** Container ids as Docker gives them (and as `terminalAgentTargetSchema` admits). */
const CONTAINER_ID = /^[0-9a-f]{12,64}$/;

/** Where and how big the shell of {@link startContainerShell} is. */
export interface ContainerShellOptions {
  /** The Docker engine's Unix socket. */
  readonly socketPath: string;
  /** Container id (hex). */
  readonly container: string;
  readonly cols: number;
  readonly rows: number;
  /** Extra `KEY=VALUE` for the shell, after `TERM=xterm-256color` and `COLORTERM=truecolor`. */
  readonly env?: readonly string[];
}

/** The exec's state as `GET /exec/{id}/json` reports it. */
interface ExecState {
  readonly Running?: boolean;
  readonly ExitCode?: number | null;
}

/**
 * The tty's output as a Readable with backpressure: when the reader stops, the socket is paused,
 * so Docker stops reading the pty and the shell blocks on its next write. Ends when the socket
 * does (the shell exited, or kill()).
 */
function outputOf(exec: HijackedExec): Readable {
  const { socket, head } = exec;
  const output = new Readable({
    read: () => void socket.resume(),
    destroy: (error, callback) => {
      socket.destroy();
      callback(error);
    },
  });
  if (head.length > 0) output.push(head);
  socket.on('data', (chunk: Buffer) => {
    if (!output.push(chunk)) socket.pause();
  });
  // A reset connection (the engine stopped, the container was removed) ends the output, as an
  // exit does; exited then says what Docker knows.
  socket.on('error', () => output.push(null));
  socket.once('end', () => output.push(null));
  socket.once('close', () => output.push(null));
  return output;
}

/**
 * Keystrokes to the tty. Writes after the shell has gone are dropped, as a terminal drops them;
 * ending `input` does not hang up (with a tty Docker would close the whole stream): kill() does.
 */
function inputOf(socket: Duplex): Writable {
  return new Writable({
    write: (chunk: Buffer, _encoding, callback) => {
      if (socket.destroyed || !socket.writable) return callback();
      socket.write(chunk, () => callback());
    },
  });
}

/** The exec's exit code once Docker has recorded it; null when it cannot say (or in time). */
async function exitCodeOf(target: DockerTarget, execId: string): Promise<number | null> {
  const deadline = Date.now() + EXIT_WAIT_MS;
  for (;;) {
    const reply = await dockerCall(target.socketPath, 'GET', `/exec/${execId}/json`).catch(
      () => null,
    );
    if (reply === null || reply.status !== 200) return null;
    const state = reply.body as ExecState;
    if (state.Running === false) return typeof state.ExitCode === 'number' ? state.ExitCode : null;
    if (Date.now() > deadline) return null;
    await sleep(EXIT_POLL_MS);
  }
}

/** `POST /exec/{id}/resize`; rejects with Docker's reason. */
async function resizeExec(
  target: DockerTarget,
  execId: string,
  cols: number,
  rows: number,
): Promise<void> {
  const reply = await dockerCall(
    target.socketPath,
    'POST',
    `/exec/${execId}/resize?h=${rows}&w=${cols}`,
  );
  if (reply.status < 200 || reply.status >= 300) {
    const failure = dockerFailure(target, reply.status, reply.body);
    throw new AppFailure({
      code: 'terminal-resize-failed',
      message: `Could not resize the terminal to ${cols}×${rows}: ${failure.message}`,
      ...(failure.hint === undefined ? {} : { hint: failure.hint }),
    });
  }
}

/** `POST /containers/{id}/exec`: the exec's id. */
async function createExec(target: DockerTarget, config: object): Promise<string> {
  const reply = await dockerCall(
    target.socketPath,
    'POST',
    `/containers/${target.container}/exec`,
    config,
  );
  const id = (reply.body as { Id?: unknown } | null)?.Id;
  if (reply.status !== 201 || typeof id !== 'string' || !/^[0-9a-f]+$/.test(id)) {
    throw dockerFailure(target, reply.status === 201 ? 500 : reply.status, reply.body);
  }
  return id;
}

/**
 * Hangs up the shell marked `marker` ({@link HANGUP_SCRIPT}) through a detached exec. Best effort:
 * a container that stopped meanwhile has nothing left to hang up.
 */
async function hangUp(target: DockerTarget, marker: string): Promise<void> {
  const execId = await createExec(target, {
    AttachStdout: false,
    AttachStderr: false,
    Cmd: ['/bin/sh', '-c', HANGUP_SCRIPT, 'labdeck-hangup', marker],
  });
  await dockerCall(target.socketPath, 'POST', `/exec/${execId}/start`, { Detach: true });
}

/**
 * A login shell in a running container, in a tty through Docker's exec API (`docker exec -it`):
 * as the container's user, in its working directory. Throws an {@link AppFailure}:
 * `container-not-found`, `session-not-running` (stopped or paused), `docker-unreachable` (no
 * socket, no permission) or `docker-exec-failed`.
 */
export async function startContainerShell(
  options: ContainerShellOptions,
): Promise<TerminalProcess> {
  const target: DockerTarget = { socketPath: options.socketPath, container: options.container };
  if (!CONTAINER_ID.test(options.container)) {
    throw new AppFailure({
      code: 'container-not-found',
      message: `"${options.container}" is not a container id (12 to 64 hex digits).`,
      hint: 'Open the terminal from the session list, which knows its container.',
    });
  }
  const marker = randomBytes(MARKER_BYTES).toString('hex');
  const execId = await createExec(target, {
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
    // API 1.42+ starts the tty at this size; older engines ignore it and get the resize below.
    ConsoleSize: [options.rows, options.cols],
    // The marker last, so that no `env` of the caller can replace it.
    Env: [...DEFAULT_ENV, ...(options.env ?? []), `${MARKER_VARIABLE}=${marker}`],
    Cmd: ['/bin/sh', '-c', SHELL_SCRIPT],
  });
  const exec = await startHijacked(target, execId);
  const output = outputOf(exec);
  let killed = false;
  const exited = new Promise<number | null>((resolve) => {
    exec.socket.once('close', () => {
      void exitCodeOf(target, execId).then((code) => resolve(killed ? null : code));
    });
  });
  const resize = (cols: number, rows: number): Promise<void> =>
    resizeExec(target, execId, cols, rows);
  // Docker before API 1.42 ignores ConsoleSize; it waits for the exec to start before resizing.
  await resize(options.cols, options.rows).catch(() => undefined);
  return {
    output,
    input: inputOf(exec.socket),
    resize,
    exited,
    kill: () => {
      if (killed) return;
      killed = true;
      exec.socket.destroy();
      void hangUp(target, marker).catch(() => undefined);
    },
  };
}
