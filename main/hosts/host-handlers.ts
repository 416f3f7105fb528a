import type { RequestOutput } from '../../common/contract/contract';
import type { hostsRequests } from '../../common/contract/hosts';
import { LOCAL_HOST_ID } from '../../common/hosts/host-summary';
import type { AgentClient } from '../agent/agent-client';
import type { HandlerSlice } from '../bridge/handlers';
import { checkSshHost } from './host-doctor';
import type { HostsService } from './hosts-service';
import { checkLocalHost } from './local-doctor';

/** What the `hosts:` handlers use. */
export interface HostHandlerDeps {
  readonly hosts: HostsService;
  readonly env: NodeJS.ProcessEnv;
  readonly agentOf: (hostId: string) => Promise<AgentClient>;
  /** Imports the user's own ~/.ssh/config: the bridge never names another file. */
  readonly importUserSshConfig: () => Promise<RequestOutput<'hosts:import-ssh-config'>>;
}

/** The `hosts:` slice of the contract's handlers. */
export function hostHandlers(deps: HostHandlerDeps): HandlerSlice<keyof typeof hostsRequests> {
  const { hosts, env, agentOf } = deps;
  return {
    requests: {
      'hosts:list': () => hosts.list(),
      'hosts:refresh': ({ id }) => hosts.refresh(id),
      'hosts:add': (input) => hosts.add(input),
      'hosts:update': ({ id, host }) => hosts.update(id, host),
      'hosts:remove': async ({ id }) => {
        await hosts.remove(id);
        return {};
      },
      'hosts:import-ssh-config': () => deps.importUserSshConfig(),
      'hosts:connect': ({ id }) => hosts.connect(id),
      'hosts:disconnect': ({ id }) => hosts.disconnect(id),
      'hosts:replace-host-key': async ({ id, fingerprint }) => ({
        fingerprint: await hosts.replaceHostKey(id, fingerprint),
      }),
      'hosts:check': async ({ id }) =>
        id === LOCAL_HOST_ID
          ? checkLocalHost(env, () => agentOf(LOCAL_HOST_ID))
          : checkSshHost(await hosts.find(id)),
    },
  };
}
