import type {
  terminalsRequests,
  terminalsStreams,
  terminalsTopics,
} from '../../common/contract/terminals';
import type { HandlerSlice } from '../bridge/handlers';
import type { TerminalsService } from './terminals-service';

/** The `terminals:` slice of the contract's handlers. */
export function terminalHandlers(
  terminals: TerminalsService,
): HandlerSlice<
  keyof typeof terminalsRequests,
  keyof typeof terminalsStreams,
  keyof typeof terminalsTopics
> {
  return {
    requests: {
      'terminals:open': ({ target, cols, rows }) => terminals.open(target, { cols, rows }),
      'terminals:list': ({ hostId }) => terminals.list(hostId),
      'terminals:close': async ({ id, hostId }) => ({ closed: await terminals.close(id, hostId) }),
      'terminals:resize': async ({ id, hostId, cols, rows }) => {
        await terminals.resize(id, { cols, rows }, hostId);
        return {};
      },
      'terminals:get-workspaces': () => terminals.workspaces(),
      'terminals:save-workspaces': async (workspaces) => {
        await terminals.saveWorkspaces(workspaces);
        return {};
      },
      'terminals:get-settings': () => terminals.terminalSettings(),
      'terminals:save-settings': (settings) => terminals.saveTerminalSettings(settings),
    },
    streams: {
      'terminals:attach': ({ id, hostId, cols, rows }) =>
        terminals.attach(id, { cols, rows }, hostId),
    },
    topics: {
      'terminals:link': ({ id }, sink) => terminals.watchLink(id, (link) => sink.emit(link)),
    },
  };
}
