import {
  TERMINAL_STREAM_NAME,
  terminalIdSchema,
  type TerminalAgentTarget,
} from '../../common/agent/terminal-agent';
import { AppFailure } from '../../common/contract/result';
import type { AgentRegistry } from '../rpc/agent-registry';
import type { DaemonControl } from '../runtime/daemon';
import { dockerSocketPath, startContainerShell } from './container-shell';
import { startHostShell } from './host-shell';
import { TerminalBroker, type TerminalOpen } from './terminal-broker';
import type { TerminalProcess } from './terminal-process';

/** Starts a terminal's process for its target. */
function startProcess(open: TerminalOpen): Promise<TerminalProcess> {
  const target: TerminalAgentTarget = open.target;
  switch (target.kind) {
    case 'host':
      return startHostShell({ cols: open.cols, rows: open.rows, env: process.env });
    case 'session': {
      const socketPath = target.dockerSocket ?? dockerSocketPath(process.env);
      if (socketPath === undefined) {
        throw new AppFailure({
          code: 'docker-unreachable',
          message:
            'The agent does not know where Docker listens on this host (DOCKER_HOST is not a unix socket).',
          hint: 'Set DOCKER_HOST to unix:///var/run/docker.sock (or your engine’s socket) for your user.',
        });
      }
      return startContainerShell({
        socketPath,
        container: target.container,
        cols: open.cols,
        rows: open.rows,
      });
    }
  }
}

/**
 * Registers the durable terminals (daemon only: a terminal must outlive the connection that
 * opened it): `terminal.open`, `.list`, `.resize`, `.close` and stream `term:<id>`.
 */
export function registerTerminalMethods(
  registry: AgentRegistry,
  daemon: DaemonControl,
): TerminalBroker {
  const broker = new TerminalBroker({
    start: startProcess,
    holdAlive: (reason) => daemon.holdAlive(reason),
  });
  daemon.onShutdown(() => broker.closeAll());
  registry.handle('terminal.open', (params) => broker.open(params));
  registry.handle('terminal.list', () => ({ terminals: broker.list() }));
  registry.handle('terminal.resize', async ({ id, cols, rows }) => {
    await broker.resize(id, cols, rows);
    return {};
  });
  registry.handle('terminal.close', async ({ id }) => ({ closed: await broker.close(id) }));
  daemon.streams.register(TERMINAL_STREAM_NAME, (open, arg) => {
    if (!terminalIdSchema.safeParse(arg).success) {
      throw new AppFailure({ code: 'invalid-input', message: `"${arg}" is not a terminal id.` });
    }
    return broker.stream(arg, open);
  });
  return broker;
}
