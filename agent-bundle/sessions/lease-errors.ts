import { AppFailure } from '../../common/contract/result';
import type { SeenLease } from './lease-file';

const MS_PER_S = 1_000;

function seconds(ms: number): number {
  return Math.max(0, Math.round(ms / MS_PER_S));
}

/** `allocation-lease-timeout`: who holds the lease (user, pid, host) and for how long. */
export function leaseTimeout(seen: SeenLease | undefined, waitedMs: number): AppFailure {
  const owner = seen?.owner;
  const who = owner
    ? `${owner.user} (pid ${owner.pid} on ${owner.host}) has held it for ${seconds(Date.now() - owner.acquiredAt)} s`
    : 'launches through this agent that asked earlier are still ahead of this one';
  return new AppFailure({
    code: 'allocation-lease-timeout',
    message: `Gave up waiting for the host's allocation lease after ${seconds(waitedMs)} s: ${who}.`,
    hint: 'Another launch on this host is choosing GPUs. Launch again in a moment; the lease of an agent that died is freed on its own within seconds.',
  });
}

/** `allocation-lease-cancelled`: the waiter left (unsubscribed or disconnected) first. */
export function leaseCancelled(): AppFailure {
  return new AppFailure({
    code: 'allocation-lease-cancelled',
    message: 'The launch stopped waiting for the allocation lease.',
  });
}

/** `allocation-lease-lost`: another agent broke this hold as stale (it was not renewed). */
export function leaseLost(path: string, staleMs: number): AppFailure {
  return new AppFailure({
    code: 'allocation-lease-lost',
    message: `Another agent took over the host's allocation lease: this agent had not renewed ${path} for ${seconds(staleMs)} s.`,
    hint: 'This launch may overlap another; check its GPUs. If the host is overloaded or the agent was suspended, launch again.',
  });
}
