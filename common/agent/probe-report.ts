import { z } from 'zod';

/** Version of the probe's key=value format; bumped when a key changes meaning. */
export const PROBE_FORMAT_VERSION = 1;

/** An XFS mount on the host, and whether project quotas are on for it. */
export const xfsMountSchema = z.object({ mountPoint: z.string(), projectQuota: z.boolean() });

/** What one probe round trip learns about a host before the agent starts. */
export const probeReportSchema = z.object({
  format: z.number().int(),
  os: z.string(),
  arch: z.string(),
  user: z.string(),
  home: z.string(),
  /** `node` on the login PATH, if any, and its version (e.g. `v20.11.1`). */
  nodePath: z.string().nullable(),
  nodeVersion: z.string().nullable(),
  /** Free space where LabDeck caches its files (~/.cache/labdeck), in KiB. */
  cacheFreeKiB: z.number().nullable(),
  /** The agent bundle of this LabDeck version is already on the host. */
  bundlePresent: z.boolean(),
  /** A Node runtime pushed earlier by LabDeck, if cached. */
  cachedNodePath: z.string().nullable(),
  docker: z.enum(['writable', 'not-writable', 'missing']),
  /** The Docker socket of the login environment: `DOCKER_HOST=unix://…`, else the default. */
  dockerSocket: z.string(),
  nvidiaSmi: z.string().nullable(),
  nvidiaContainerRuntime: z.string().nullable(),
  xfsMounts: z.array(xfsMountSchema),
});
export type ProbeReport = z.infer<typeof probeReportSchema>;

/** The first Node major that can run the agent. */
export const MIN_NODE_MAJOR = 18;

/** True when `version` (`v20.11.1`) is a Node that can run the agent. */
export function nodeIsUsable(version: string | null): boolean {
  const major = Number(/^v(\d+)\./.exec(version ?? '')?.[1]);
  return Number.isInteger(major) && major >= MIN_NODE_MAJOR;
}
