import type { Duplex } from 'node:stream';
import { encodeStreamHeader, type StreamOpen } from '../../common/agent/stream-header';
import { AppFailure } from '../../common/contract/result';
import type { AgentClient } from './agent-client';

const socketPaths = new WeakMap<AgentClient, Promise<string>>();

/**
 * The Unix socket of the daemon `agent` speaks for (asked once per agent connection), where
 * byte streams connect directly — no process starts on the host per stream.
 */
export function daemonSocketOf(agent: AgentClient): Promise<string> {
  let path = socketPaths.get(agent);
  if (path === undefined) {
    path = agent.call('agent.info', {}).then((result) => {
      if (!result.ok) throw new AppFailure(result.error);
      const info = result.value;
      if (info.socketPath === undefined) {
        throw new AppFailure({
          code: 'agent-not-daemon',
          message: "The host's agent runs without its daemon, which byte streams need.",
          hint: 'Disconnect and connect the host again.',
        });
      }
      return info.socketPath;
    });
    path.catch(() => socketPaths.delete(agent));
    socketPaths.set(agent, path);
  }
  return path;
}

/** Writes a stream's open header on a fresh connection to the daemon socket and returns it. */
export function startAgentStream(connection: Duplex, open: StreamOpen): Duplex {
  connection.write(encodeStreamHeader(open));
  return connection;
}

/** `attach`'s arguments for `open`: what runs on an exec channel when sockets cannot be reached. */
export function attachArgs(open: StreamOpen): string[] {
  const args = ['attach', open.stream];
  if (open.cols !== undefined) args.push('--cols', String(open.cols));
  if (open.rows !== undefined) args.push('--rows', String(open.rows));
  if (open.from !== undefined) args.push('--from', String(open.from));
  return args;
}
