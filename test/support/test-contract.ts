import * as z from 'zod';
import type { AgentContract } from '../../common/agent/agent-contract';

const noParams = z.object({}).strict();

/** A contract of test-only methods and topics, for driving the agent's RPC machinery directly. */
export const testContract = {
  methods: {
    'test.add': {
      params: z.object({ a: z.number(), b: z.number() }).strict(),
      result: z.number(),
    },
    'test.refuse': { params: noParams, result: z.object({}) },
    'test.crash': { params: noParams, result: z.object({}) },
  },
  topics: {
    'test.ticks': { params: noParams, event: z.object({ n: z.number() }) },
  },
} as const satisfies AgentContract;
/** The type of {@link testContract}. */
export type TestContract = typeof testContract;
