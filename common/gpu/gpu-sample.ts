import * as z from 'zod';

/** What one GPU measured in one telemetry tick (the live charts' data). */
export const gpuSampleSchema = z.object({
  index: z.number().int().nonnegative(),
  uuid: z.string(),
  memoryUsedMiB: z.number().nullable(),
  utilizationPct: z.number().nullable(),
  temperatureC: z.number().nullable(),
  powerW: z.number().nullable(),
});
export type GpuSample = z.infer<typeof gpuSampleSchema>;

/** One tick of a host's telemetry: every GPU's sample, at `at` (ms since the epoch). */
export const gpuTickSchema = z.object({
  hostId: z.string(),
  at: z.number(),
  gpus: z.array(gpuSampleSchema),
});
export type GpuTick = z.infer<typeof gpuTickSchema>;

/** Seconds of history the charts keep: the last few minutes, as the cards promise. */
export const GPU_HISTORY_SECONDS = 300;

/** Params of the agent's `gpu.telemetry` topic: faster burdens the driver, slower is not "live". */
export const gpuTelemetryParamsSchema = z
  .object({ intervalMs: z.number().int().min(200).max(60_000) })
  .strict();

/** One event of the agent's `gpu.telemetry` topic: a tick before main tags it with its host. */
export const gpuTelemetryEventSchema = z.object({
  at: z.number(),
  gpus: z.array(gpuSampleSchema).readonly(),
});
