import * as z from 'zod';
import { gpuInventorySchema } from '../gpu/gpu';
import { gpuTickSchema } from '../gpu/gpu-sample';
import type { RequestSpec, TopicSpec } from './specs';

/** A request about one host names it by `hostId` (its id, or its name as typed). */
const hostId = z.object({ hostId: z.string().min(1) }).strict();

/** Requests about a host's GPUs. */
export const gpusRequests = {
  'gpus:list': {
    input: hostId,
    output: gpuInventorySchema,
    summary: "One host's GPUs with memory, utilization, temperature, power and who uses them.",
  },
} as const satisfies Record<string, RequestSpec>;

/** Live GPU topics, one subscription per host. */
export const gpusTopics = {
  'gpus:telemetry': {
    params: hostId,
    event: gpuTickSchema,
    summary:
      "A host's 1 Hz telemetry (by id or name); the host runs one nvidia-smi while anyone listens.",
  },
} as const satisfies Record<string, TopicSpec>;
