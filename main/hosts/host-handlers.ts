import type { RequestOutput } from '../../common/contract/contract';
import type { hostsRequests, hostsTopics } from '../../common/contract/hosts';
import type { HandlerSlice } from '../bridge/handlers';
import { sharedTopic } from '../bridge/shared-topic';
import type { HostsService } from './hosts-service';

/** What the `hosts:` handlers use. */
export interface HostHandlerDeps {
  readonly hosts: HostsService;
  /** Lists what importing the user's own ~/.ssh/config would add, adding nothing. */
  readonly previewUserSshConfig: () => Promise<RequestOutput<'hosts:preview-import'>>;
  /** Imports the user's own ~/.ssh/config (the hosts named, or all): never another file. */
  readonly importUserSshConfig: (
    names?: readonly string[],
  ) => Promise<RequestOutput<'hosts:import-ssh-config'>>;
}

/**
 * The `hosts:` slice of the contract's handlers: each request resolves the host once, then asks
 * it; `hosts:changed` watches the settings once for all its subscribers, while anyone listens.
 */
export function hostHandlers(
  deps: HostHandlerDeps,
): HandlerSlice<keyof typeof hostsRequests, never, keyof typeof hostsTopics> {
  const { hosts } = deps;
  return {
    topics: {
      'hosts:changed': sharedTopic({
        key: () => 'all',
        start: (_key, _params, sink) => hosts.watchList((list) => sink.emit({ hosts: list })),
      }),
    },
    requests: {
      'hosts:list': () => hosts.list(),
      'hosts:refresh': async ({ hostId }) => (await hosts.get(hostId)).refresh(),
      'hosts:add': (input) => hosts.add(input),
      'hosts:update': ({ hostId, host }) => hosts.update(hostId, host),
      'hosts:remove': async ({ hostId }) => {
        await hosts.remove(hostId);
        return {};
      },
      'hosts:preview-import': () => deps.previewUserSshConfig(),
      'hosts:import-ssh-config': ({ names }) => deps.importUserSshConfig(names),
      'hosts:connect': async ({ hostId }) => (await hosts.get(hostId)).connect(),
      'hosts:disconnect': async ({ hostId }) => {
        const host = await hosts.get(hostId);
        host.close();
        return host.summary();
      },
      'hosts:replace-host-key': async ({ hostId, fingerprint }) => ({
        fingerprint: await hosts.replaceHostKey(hostId, fingerprint),
      }),
      'hosts:check': async ({ hostId }) => (await hosts.get(hostId)).check(),
    },
  };
}
