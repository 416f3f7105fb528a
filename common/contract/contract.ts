import { z } from 'zod';
import { appInfoSchema, noticeSchema } from '../app/app-info';
import { gpuInventorySchema } from '../gpu/gpu';
import { gpuTickSchema } from '../gpu/gpu-sample';
import { doctorReportSchema } from '../hosts/doctor-report';
import { sshHostInputSchema } from '../hosts/host-config';
import { hostSummarySchema } from '../hosts/host-summary';
import { promptAnswerSchema, promptRequestSchema } from '../ssh/prompts';

/** A request: its input and result schemas, and one line for the docs. */
export interface RequestSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly summary: string;
}

/** An event pushed to every subscriber; names are past tense. */
export interface EventSpec<P extends z.ZodType = z.ZodType> {
  readonly payload: P;
  readonly summary: string;
}

/**
 * A byte stream opened with a parsed input. Bytes flow both ways; server-to-client bytes are
 * flow-controlled by credits the client grants (see `STREAM_WINDOW_BYTES`).
 */
export interface StreamSpec<I extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly summary: string;
}

const empty = z.object({}).strict();
const hostId = z.object({ id: z.string().min(1) }).strict();

/** The most bytes `diag:loopback` will generate for one stream: enough to measure, not to hurt. */
export const LOOPBACK_MAX_GENERATE_BYTES = 64 * 1024 * 1024;

/**
 * Every request LabDeck's services answer. Adding one is an entry here plus a handler in
 * `main/services.ts`; the preload, IPC, WebSocket bridge, typed client and CLI follow from it.
 */
export const requests = {
  'app:get-info': {
    input: empty,
    output: appInfoSchema,
    summary: 'Version, run mode, settings directory and open notices.',
  },
  'app:ping': {
    input: empty,
    output: empty,
    summary: 'Does nothing; measures a round trip through the bridge.',
  },
  'app:dismiss-notice': {
    input: z.object({ id: z.string().min(1) }).strict(),
    output: empty,
    summary: 'Marks a notice as read so it is not shown again.',
  },
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
    input: z.object({ id: z.string().min(1), host: sshHostInputSchema }).strict(),
    output: hostSummarySchema,
    summary: "Changes an SSH host's address, user, key or jump hosts; reconnects if connected.",
  },
  'hosts:remove': {
    input: hostId,
    output: empty,
    summary: 'Disconnects and forgets an SSH host.',
  },
  'hosts:import-ssh-config': {
    /**
     * No path: a window or browser tab may only import the user's own ~/.ssh/config and what it
     * Includes, so a page can never make the services read (and report on) any other file.
     */
    input: z.object({}).strict(),
    output: z.object({
      added: z.array(hostSummarySchema),
      skipped: z.array(z.object({ host: z.string(), reason: z.string() })),
      /** Imported, but with settings LabDeck ignores (e.g. a CertificateFile). */
      warnings: z.array(z.object({ host: z.string(), reason: z.string() })),
    }),
    summary: 'Adds the hosts of ~/.ssh/config, reporting what it cannot use.',
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
        id: z.string().min(1),
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
  'prompts:list': {
    input: empty,
    output: z.array(z.object({ id: z.string(), request: promptRequestSchema })),
    summary:
      'Questions still waiting for an answer, for a window that opened after they were asked.',
  },
  'prompts:answer': {
    input: z.object({ id: z.string().min(1), answer: promptAnswerSchema }).strict(),
    output: empty,
    summary: 'Answers a question the connection asked (host key, passphrase, password, 2FA).',
  },
  'gpus:list': {
    input: hostId,
    output: gpuInventorySchema,
    summary: "One host's GPUs with memory, utilization, temperature, power and who uses them.",
  },
  'gpus:watch': {
    input: hostId,
    output: z.object({ watchId: z.string() }),
    summary: "Starts (or joins) a host's 1 Hz telemetry; ticks arrive as `gpu:sampled` events.",
  },
  'gpus:unwatch': {
    input: z.object({ watchId: z.string().min(1) }).strict(),
    output: empty,
    summary: 'Stops watching; the host stops its telemetry process when nobody watches.',
  },
} as const satisfies Record<string, RequestSpec>;

/** Every event the services push. */
export const events = {
  'host:updated': {
    payload: hostSummarySchema,
    summary: "A host's state changed.",
  },
  'host:removed': {
    payload: z.object({ id: z.string() }),
    summary: 'A host was removed (here, in another window, or by the CLI).',
  },
  'gpu:sampled': {
    payload: gpuTickSchema,
    summary: "One telemetry tick of a watched host's GPUs.",
  },
  'prompt:requested': {
    payload: z.object({ id: z.string(), request: promptRequestSchema }),
    summary: 'A connection needs the user: trust a host key, a passphrase, a password, 2FA.',
  },
  'prompt:settled': {
    payload: z.object({ id: z.string() }),
    summary: 'A question was answered (here or in another window) or withdrawn.',
  },
  'app:notice-raised': {
    payload: noticeSchema,
    summary: 'Something the user should read, e.g. settings were reset.',
  },
} as const satisfies Record<string, EventSpec>;

/** Every byte stream the services open. */
export const streams = {
  'diag:loopback': {
    input: z
      .object({ generateBytes: z.number().int().min(0).max(LOOPBACK_MAX_GENERATE_BYTES) })
      .strict(),
    summary:
      'Sends `generateBytes` bytes of a known pattern, then echoes what is written; checks the bridge.',
  },
} as const satisfies Record<string, StreamSpec>;

export type Requests = typeof requests;
export type Events = typeof events;
export type Streams = typeof streams;
export type RequestName = keyof Requests;
export type EventName = keyof Events;
export type StreamName = keyof Streams;
export type RequestInput<K extends RequestName> = z.input<Requests[K]['input']>;
export type ParsedInput<K extends RequestName> = z.output<Requests[K]['input']>;
export type RequestOutput<K extends RequestName> = z.output<Requests[K]['output']>;
export type EventPayload<K extends EventName> = z.output<Events[K]['payload']>;
export type StreamInput<K extends StreamName> = z.input<Streams[K]['input']>;
export type ParsedStreamInput<K extends StreamName> = z.output<Streams[K]['input']>;

/** Narrows an untrusted channel name to a known request. */
export function isRequestName(name: string): name is RequestName {
  return Object.hasOwn(requests, name);
}

/** Narrows an untrusted channel name to a known event. */
export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}

/** Narrows an untrusted channel name to a known stream. */
export function isStreamName(name: string): name is StreamName {
  return Object.hasOwn(streams, name);
}
