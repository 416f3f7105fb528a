import type { Result } from '../../common/contract/result';
import { gpuInventorySchema, type GpuInventory } from '../../common/gpu/gpu';
import { GPU_METHOD_INVENTORY } from '../../common/gpu/gpu-sample';
import type { AgentClient } from '../agent/agent-client';

/** Asks a host's agent for its GPUs; the answer is parsed, as it comes from another program. */
export function requestInventory(agent: AgentClient): Promise<Result<GpuInventory>> {
  return agent.request(GPU_METHOD_INVENTORY, {}, { resultSchema: gpuInventorySchema });
}
