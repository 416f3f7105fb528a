import * as z from 'zod';
import { appErrorSchema } from '../contract/result';

/**
 * Where a host's connection stands, always visible in the window and the CLI: connecting (with
 * the step), connected, stalled (keepalives unanswered), reconnecting in N seconds, or failed
 * with the reason. `idle` means not connected and not trying: nobody asked yet, Disconnect, or
 * the user stopped the login themselves (`cancelled` then says how — not a failure).
 */
export const connectionStateSchema = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('idle'), cancelled: appErrorSchema.optional() }),
  z.object({ phase: z.literal('connecting'), step: z.string() }),
  z.object({ phase: z.literal('connected'), since: z.string() }),
  z.object({ phase: z.literal('stalled'), since: z.string() }),
  z.object({
    phase: z.literal('reconnecting'),
    attempt: z.number().int().positive(),
    /** ISO time of the next attempt; the UI counts down to it. */
    at: z.string(),
    lastError: appErrorSchema,
  }),
  z.object({ phase: z.literal('failed'), error: appErrorSchema }),
]);
export type ConnectionState = z.infer<typeof connectionStateSchema>;

/** One line for lists: "connected", "reconnecting in 4 s", "failed: …". */
export function describeConnection(state: ConnectionState, now: number = Date.now()): string {
  switch (state.phase) {
    case 'idle':
      return state.cancelled ? 'not connected (login cancelled)' : 'not connected';
    case 'connecting':
      return `connecting (${state.step})`;
    case 'connected':
      return 'connected';
    case 'stalled':
      return 'stalled (no answer to keepalives)';
    case 'reconnecting':
      return `reconnecting in ${Math.max(0, Math.ceil((Date.parse(state.at) - now) / 1000))} s`;
    case 'failed':
      return `failed: ${state.error.message}`;
  }
}
