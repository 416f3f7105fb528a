import * as z from 'zod';

/** Version of the probe's key=value format; bumped when a key changes meaning. */
export const PROBE_FORMAT_VERSION = 1;

/** An XFS mount on the host, and whether project quotas are on for it. */
export const xfsMountSchema = z.object({ mountPoint: z.string(), projectQuota: z.boolean() });

/** A file in the host's LabDeck cache and its sha256 (hex), null when the host could not hash it. */
export const cachedFileSchema = z.object({ path: z.string(), sha256: z.string().nullable() });

/**
 * A path in the cache that another user owns (`owner`, with their uid) or could write and that
 * the probe could not repair (`mode`, with `ls -l`'s mode string): code run from it could be theirs.
 */
export const cacheProblemSchema = z.object({
  path: z.string(),
  reason: z.enum(['owner', 'mode']),
  /** The owner's uid, or the mode string. */
  detail: z.string(),
});
export type CacheProblem = z.infer<typeof cacheProblemSchema>;

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
  /**
   * sha256 (hex) of the cached agent bundle of this LabDeck version, as the host computes it;
   * null when there is none or the host has no sha256 tool. LabDeck runs the file only when this
   * equals the hash it is named by.
   */
  bundleSha256: z.string().nullable(),
  /**
   * The socket of this build's daemon when it already runs: ours, in a directory only we may
   * enter, where the agent itself would listen (see main/agent/probe.ts). Null when none runs or
   * the probe was not asked.
   */
  daemonSocket: z.string().nullable(),
  /** A Node runtime pushed earlier by LabDeck, if cached. */
  cachedNodePath: z.string().nullable(),
  /**
   * Cached runtimes of the Node version this LabDeck pushes, with their binary's sha256 (null
   * when not hashed: the host has no sha256 tool, or its own Node is usable).
   */
  nodeRuntimes: z.array(cachedFileSchema),
  /** Paths in the cache LabDeck refuses to run from (see {@link cacheProblemSchema}). */
  cacheUnsafe: z.array(cacheProblemSchema),
  /** Paths in the cache that others could write and that the probe made private (chmod go-w). */
  cacheRepaired: z.array(z.string()),
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
