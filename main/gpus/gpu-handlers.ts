import type { gpusRequests, gpusTopics } from '../../common/contract/gpus';
import { AppFailure } from '../../common/contract/result';
import type { HandlerSlice } from '../bridge/handlers';
import { requestInventory } from './agent-gpus';
import { gpuTelemetryTopic, type GpuTelemetryDeps } from './gpu-telemetry';

/** The `gpus:` slice of the contract's handlers: a host's inventory and its live telemetry. */
export function gpuHandlers(
  deps: GpuTelemetryDeps,
): HandlerSlice<keyof typeof gpusRequests, never, keyof typeof gpusTopics> {
  return {
    requests: {
      'gpus:list': async ({ hostId }) => {
        const host = await deps.hosts.get(hostId);
        const result = await requestInventory(await host.agent());
        if (!result.ok) throw new AppFailure(result.error);
        return result.value;
      },
    },
    topics: {
      'gpus:telemetry': gpuTelemetryTopic(deps),
    },
  };
}
