import type {
  MethodParamsInput,
  MethodResult,
  UserAgentContract,
} from '../../common/agent/agent-contract';
import type { dotfileAgentMethods } from '../../common/agent/dotfile-agent';
import type { dotfilesRequests } from '../../common/contract/dotfiles';
import type { AgentClient } from '../agent/agent-client';
import type { HandlerSlice } from '../bridge/handlers';
import type { Host } from '../hosts/host';
import { valueOf } from '../sessions/host-devices';
import {
  dotfilesNeedSetup,
  dotfileTargetProblems,
  dotfileWriteProblems,
  hostMayAllow,
  invalidDotfile,
  type DotfileWrite,
} from './dotfile-rules';

/** What the dotfile handlers use: the hosts, found by id or name. */
export interface DotfileHandlerDeps {
  readonly hosts: { get(idOrName: string): Promise<Host> };
}

type DotfileMethod = keyof typeof dotfileAgentMethods;

/** One agent call, its failure thrown as the agent's own {@link AppFailure}. */
async function callOn<M extends DotfileMethod>(
  agent: AgentClient,
  method: M,
  params: MethodParamsInput<UserAgentContract, M>,
): Promise<MethodResult<UserAgentContract, M>> {
  return valueOf(await agent.call(method, params));
}

/**
 * Checks a write before the agent is asked, and throws `invalid-input` naming every problem. A
 * user-level path never depends on the host (absolute paths are refused there), and the built-in
 * system files need no host to allow them; only a group or lab path the built-in rules refuse
 * asks the host for its configuration's own system paths, afresh each time (an admin may have
 * added or dropped it, or set the host up or removed it, since this connection last asked: a kept
 * answer would allow what the agent then refuses in other words). A host without setup has no
 * configuration that could allow it: `dotfiles-need-setup` then, not a path rule the setup would
 * change.
 */
async function refuseIfInvalid(host: Host, agent: AgentClient, write: DotfileWrite): Promise<void> {
  let problems = dotfileWriteProblems(write);
  const pathRefused = () => problems.some((p) => p.field === 'path');
  if (write.scope !== 'user' && pathRefused()) {
    const context = await callOn(agent, 'dotfiles.context', {});
    problems = dotfileWriteProblems(write, context.systemPaths);
    if (pathRefused() && !context.configured && hostMayAllow(write.scope, write.path))
      throw dotfilesNeedSetup((await host.summary()).name);
  }
  if (problems.length > 0) throw invalidDotfile(problems);
}

/** Calls agent method `method` on the host `hostId` names and answers what it answers. */
function plainRequest<M extends DotfileMethod>(deps: DotfileHandlerDeps, method: M) {
  return async ({
    hostId,
    ...params
  }: { hostId: string } & MethodParamsInput<UserAgentContract, M>) =>
    callOn(
      await (await deps.hosts.get(hostId)).agent(),
      method,
      params as MethodParamsInput<UserAgentContract, M>,
    );
}

/**
 * The `dotfiles:` slice of the contract's handlers (issue 13): each request is the agent's
 * `dotfiles.*` method of the same name on the host named. A set is checked with
 * `validateDotfile` (and the host's extra system paths) before the agent is asked, so a bad file
 * is refused here too, not only by the agent and the helper. A remove (like a read) names a file
 * the store may keep under a path today's rules refuse: only its group and what no store can
 * hold are checked here, and the agent decides.
 */
export function dotfileHandlers(
  deps: DotfileHandlerDeps,
): HandlerSlice<keyof typeof dotfilesRequests> {
  return {
    requests: {
      'dotfiles:context': async ({ hostId }) =>
        callOn(await (await deps.hosts.get(hostId)).agent(), 'dotfiles.context', {}),
      'dotfiles:list': plainRequest(deps, 'dotfiles.list'),
      'dotfiles:read': plainRequest(deps, 'dotfiles.read'),
      'dotfiles:set': async ({ hostId, ...params }) => {
        const host = await deps.hosts.get(hostId);
        const agent = await host.agent();
        await refuseIfInvalid(host, agent, params);
        return callOn(agent, 'dotfiles.set', params);
      },
      'dotfiles:remove': async ({ hostId, ...params }) => {
        // Only what no store can hold: a file kept under a path today's rules refuse may go.
        const problems = dotfileTargetProblems(params);
        if (problems.length > 0) throw invalidDotfile(problems);
        return callOn(await (await deps.hosts.get(hostId)).agent(), 'dotfiles.remove', params);
      },
      'dotfiles:preview': plainRequest(deps, 'dotfiles.preview'),
    },
  };
}
