import * as z from 'zod';
import { gpuInventorySchema } from '../gpu/gpu';
import { gpuTelemetryEventSchema, gpuTelemetryParamsSchema } from '../gpu/gpu-sample';
import {
  AGENT_METHOD_SHUTDOWN,
  agentInfoSchema,
  emptyParamsSchema,
  heartbeatEventSchema,
  heartbeatParamsSchema,
} from './agent-protocol';
import {
  allocationLeaseEventSchema,
  allocationLeaseParamsSchema,
  sharingCapabilitiesSchema,
} from './session-agent';
import { setupStatusSchema } from '../host-setup/setup-status';
import { dotfileAgentMethods } from './dotfile-agent';
import { folderAgentMethods, folderAgentTopics } from './folder-agent';
import {
  terminalOpenParamsSchema,
  terminalRecordSchema,
  terminalRefParamsSchema,
  terminalResizeParamsSchema,
} from './terminal-agent';

/**
 * Every method and topic the host agent serves, with the zod schemas of what goes each way. Main's
 * `AgentClient.call`/`subscribe` and the agent's `AgentRegistry.handle`/`publish` are both typed
 * from these maps, so the compiler refuses a caller and a handler that disagree; at run time the
 * agent parses params with them (main→agent is a trust boundary) and main parses results and
 * events (the agent may be another version). Adding a method is one entry here plus its handler.
 */

/** One request: the params main sends and the result the agent answers with. */
export interface MethodSpec {
  readonly params: z.ZodType;
  readonly result: z.ZodType;
}

/** One subscription: the params it is opened with and each event it emits. */
export interface TopicSpec {
  readonly params: z.ZodType;
  readonly event: z.ZodType;
}

/** A method set and a topic set that one agent entry serves and one client speaks. */
export interface AgentContract {
  readonly methods: Readonly<Record<string, MethodSpec>>;
  readonly topics: Readonly<Record<string, TopicSpec>>;
}

/** The methods of the per-user agent. */
export const agentMethods = {
  /** Version, pid, uptime, clients, Node and platform of the agent. */
  'agent.info': { params: emptyParamsSchema, result: agentInfoSchema },
  /** Graceful stop: the agent replies, closes every client and exits. */
  [AGENT_METHOD_SHUTDOWN]: { params: emptyParamsSchema, result: z.object({}) },
  /** The host's GPUs, their processes and owners, or the driver failure that hides them. */
  'gpu.inventory': { params: emptyParamsSchema, result: gpuInventorySchema },
  /** Which GPU sharing mechanisms (CUDA MPS, HAMi-core) the host offers containers. */
  'session.capabilities': { params: emptyParamsSchema, result: sharingCapabilitiesSchema },
  /** How far the host is set up for LabDeck (helper, sudo rule, configuration, volumes). */
  'setup.status': { params: emptyParamsSchema, result: setupStatusSchema },
  /** Starts a durable terminal (a host shell, or a shell in a container); stream `term:<id>`. */
  'terminal.open': { params: terminalOpenParamsSchema, result: terminalRecordSchema },
  /** This user's live and recently exited terminals on the host. */
  'terminal.list': {
    params: emptyParamsSchema,
    result: z.object({ terminals: z.array(terminalRecordSchema) }),
  },
  /** Sets a terminal's pty size. */
  'terminal.resize': { params: terminalResizeParamsSchema, result: z.object({}) },
  /** Hangs a terminal up; `closed` is false when there was no such terminal. */
  'terminal.close': { params: terminalRefParamsSchema, result: z.object({ closed: z.boolean() }) },
  ...folderAgentMethods,
  ...dotfileAgentMethods,
} as const satisfies AgentContract['methods'];

