import type {
  MethodParamsInput,
  MethodResult,
  UserAgentContract,
} from '../../common/agent/agent-contract';
import type { dotfileAgentMethods } from '../../common/agent/dotfile-agent';
import type { dotfilesRequests } from '../../common/contract/dotfiles';
import type { DotfileContext } from '../../common/dotfiles/dotfile-store';
import type { AgentClient } from '../agent/agent-client';
import type { HandlerSlice } from '../bridge/handlers';
import type { Host } from '../hosts/host';
import { valueOf } from '../sessions/host-devices';
import {
  dotfilePathProblems,
  dotfileWriteProblems,
  invalidDotfile,
  type DotfileProblem,
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
 * Each host's `dotfiles.context`, per agent connection (a reconnect makes a new client, which
 * asks again): main needs only its extra system paths, to check a write as the agent will.
 */
class DotfileContextCache {
  private readonly known = new WeakMap<AgentClient, Promise<DotfileContext>>();

  /** The context `agent` answered last, or a new answer when `fresh` (or none is kept). */
  get(agent: AgentClient, fresh = false): Promise<DotfileContext> {
    const cached = this.known.get(agent);
    if (cached && !fresh) return cached;
    const asked = callOn(agent, 'dotfiles.context', {});
    this.known.set(agent, asked);
    asked.catch(() => {
      if (this.known.get(agent) === asked) this.known.delete(agent);
    });
    return asked;
  }
}

/**
 * Checks a write (or a remove's path) before the agent is asked, and throws `invalid-input`
 * naming every problem. A user-level path never depends on the host (absolute paths are refused
 * there), so only group and lab writes ask for the host's system paths; a system path the cached
 * answer does not allow is checked once more against a fresh one, in case an admin added it to
 * the host's configuration since this connection asked.
 */
async function refuseIfInvalid(
  agent: AgentClient,
  contexts: DotfileContextCache,
  scope: string,
  problemsWith: (systemPaths: readonly string[]) => DotfileProblem[],
): Promise<void> {
  let problems = problemsWith([]);
  if (scope !== 'user' && problems.some((p) => p.field === 'path')) {
    problems = problemsWith((await contexts.get(agent)).systemPaths);
    if (problems.some((p) => p.field === 'path'))
      problems = problemsWith((await contexts.get(agent, true)).systemPaths);
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
 * `validateDotfile` (and the host's extra system paths) and a remove's path likewise before the
 * agent is asked, so a bad file is refused here too, not only by the agent and the helper.
 */
export function dotfileHandlers(
  deps: DotfileHandlerDeps,
): HandlerSlice<keyof typeof dotfilesRequests> {
  const contexts = new DotfileContextCache();
  return {
    requests: {
      'dotfiles:context': async ({ hostId }) =>
        contexts.get(await (await deps.hosts.get(hostId)).agent(), true),
      'dotfiles:list': plainRequest(deps, 'dotfiles.list'),
      'dotfiles:read': plainRequest(deps, 'dotfiles.read'),
      'dotfiles:set': async ({ hostId, ...params }) => {
        const agent = await (await deps.hosts.get(hostId)).agent();
        await refuseIfInvalid(agent, contexts, params.scope, (systemPaths) =>
          dotfileWriteProblems(params, systemPaths),
        );
        return callOn(agent, 'dotfiles.set', params);
      },
      'dotfiles:remove': async ({ hostId, ...params }) => {
        const agent = await (await deps.hosts.get(hostId)).agent();
        await refuseIfInvalid(agent, contexts, params.scope, (systemPaths) =>
          dotfilePathProblems(params, systemPaths),
        );
        return callOn(agent, 'dotfiles.remove', params);
      },
      'dotfiles:preview': plainRequest(deps, 'dotfiles.preview'),
    },
  };
}
