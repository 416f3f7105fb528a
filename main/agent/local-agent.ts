import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { Duplex, type Readable } from 'node:stream';
import { AppFailure } from '../../common/contract/result';
import { AgentClient } from './agent-client';

/** How to reach the agent on "This computer". */
export interface LocalAgentOptions {
  /** The built agent, `out/agent/labdeck-agent.cjs`. */
  readonly bundlePath: string;
  /** Names LabDeck in the agent's log. */
  readonly client: string;
  /** Bound on starting `connect`, the daemon if needed, and the hello. */
  readonly timeoutMs: number;
  /** The Node binary; default this process's (Electron's, run as Node: see `env`). */
  readonly nodePath?: string;
  /** The daemon's socket; default the agent's own choice (XDG_RUNTIME_DIR or /tmp). */
  readonly socketPath?: string;
  /** Environment of the child (and the daemon it may start); default this process's. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs `<node> <bundle> <args…> [--socket PATH]` with stdio piped. */
function spawnAgent(
  options: LocalAgentOptions,
  args: readonly string[],
): ChildProcessWithoutNullStreams {
  const argv = [options.bundlePath, ...args];
  if (options.socketPath !== undefined) argv.push('--socket', options.socketPath);
  return spawn(options.nodePath ?? process.execPath, argv, {
    env: { ...(options.env ?? process.env), ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** A byte stream of the local daemon, on a child of its own. */
export interface LocalStream {
  /** Reads the agent's header, data frames and trailer; takes the client's data frames. */
  readonly stream: Duplex;
  /** The child's stderr (the agent's failure line, if it could not attach). */
  readonly stderr: Readable;
  /** Ends the child; the stream on the daemon side sees its client go. */
  close(): void;
}

/**
 * Opens byte stream `stream` (e.g. `diag:echo`) on the local daemon the way SSH hosts do over an
 * exec channel: `<node> <bundle> attach ID` as a child of its own, so the pipe's backpressure is
 * the stream's and bulk bytes never share the RPC child (docs/agent-streams.md).
 */
export function attachLocalStream(
  options: LocalAgentOptions,
  stream: string,
  size: { readonly cols?: number; readonly rows?: number } = {},
): LocalStream {
  const args = ['attach', stream];
  if (size.cols !== undefined) args.push('--cols', String(size.cols));
  if (size.rows !== undefined) args.push('--rows', String(size.rows));
  const child = spawnAgent(options, args);
  child.on('error', () => undefined);
  const duplex = Duplex.from({ readable: child.stdout, writable: child.stdin });
  // A child that exits is a stream that closes (without a trailer if it died): not an exception.
  duplex.on('error', () => undefined);
  return {
    stream: duplex,
    stderr: child.stderr,
    close: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}

/**
 * Connects to the local per-user agent daemon the same way SSH hosts do: runs
 * `<node> <bundle> connect` as a child and speaks the protocol over its stdio. The daemon is
 * shared with other LabDeck windows and the CLI and outlives this connection; closing the client
 * kills only the child. `ELECTRON_RUN_AS_NODE` makes Electron's binary behave as plain Node.
 */
export async function startLocalAgent(options: LocalAgentOptions): Promise<AgentClient> {
  const child = spawnAgent(options, ['connect']);
  const stop = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  const spawnFailed = new Promise<never>((_, reject) =>
    child.once('error', (error) =>
      reject(
        new AppFailure({
          code: 'agent-spawn-failed',
          message: `Could not start the local agent (${options.nodePath ?? process.execPath}): ${error.message}`,
          hint: 'Reinstall LabDeck; the agent bundle or the Node runtime is missing.',
        }),
      ),
    ),
  );
  spawnFailed.catch(() => undefined);
  const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
  try {
    const client = await Promise.race([
      AgentClient.connect(stream, {
        client: options.client,
        timeoutMs: options.timeoutMs,
        stderr: child.stderr,
      }),
      spawnFailed,
    ]);
    void client.closed.then(stop);
    return client;
  } catch (error) {
    stop();
    throw error;
  }
}
