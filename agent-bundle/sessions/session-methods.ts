import { userInfo } from 'node:os';
import { toAppError } from '../../common/contract/result';
import type { AgentRegistry } from '../rpc/agent-registry';
import { AllocationLease, type LeaseHold } from './allocation-lease';
import { sharingCapabilities, type SharingPlaces } from './sharing-capabilities';

/** What the session methods need from the agent's environment (read in main.ts). */
export interface SessionMethodsOptions extends SharingPlaces {
  /** `LABDECK_LOCK_DIR`: the lease directory; undefined for the host's or the /tmp fallback. */
  readonly lockDir?: string;
  /** The lease directory host setup makes, under the system root. */
  readonly hostLockDir?: string;
}

/** This agent's user name for others' messages; a uid when the passwd entry is missing. */
function currentUser(uid: number): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${uid}`;
  }
}

/**
 * Registers `session.capabilities` and the `allocation.lease` topic. The lease is NOT a shared
 * topic: each subscription is a hold of its own. It emits once held; the subscription's end —
 * unsubscribe, or the client's connection closing — releases it, and a subscriber that leaves
 * while still waiting stops waiting and never takes the lock.
 */
export function registerSessionMethods(
  registry: AgentRegistry,
  options: SessionMethodsOptions,
): void {
  const uid = process.getuid?.() ?? -1;
  const lease = new AllocationLease({
    lockDir: options.lockDir || undefined,
    hostLockDir: options.hostLockDir,
    uid,
    user: currentUser(uid),
  });

  registry.handle('session.capabilities', () => sharingCapabilities(options));

  registry.publish('allocation.lease', ({ waitMs }, sink, signal) => {
    let hold: LeaseHold | undefined;
    lease
      .acquire(waitMs, signal, (error) => sink.end(error))
      .then(
        (held) => {
          hold = held;
          if (signal.aborted) void held.release();
          else sink.emit({ leaseId: held.leaseId, waitedMs: held.waitedMs });
        },
        (error: unknown) => {
          if (!signal.aborted) sink.end(toAppError(error));
        },
      );
    return () => void hold?.release();
  });
}
