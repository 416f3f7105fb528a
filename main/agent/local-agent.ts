import { spawn } from 'node:child_process';
import { Duplex } from 'node:stream';
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

/**
 * Connects to the local per-user agent daemon the same way SSH hosts do: runs
 * `<node> <bundle> connect` as a child and speaks the protocol over its stdio. The daemon is
 * shared with other LabDeck windows and the CLI and outlives this connection; closing the client
 * kills only the child. `ELECTRON_RUN_AS_NODE` makes Electron's binary behave as plain Node.
 */
export async function startLocalAgent(options: LocalAgentOptions): Promise<AgentClient> {
  const argv = [options.bundlePath, 'connect'];
  if (options.socketPath !== undefined) argv.push('--socket', options.socketPath);
  const child = spawn(options.nodePath ?? process.execPath, argv, {
    env: { ...(options.env ?? process.env), ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
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
