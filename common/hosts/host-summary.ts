import * as z from 'zod';
import { connectionStateSchema } from './connection-state';
import { sshHostConfigSchema } from './host-config';

/** Identifier of the machine LabDeck itself runs on; always present in the host list. */
export const LOCAL_HOST_ID = 'local';

/**
 * What a host's Docker engine looks like from LabDeck. Every state but `reachable` comes with a
 * hint naming the command that fixes it; `unknown` means the host was not reached yet.
 */
export const dockerStateSchema = z.enum([
  'unknown',
  'reachable',
  'not-installed',
  'daemon-not-running',
  'permission-denied',
  'error',
]);
export type DockerState = z.infer<typeof dockerStateSchema>;

/** The Docker engine of one host, as last checked. */
export const dockerStatusSchema = z.object({
  state: dockerStateSchema,
  /** The socket that was tried, e.g. `/var/run/docker.sock`. */
  socket: z.string(),
  /** Engine version when reachable, e.g. `24.0.7`. */
  version: z.string().nullable(),
  message: z.string(),
  hint: z.string().optional(),
  /** ISO 8601 time of the check. */
  checkedAt: z.string(),
});
export type DockerStatus = z.infer<typeof dockerStatusSchema>;

/** One host in the sidebar and in `labdeck host ls`. */
export const hostSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['local', 'ssh']),
  /** `user@host:port` for SSH hosts; null for "This computer". */
  address: z.string().nullable(),
  docker: dockerStatusSchema,
  connection: connectionStateSchema,
  /** The stored settings of an SSH host (for editing); null for "This computer". */
  config: sshHostConfigSchema.nullable(),
});
export type HostSummary = z.infer<typeof hostSummarySchema>;
