import * as z from 'zod';

/**
 * Docker's full container id: 64 lowercase hex digits, as it appears in `/proc/<pid>/cgroup`.
 * Short ids (12 digits) are a display form and never stored.
 */
export const CONTAINER_ID_PATTERN = /^[0-9a-f]{64}$/;

/** The Docker container a GPU process runs in. The agent knows only the id; main adds the name. */
export const gpuContainerSchema = z.object({
  id: z.string().regex(CONTAINER_ID_PATTERN),
  /** Container name without Docker's leading `/`; null until main has asked Docker. */
  name: z.string().nullable(),
});
export type GpuContainer = z.infer<typeof gpuContainerSchema>;

/** One process holding GPU memory, as `--query-compute-apps` and `/proc` describe it. */
export const gpuProcessSchema = z.object({
  /** Host PID (nvidia-smi never shows PIDs as seen inside a container). */
  pid: z.number().int().positive(),
  /** Null where the driver cannot say (Windows WDDM, `[N/A]`). */
  usedMemoryMiB: z.number().int().nonnegative().nullable(),
  /** Null when the process is not in a Docker container (or in a Kubernetes pod). */
  container: gpuContainerSchema.nullable(),
  /** Unix user name of the process's real uid; null when the uid has no name on the host. */
  user: z.string().nullable(),
  /** The process's real uid, so a user without a name still reads as someone; null if unknown. */
  uid: z.number().int().nonnegative().nullable().optional(),
  /** The process name nvidia-smi printed, e.g. `/usr/bin/python3`. */
  command: z.string().nullable().optional(),
});
export type GpuProcess = z.infer<typeof gpuProcessSchema>;

/** One MIG device of a GPU, from `nvidia-smi -L`. */
export const migDeviceSchema = z.object({
  /** `MIG-<uuid>`, or the legacy `MIG-GPU-<uuid>/<gi>/<ci>` form of drivers before R470. */
  uuid: z.string().startsWith('MIG-'),
  /** Profile as nvidia-smi names it: `1g.10gb`, or `1c.3g.71gb` for a compute-instance slice. */
  profile: z.string().regex(/^\S+$/),
  /** The `Device N` number under its GPU. */
  index: z.number().int().nonnegative(),
});
export type MigDevice = z.infer<typeof migDeviceSchema>;

/** Whether MIG is on; null where the GPU cannot do MIG (`[N/A]`). */
export const migModeSchema = z.enum(['enabled', 'disabled']).nullable();
export type MigMode = z.infer<typeof migModeSchema>;

/**
 * One GPU as LabDeck shows it. Every measured value is null where nvidia-smi says `[N/A]`,
 * `[Not Supported]`, `N/A` or nothing: "unknown" is a value, not an error.
 */
export const gpuSchema = z.object({
  index: z.number().int().nonnegative(),
  uuid: z.string().startsWith('GPU-'),
  name: z.string().min(1),
  /** `00000000:00:09.0` (nvidia-smi's 8-digit PCI domain). */
  pciBusId: z.string().nullable(),
  memoryTotalMiB: z.number().int().nonnegative().nullable(),
  memoryUsedMiB: z.number().int().nonnegative().nullable(),
  /** Whole-GPU utilisation; `[N/A]` while MIG is enabled. */
  utilizationPct: z.number().int().min(0).max(100).nullable(),
  temperatureC: z.number().int().nullable(),
  /** Board power draw in watts, with the two decimals nvidia-smi prints (e.g. 433.78). */
  powerW: z.number().nonnegative().nullable(),
  migMode: migModeSchema,
  migDevices: z.array(migDeviceSchema),
  processes: z.array(gpuProcessSchema),
});
export type Gpu = z.infer<typeof gpuSchema>;

/** Why the host's GPUs could not be read (or not all of them), written for the researcher. */
export const gpuDriverFailureSchema = z.object({
  code: z.string().min(1),
  message: z.string(),
  hint: z.string(),
});
export type GpuDriverFailure = z.infer<typeof gpuDriverFailureSchema>;

/**
 * Every GPU of one host at one moment. `driverFailure` may come with GPUs: a GPU that fell off
 * the bus is reported while the others are still listed.
 */
export const gpuInventorySchema = z.object({
  gpus: z.array(gpuSchema),
  driverFailure: gpuDriverFailureSchema.nullable(),
  /** ISO 8601 time nvidia-smi was run. */
  capturedAt: z.iso.datetime(),
});
export type GpuInventory = z.infer<typeof gpuInventorySchema>;

export { gpuJson, type GpuJson, type GpuProcessJson } from './gpu-json';
