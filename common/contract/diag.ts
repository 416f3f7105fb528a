import * as z from 'zod';
import type { StreamSpec } from './specs';

/** The most bytes `diag:loopback` will generate for one stream: enough to measure, not to hurt. */
export const LOOPBACK_MAX_GENERATE_BYTES = 64 * 1024 * 1024;

/** Streams that check the bridge itself. */
export const diagStreams = {
  'diag:loopback': {
    input: z
      .object({ generateBytes: z.number().int().min(0).max(LOOPBACK_MAX_GENERATE_BYTES) })
      .strict(),
    summary:
      'Sends `generateBytes` bytes of a known pattern, then echoes what is written; checks the bridge.',
  },
} as const satisfies Record<string, StreamSpec>;
