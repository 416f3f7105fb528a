import * as z from 'zod';
import { dotfileAgentMethods } from '../agent/dotfile-agent';
import type { RequestSpec } from './specs';

/**
 * Requests of dotfiles (issue 13): each is the agent's `dotfiles.*` method of the same name on
 * one host, named by `hostId` (id or name). Main checks every write with `validateDotfile` (and
 * the host's extra system paths) before it asks the agent, which checks again.
 */

const hostId = { hostId: z.string().min(1) };

/** The agent method's params with the host added, keeping the method's own fields. */
function onHost<Shape extends z.ZodRawShape>(params: z.ZodObject<Shape>) {
  return params.extend(hostId).strict();
}

export const dotfilesRequests = {
  'dotfiles:context': {
    input: z.object(hostId).strict(),
    output: dotfileAgentMethods['dotfiles.context'].result,
    summary:
      'Who you are on a host for dotfiles: your groups, which levels you may change, and its extra system paths.',
  },
  'dotfiles:list': {
    input: onHost(dotfileAgentMethods['dotfiles.list'].params),
    output: dotfileAgentMethods['dotfiles.list'].result,
    summary:
      "One level's dotfiles, or every level's that applies to you (yours, your groups', the lab's).",
  },
  'dotfiles:read': {
    input: onHost(dotfileAgentMethods['dotfiles.read'].params),
    output: dotfileAgentMethods['dotfiles.read'].result,
    summary: 'One dotfile with its text and revision, for an editor.',
  },
  'dotfiles:set': {
    input: onHost(dotfileAgentMethods['dotfiles.set'].params),
    output: dotfileAgentMethods['dotfiles.set'].result,
    summary:
      'Saves one dotfile; refused, naming who and when, if someone changed it since baseRevision.',
  },
  'dotfiles:remove': {
    input: onHost(dotfileAgentMethods['dotfiles.remove'].params),
    output: dotfileAgentMethods['dotfiles.remove'].result,
    summary: 'Removes one dotfile from a level.',
  },
  'dotfiles:preview': {
    input: onHost(dotfileAgentMethods['dotfiles.preview'].params),
    output: dotfileAgentMethods['dotfiles.preview'].result,
    summary:
      'What a new session gets: the merged dotfiles (user over group over lab), each from the level that wins.',
  },
} as const satisfies Record<string, RequestSpec>;
