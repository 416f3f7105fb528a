import type { Result } from '../../common/contract/result';
import type { GpuInventory } from '../../common/gpu/gpu';
import type { AgentClient } from '../agent/agent-client';

/** Asks a host's agent for its GPUs; the contract's schema parses the answer (another program). */
export function requestInventory(agent: AgentClient): Promise<Result<GpuInventory>> {
  return agent.call('gpu.inventory', {});
}
