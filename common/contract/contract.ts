import type * as z from 'zod';
import { appEvents, appRequests } from './app';
import { diagStreams } from './diag';
import { dotfilesRequests } from './dotfiles';
import { foldersRequests, foldersTopics } from './folders';
import { gpusRequests, gpusTopics } from './gpus';
import { hostSetupRequests } from './host-setup';
import { hostsEvents, hostsRequests, hostsTopics } from './hosts';
import { promptsEvents, promptsRequests } from './prompts';
import { sessionsRequests, sessionsStreams } from './sessions';
import { terminalsRequests, terminalsStreams, terminalsTopics } from './terminals';
import type { EventSpec, RequestSpec, StreamSpec, TopicSpec } from './specs';

export type { EventSpec, RequestSpec, StreamSpec, TopicSpec } from './specs';
export { LOOPBACK_MAX_GENERATE_BYTES } from './diag';

/**
 * The whole contract, spread together from each domain's slice (`common/contract/<domain>.ts`).
 * A domain adds its slice here with one line per table; its handlers live in
 * `main/<domain>/<domain>-handlers.ts`, and the preload, IPC, WebSocket bridge, typed client and
 * CLI follow from it.
 */

/** Every request LabDeck's services answer. */
export const requests = {
  ...appRequests,
  ...hostsRequests,
  ...hostSetupRequests,
  ...promptsRequests,
  ...gpusRequests,
  ...sessionsRequests,
  ...terminalsRequests,
  ...foldersRequests,
  ...dotfilesRequests,
} as const satisfies Record<string, RequestSpec>;

/** Every event the services push to every subscribed client. */
export const events = {
  ...appEvents,
  ...hostsEvents,
  ...promptsEvents,
} as const satisfies Record<string, EventSpec>;

/** Every byte stream the services open. */
export const streams = {
  ...diagStreams,
  ...sessionsStreams,
  ...terminalsStreams,
} as const satisfies Record<string, StreamSpec>;

/** Every parameterised topic; its events go only to the client that listens with those params. */
export const topics = {
  ...gpusTopics,
  ...hostsTopics,
  ...terminalsTopics,
  ...foldersTopics,
} as const satisfies Record<string, TopicSpec>;

export type Requests = typeof requests;
export type Events = typeof events;
export type Streams = typeof streams;
export type Topics = typeof topics;
export type RequestName = keyof Requests;
export type EventName = keyof Events;
export type StreamName = keyof Streams;
export type TopicName = keyof Topics;
export type RequestInput<K extends RequestName> = z.input<Requests[K]['input']>;
export type ParsedInput<K extends RequestName> = z.output<Requests[K]['input']>;
export type RequestOutput<K extends RequestName> = z.output<Requests[K]['output']>;
export type EventPayload<K extends EventName> = z.output<Events[K]['payload']>;
export type StreamInput<K extends StreamName> = z.input<Streams[K]['input']>;
export type ParsedStreamInput<K extends StreamName> = z.output<Streams[K]['input']>;
export type TopicParams<K extends TopicName> = z.input<Topics[K]['params']>;
export type ParsedTopicParams<K extends TopicName> = z.output<Topics[K]['params']>;
export type TopicEvent<K extends TopicName> = z.output<Topics[K]['event']>;

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

/** Narrows an untrusted channel name to a known topic. */
export function isTopicName(name: string): name is TopicName {
  return Object.hasOwn(topics, name);
}
