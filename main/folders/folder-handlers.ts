import type {
  MethodParamsInput,
  MethodResult,
  UserAgentContract,
} from '../../common/agent/agent-contract';
import type { folderAgentMethods } from '../../common/agent/folder-agent';
import type { AgentFolderView } from '../../common/folders/folder-view';
import type { FolderView, foldersRequests, foldersTopics } from '../../common/contract/folders';
import type { HandlerSlice } from '../bridge/handlers';
import type { Host } from '../hosts/host';
import { valueOf } from '../sessions/host-devices';
import { refuseIfMounted } from './folder-mount-guard';

/** What the folder handlers use: the hosts, found by id or name. */
export interface FolderHandlerDeps {
  readonly hosts: { get(idOrName: string): Promise<Host> };
}

type FolderMethod = keyof typeof folderAgentMethods;

/** One agent call on a host, and the host's name for the views it answers. */
async function callOn<M extends FolderMethod>(
  host: Host,
  method: M,
  params: MethodParamsInput<UserAgentContract, M>,
): Promise<MethodResult<UserAgentContract, M>> {
  const agent = await host.agent();
  return valueOf(await agent.call(method, params));
}

/** A folder of the agent's answer with its host, as the window and `folder ls --json` see it. */
export function withHost(folder: AgentFolderView, host: string): FolderView {
  return { ...folder, host };
}

/**
 * Calls agent method `method` on the host `hostId` names with the request's other fields, and
 * adds the host's name to the folder it answers.
 */
function folderRequest<M extends FolderMethod>(deps: FolderHandlerDeps, method: M) {
  return async ({
    hostId,
    ...params
  }: { hostId: string } & MethodParamsInput<UserAgentContract, M>): Promise<FolderView> => {
    const host = await deps.hosts.get(hostId);
    const [folder, summary] = await Promise.all([
      callOn(host, method, params as MethodParamsInput<UserAgentContract, M>),
      host.summary(),
    ]);
    return withHost(folder as AgentFolderView, summary.name);
  };
}

/** Calls agent method `method` on the host `hostId` names and answers what it answers. */
function plainRequest<M extends FolderMethod>(deps: FolderHandlerDeps, method: M) {
  return async ({
    hostId,
    ...params
  }: { hostId: string } & MethodParamsInput<UserAgentContract, M>) =>
    callOn(await deps.hosts.get(hostId), method, params as MethodParamsInput<UserAgentContract, M>);
}

/**
 * Refuses to trash (or purge) a folder a running session on the host mounts: the folder is
 * found by the name the user knows it by, and sessions by the folder ids their labels record.
 */
async function unlessMounted(host: Host, name: string): Promise<void> {
  const { folders } = await callOn(host, 'folders.list', {});
  const folder = folders.find((f) => f.name === name);
  // An unknown name is the agent's to refuse, in its words.
  if (folder) await refuseIfMounted(host, folder);
}

/**
 * The `folders:` slice of the contract's handlers (issue 12): each request is the agent's
 * `folders.*` method of the same name on the host named, folders answered with their host; the
 * clone's progress is the agent's topic, one subscription per subscriber.
 */
export function folderHandlers(
  deps: FolderHandlerDeps,
): HandlerSlice<keyof typeof foldersRequests, never, keyof typeof foldersTopics> {
  return {
    requests: {
      'folders:list': async ({ hostId }) => {
        const host = await deps.hosts.get(hostId);
        const [list, summary] = await Promise.all([
          callOn(host, 'folders.list', {}),
          host.summary(),
        ]);
        return { ...list, folders: list.folders.map((f) => withHost(f, summary.name)) };
      },
      'folders:create': folderRequest(deps, 'folders.create'),
      'folders:update': folderRequest(deps, 'folders.update'),
      'folders:trash': async ({ hostId, name }) => {
        const host = await deps.hosts.get(hostId);
        await unlessMounted(host, name);
        const [trashed, summary] = await Promise.all([
          callOn(host, 'folders.trash', { name }),
          host.summary(),
        ]);
        return withHost(trashed, summary.name);
      },
      'folders:restore': folderRequest(deps, 'folders.restore'),
      'folders:purge': async ({ hostId, name }) => {
        const host = await deps.hosts.get(hostId);
        await unlessMounted(host, name);
        return callOn(host, 'folders.purge', { name });
      },
      'folders:invite': plainRequest(deps, 'folders.invite'),
      'folders:respond': plainRequest(deps, 'folders.respond'),
      'folders:cancel': plainRequest(deps, 'folders.cancel'),
      'folders:leave': plainRequest(deps, 'folders.leave'),
      'folders:clone': folderRequest(deps, 'folders.clone'),
      'folders:clone-cancel': plainRequest(deps, 'folders.clone-cancel'),
    },
    topics: {
      'folders:clone-progress': async ({ hostId, name }, sink) => {
        const agent = await (await deps.hosts.get(hostId)).agent();
        let ended = false;
        const unsubscribe = agent.subscribe(
          'folders.clone-progress',
          { name },
          (progress) => sink.emit(progress),
          (error) => {
            ended = true;
            sink.end(error);
          },
        );
        return () => {
          if (!ended) unsubscribe();
        };
      },
    },
  };
}
