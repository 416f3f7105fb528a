import * as z from 'zod';
import { privilegedContract, type AgentContract } from './agent-contract';
import { emptyParamsSchema } from './agent-protocol';

/** Result of `privileged.ping`: who the helper runs as, to check the sudo rule end to end. */
export const privilegedPingSchema = z.object({ pid: z.number().int(), euid: z.number().int() });

/**
 * The privileged helper's (`--privileged`) methods: its own set, sharing none with the user
 * agent, so a user's call can never reach a root-only method through the daemon, nor the helper
 * answer `gpu.*`. `privileged.ping` only, for now; it extends `privilegedContract` of
 * agent-contract.ts, where it belongs once that file settles.
 */
export const privilegedHelperContract = {
  methods: {
    ...privilegedContract.methods,
    'privileged.ping': { params: emptyParamsSchema, result: privilegedPingSchema },
  },
  topics: { ...privilegedContract.topics },
} as const satisfies AgentContract;
/** The type of {@link privilegedHelperContract}. */
export type PrivilegedHelperContract = typeof privilegedHelperContract;
