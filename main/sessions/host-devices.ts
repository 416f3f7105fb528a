import type { SharingCapabilities } from '../../common/agent/session-agent';
import { AppFailure, type Result } from '../../common/contract/result';
import type { AgentClient } from '../agent/agent-client';
import { shareableDevices, type ShareableDevice } from './session-gpus';

/**
 * How long a host's device list (GPUs, MIG layout, memory) and sharing mechanisms are reused.
 * They change only when an admin reconfigures the host; who holds which share is never cached
 * (it is read from Docker's labels under the lease on every launch).
 */
export const HOST_DEVICES_MAX_AGE_MS = 60_000;

/** What sessions need to know of a host's GPUs besides who holds them. */
export interface HostDevices {
  readonly devices: readonly ShareableDevice[];
  readonly capabilities: SharingCapabilities;
}

/** Unwraps an agent answer, or throws its error as the user's failure. */
export function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new AppFailure(result.error);
  return result.value;
}

/**
 * The device lists of hosts, per agent connection: a reconnect (a new agent client) asks again,
 * and so does a list older than {@link HOST_DEVICES_MAX_AGE_MS}. A full GPU inventory runs
 * `nvidia-smi` twice and maps processes to containers; a launch needs only the devices.
 */
export class HostDevicesCache {
  private readonly known = new WeakMap<AgentClient, { at: number; value: Promise<HostDevices> }>();

  /** The devices and capabilities of the host `agent` serves, asked at most once a minute. */
  get(agent: AgentClient): Promise<HostDevices> {
    const cached = this.known.get(agent);
    if (cached && Date.now() - cached.at < HOST_DEVICES_MAX_AGE_MS) return cached.value;
    const value = Promise.all([
      agent.call('gpu.inventory', {}).then(valueOf),
      agent.call('session.capabilities', {}).then(valueOf),
    ]).then(([inventory, capabilities]) => ({
      devices: shareableDevices(inventory),
      capabilities,
    }));
    this.known.set(agent, { at: Date.now(), value });
    value.catch(() => this.known.delete(agent));
    return value;
  }
}
