import type { hostSetupRequests } from '../../common/contract/host-setup';
import type { PromptBroker } from '../../common/ssh/prompts';
import type { HandlerSlice } from '../bridge/handlers';
import type { HostsService } from '../hosts/hosts-service';
import { valueOf } from '../sessions/host-devices';
import { runHostSetup } from './run-host-setup';

/** What the host-setup handlers use. */
export interface HostSetupHandlerDeps {
  readonly hosts: HostsService;
  /** Asks for the sudo password (the window's dialog, the CLI's terminal). */
  readonly ask: PromptBroker;
}

/** The host-setup slice of the contract's handlers. */
export function hostSetupHandlers(
  deps: HostSetupHandlerDeps,
): HandlerSlice<keyof typeof hostSetupRequests> {
  return {
    requests: {
      'hosts:setup-status': async ({ hostId }) => {
        const agent = await (await deps.hosts.get(hostId)).agent();
        return valueOf(await agent.call('setup.status', {}));
      },
      'hosts:setup': async ({ hostId, mode, volumes, lab, root }) => {
        const host = await deps.hosts.get(hostId);
        const { name } = await host.summary();
        return runHostSetup(
          { host, hostName: name, ask: deps.ask },
          {
            mode,
            volumes,
            ...(lab === undefined ? {} : { lab }),
            ...(root === undefined ? {} : { root }),
          },
        );
      },
    },
  };
}
