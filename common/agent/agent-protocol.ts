import * as z from 'zod';
import { appErrorSchema } from '../contract/result';

/**
 * The protocol between LabDeck and its host agent: newline-delimited JSON, one object per line,
 * over the daemon's Unix socket (through `labdeck-agent connect`) or a child's stdio.
 *
 * Stable across every version, so that any LabDeck can recognise and replace any agent: the
 * `hello` exchange, the `incompatible` reply and the `agent.shutdown` method. Everything else may
 * change with {@link AGENT_PROTOCOL_VERSION}.
 */

/** Bumped whenever a message or a built-in method changes shape. */
export const AGENT_PROTOCOL_VERSION = 1;

/** Longest line either side accepts: bounds memory per connection; longer lines are dropped. */
export const AGENT_MAX_LINE_BYTES = 1024 * 1024;

/**
 * Graceful stop: the agent replies, closes every client and exits. Named here, not only in the
 * contract (common/agent/agent-contract.ts), because it is stable across versions: a daemon of any
 * build can be asked to stop by any other.
 */
export const AGENT_METHOD_SHUTDOWN = 'agent.shutdown';

/** Params of a method that takes none: `{}` and nothing else. */
export const emptyParamsSchema = z.object({}).strict();

const id = z.number().int().nonnegative();
const name = z.string().min(1).max(200);

/** The first line a client sends. */
export const clientHelloSchema = z.object({
  t: z.literal('hello'),
  protocol: z.number().int(),
  client: z.string().max(200),
});
export type ClientHello = z.infer<typeof clientHelloSchema>;

/** Every later line a client sends. Parsed with this schema at the agent's boundary. */
export const clientMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('req'), id, method: name, params: z.unknown().optional() }),
  z.object({ t: z.literal('sub'), id, topic: name, params: z.unknown().optional() }),
  z.object({ t: z.literal('unsub'), id }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

/** The agent's answer to a compatible hello: who it is, so `connect` can tell builds apart. */
export const agentHelloSchema = z.object({
  t: z.literal('hello'),
  protocol: z.number().int(),
  agentVersion: z.string(),
  /** sha256 (hex) of the agent's own bundle file: two agents are the same build iff equal. */
  bundleSha256: z.string(),
  pid: z.number().int(),
  node: z.string(),
  platform: z.string(),
  arch: z.string(),
});
export type AgentHello = z.infer<typeof agentHelloSchema>;
/** Who an agent is: its hello without the message tag. */
export type AgentIdentity = Omit<AgentHello, 't'>;

/** The agent's answer to a hello it cannot serve; it closes the connection afterwards. */
export const agentIncompatibleSchema = z.object({
  t: z.literal('incompatible'),
  protocol: z.number().int(),
  message: z.string(),
});
export type AgentIncompatible = z.infer<typeof agentIncompatibleSchema>;

const resultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: appErrorSchema }),
]);

/** Every line the agent sends; the client parses with this (the agent is another program). */
export const agentMessageSchema = z.discriminatedUnion('t', [
  agentHelloSchema,
  agentIncompatibleSchema,
  z.object({ t: z.literal('res'), id, result: resultSchema }),
  z.object({ t: z.literal('ev'), id, data: z.unknown() }),
  z.object({ t: z.literal('end'), id, error: appErrorSchema.optional() }),
]);
export type AgentMessage = z.infer<typeof agentMessageSchema>;

/** Result of `agent.info` (see common/agent/agent-contract.ts for every method). */
export const agentInfoSchema = z.object({
  agentVersion: z.string(),
  protocol: z.number().int(),
  pid: z.number().int(),
  uptimeS: z.number().int().nonnegative(),
  clients: z.number().int().nonnegative(),
  node: z.string(),
  platform: z.string(),
  arch: z.string(),
  /** The daemon's Unix socket; absent when serving one client over stdio. */
  socketPath: z.string().optional(),
});
export type AgentInfo = z.infer<typeof agentInfoSchema>;

/** Fastest `agent.heartbeat`: quick enough for tests, slow enough to be harmless. */
export const HEARTBEAT_MIN_INTERVAL_MS = 10;
/** Slowest `agent.heartbeat`. */
export const HEARTBEAT_MAX_INTERVAL_MS = 60_000;

/** Params of `agent.heartbeat`. */
export const heartbeatParamsSchema = z
  .object({
    intervalMs: z.number().int().min(HEARTBEAT_MIN_INTERVAL_MS).max(HEARTBEAT_MAX_INTERVAL_MS),
  })
  .strict();

/** One `agent.heartbeat` event: the agent's clock in ms since the epoch. */
export const heartbeatEventSchema = z.object({ at: z.number() });
