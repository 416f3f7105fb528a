import * as z from 'zod';
import { doctorReportSchema } from '../hosts/doctor-report';
import { sshHostInputSchema } from '../hosts/host-config';
import { hostSummarySchema } from '../hosts/host-summary';
import { importPreviewSchema, importReportSchema } from '../hosts/ssh-config-import';
import type { EventSpec, RequestSpec, TopicSpec } from './specs';

const empty = z.object({}).strict();
/** A request about one host names it by `hostId` (its id, or its name as typed). */
const hostId = z.object({ hostId: z.string().min(1) }).strict();

/** Requests about the hosts LabDeck knows: adding, connecting, checking, forgetting them. */
export const hostsRequests = {
  'hosts:list': {
    input: empty,
    output: z.array(hostSummarySchema),
    summary: 'Every host, "This computer" first, with its Docker state.',
  },
  'hosts:refresh': {
    input: hostId,
    output: hostSummarySchema,
    summary: "Checks one host's Docker engine again.",
  },
  'hosts:add': {
    input: sshHostInputSchema,
    output: hostSummarySchema,
    summary: 'Adds an SSH host (not connected yet).',
  },
  'hosts:update': {
    input: z.object({ hostId: z.string().min(1), host: sshHostInputSchema }).strict(),
    output: hostSummarySchema,
    summary: "Changes an SSH host's address, user, key or jump hosts; reconnects if connected.",
  },
  'hosts:remove': {
    input: hostId,
    output: empty,
    summary: 'Disconnects and forgets an SSH host.',
  },
  'hosts:preview-import': {
    /** No path, as for `hosts:import-ssh-config`: only the user's own ~/.ssh/config. */
    input: z.object({}).strict(),
    output: importPreviewSchema,
    summary:
      'Lists the hosts of ~/.ssh/config as they would be added (user, address, port, jump chain), those already here, and what is skipped and why.',
  },
  'hosts:import-ssh-config': {
    /**
     * No path: a window or browser tab may only import the user's own ~/.ssh/config and what it
     * Includes, so a page can never make the services read (and report on) any other file.
     * `names` picks hosts from the preview; without it every new host is added.
     */
    input: z.object({ names: z.array(z.string().min(1).max(253)).max(1000).optional() }).strict(),
    output: importReportSchema,
    summary: 'Adds the hosts of ~/.ssh/config (or the ones named), reporting what it cannot use.',
  },
  'hosts:connect': {
    input: hostId,
    output: hostSummarySchema,
    summary:
      'Connects to a host (asking for host key and credentials as needed) and starts its agent.',
  },
  'hosts:disconnect': {
    input: hostId,
    output: hostSummarySchema,
    summary: 'Closes the connection to a host and stops reconnecting.',
  },
  'hosts:replace-host-key': {
    input: z
      .object({
        hostId: z.string().min(1),
        fingerprint: z
          .string()
          .regex(
            /^SHA256:[A-Za-z0-9+/]{43}$/,
            'must look like SHA256: followed by 43 base64 characters',
          ),
      })
      .strict(),
    output: z.object({ fingerprint: z.string() }),
    summary:
      'Records the key a host presents now, if it has exactly the fingerprint the user verified.',
  },
  'hosts:check': {
    input: hostId,
    output: doctorReportSchema,
    summary:
      'Checks every step of reaching a host and says, for each failure, the command that fixes it.',
  },
} as const satisfies Record<string, RequestSpec>;

/** Events of hosts changing. */
export const hostsEvents = {
  'host:updated': {
    payload: hostSummarySchema,
    summary: "A host's state changed.",
  },
  'host:removed': {
    payload: z.object({ id: z.string() }),
    summary: 'A host was removed (here, in another window, or by the CLI).',
  },
} as const satisfies Record<string, EventSpec>;

/** Live topics about the hosts as a whole. */
export const hostsTopics = {
  'hosts:changed': {
    params: empty,
    event: z.object({ hosts: z.array(hostSummarySchema) }),
    summary:
      'Every host, each time hosts are added, edited or removed, here or elsewhere (the CLI, another window).',
  },
} as const satisfies Record<string, TopicSpec>;