/** The topics of the per-user agent. */
export const agentTopics = {
  /** Emits `{at}` every `intervalMs`: a cheap end-to-end test of subscriptions. */
  'agent.heartbeat': { params: heartbeatParamsSchema, event: heartbeatEventSchema },
  /** Every GPU's sample once per `intervalMs`, from one shared `nvidia-smi -lms` per host. */
  'gpu.telemetry': { params: gpuTelemetryParamsSchema, event: gpuTelemetryEventSchema },
  /**
   * The host-wide allocation lease: one event once held; held until unsubscribed or the
   * subscriber's connection dies (every user's agent and every laptop share it).
   */
  'allocation.lease': { params: allocationLeaseParamsSchema, event: allocationLeaseEventSchema },
  ...folderAgentTopics,
} as const satisfies AgentContract['topics'];

/** The per-user agent's whole contract: what `labdeck-agent serve|stdio` answers. */
export const agentContract = { methods: agentMethods, topics: agentTopics } as const;
/** The type of {@link agentContract}, the default of the typed client and registry. */
export type UserAgentContract = typeof agentContract;

/**
 * The privileged helper's (`--privileged`) separate method set, called by the agent through
 * `sudo -n`: empty until its first method lands, so that it can never answer the user agent's
 * methods nor the other way round.
 */
export const privilegedContract = { methods: {}, topics: {} } as const satisfies AgentContract;
/** The type of {@link privilegedContract}. */
export type PrivilegedContract = typeof privilegedContract;

/** The method names of contract `C`. */
export type MethodName<C extends AgentContract> = keyof C['methods'] & string;
/** The topic names of contract `C`. */
export type TopicName<C extends AgentContract> = keyof C['topics'] & string;

/**
 * `T`, or `Record<string, never>` when `T` has no keys: TypeScript lets any object through `{}`,
 * so a method without params would otherwise accept whatever a caller passes.
 */
export type NoKeysMeansEmpty<T> = [keyof T] extends [never] ? Record<string, never> : T;

/** What a caller passes as params of method `M` (before parsing: defaults may be omitted). */
export type MethodParamsInput<C extends AgentContract, M extends MethodName<C>> = NoKeysMeansEmpty<
  z.input<C['methods'][M]['params']>
>;
/** The parsed params a handler of method `M` receives. */
export type MethodParams<C extends AgentContract, M extends MethodName<C>> = z.output<
  C['methods'][M]['params']
>;
/** What a handler of method `M` must return (what the result schema accepts). */
export type MethodResultInput<C extends AgentContract, M extends MethodName<C>> = z.input<
  C['methods'][M]['result']
>;
/** The parsed result a caller of method `M` receives. */
export type MethodResult<C extends AgentContract, M extends MethodName<C>> = z.output<
  C['methods'][M]['result']
>;

/** What a subscriber passes as params of topic `T`. */
export type TopicParamsInput<C extends AgentContract, T extends TopicName<C>> = NoKeysMeansEmpty<
  z.input<C['topics'][T]['params']>
>;
/** The parsed params a topic's start function receives. */
export type TopicParams<C extends AgentContract, T extends TopicName<C>> = z.output<
  C['topics'][T]['params']
>;
/** What topic `T` must emit (what its event schema accepts). */
export type TopicEventInput<C extends AgentContract, T extends TopicName<C>> = z.input<
  C['topics'][T]['event']
>;
/** The parsed event a subscriber of topic `T` receives. */
export type TopicEvent<C extends AgentContract, T extends TopicName<C>> = z.output<
  C['topics'][T]['event']
>;

/** The spec of method `name` in `contract`, if it has one (`name` arrived off the wire). */
export function methodSpec(contract: AgentContract, name: string): MethodSpec | undefined {
  return Object.hasOwn(contract.methods, name) ? contract.methods[name] : undefined;
}

/** The spec of topic `name` in `contract`, if it has one (`name` arrived off the wire). */
export function topicSpec(contract: AgentContract, name: string): TopicSpec | undefined {
  return Object.hasOwn(contract.topics, name) ? contract.topics[name] : undefined;
}
