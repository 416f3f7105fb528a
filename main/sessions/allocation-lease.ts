import { AppFailure } from '../../common/contract/result';
import type { AgentClient } from '../agent/agent-client';

/** A held host-wide allocation lease. */
export interface HeldLease {
  /** Whether the lease is still held (the agent connection may drop meanwhile). */
  readonly held: () => boolean;
  /** Gives it back; idempotent. */
  readonly release: () => void;
}

/**
 * Takes the host-wide allocation lease from the host's agent: no other launch, from any laptop
 * or user, reads the shares and creates a container until it is released. The lease is a
 * subscription, so the agent drops it by itself when this connection dies.
 */
export function holdAllocationLease(agent: AgentClient): Promise<HeldLease> {
  return new Promise((resolve, reject) => {
    let state: 'waiting' | 'held' | 'lost' = 'waiting';
    const unsubscribe = agent.subscribe(
      'allocation.lease',
      {},
      () => {
        if (state !== 'waiting') return;
        state = 'held';
        resolve({
          held: () => state === 'held',
          release: () => {
            if (state === 'held') unsubscribe();
            state = 'lost';
          },
        });
      },
      (error) => {
        const waiting = state === 'waiting';
        state = 'lost';
        if (waiting)
          reject(
            new AppFailure(
              error ?? {
                code: 'allocation-lease-lost',
                message: "The host's allocation lease ended before it was held.",
              },
            ),
          );
      },
    );
  });
}
