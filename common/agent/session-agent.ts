import * as z from 'zod';

/**
 * What the agent offers sessions: the host-wide allocation lease (no two launches, from any
 * laptop or any user, read the GPU shares and create a container at the same time) and the GPU
 * sharing mechanisms the host has, which decide a session's enforcement tier.
 */

/** Longest a launch waits for another's lease before giving up. */
export const ALLOCATION_LEASE_MAX_WAIT_MS = 120_000;
/** How long a launch waits for the lease by default: 40 launches of ~100 ms fit with room. */
export const ALLOCATION_LEASE_DEFAULT_WAIT_MS = 30_000;

/** Params of `allocation.lease`: how long to wait for it. */
export const allocationLeaseParamsSchema = z
  .object({
    waitMs: z
      .number()
      .int()
      .min(0)
      .max(ALLOCATION_LEASE_MAX_WAIT_MS)
      .default(ALLOCATION_LEASE_DEFAULT_WAIT_MS),
  })
  .strict();

/**
 * The one event of `allocation.lease`: the lease is held from now until the subscriber
 * unsubscribes or its connection dies. Past `waitMs` the subscription ends with
 * `allocation-lease-timeout` instead.
 */
export const allocationLeaseEventSchema = z.object({
  /** Random id of this hold, for logs. */
  leaseId: z.string(),
  /** How long it waited for others' leases. */
  waitedMs: z.number().int().nonnegative(),
});

/** The GPU sharing mechanisms the host offers a session's container. */
export const sharingCapabilitiesSchema = z.object({
  /** The CUDA MPS control daemon's pipe directory, when one runs (its `control` pipe exists). */
  mpsPipeDirectory: z.string().nullable(),
  /** HAMi-core's `libvgpu.so`, when installed. */
  hamiLibrary: z.string().nullable(),
});
export type SharingCapabilities = z.infer<typeof sharingCapabilitiesSchema>;
