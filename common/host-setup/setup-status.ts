import * as z from 'zod';
import { VOLUME_KINDS } from './lab-config';

/**
 * How far one host is set up for LabDeck, as the user's agent sees it (issue 11): the Doctor's
 * setup steps and the window's "Set up this host" button read it. Checked without root: sudo is
 * asked only where the user is allowed to use it, so a check never mails the admin an incident.
 */
export const setupStatusSchema = z.object({
  /** The agent's (and so the app's) version, which the helper must match. */
  version: z.string(),
  root: z.string(),
  /** The user the agent runs as. */
  user: z.string(),
  /** How this user could run setup: is root, sudo without a password, sudo with one, or not. */
  sudo: z.enum(['root', 'nopasswd', 'password', 'none']),
  helper: z.object({
    /** `installed`: this version's helper is; `other-version`: only others are. */
    state: z.enum(['installed', 'other-version', 'missing', 'invalid']),
    installedVersions: z.array(z.string()),
    detail: z.string(),
  }),
  /** Whether this user reaches the helper through `sudo -n` (it answered a ping). */
  rule: z.object({
    state: z.enum(['ok', 'not-member', 'denied', 'no-helper', 'failed']),
    detail: z.string(),
  }),
  config: z.object({
    state: z.enum(['ok', 'missing', 'invalid']),
    detail: z.string(),
    lab: z.string().optional(),
  }),
  volumes: z.array(
    z.object({
      name: z.string(),
      path: z.string(),
      kind: z.enum(VOLUME_KINDS),
      /** The mount it lives on, when it is there. */
      mountPoint: z.string().optional(),
      /** `ok`: there and mounted as declared; `degraded`: declared with quota, mounted without. */
      state: z.enum(['ok', 'missing', 'degraded']),
      detail: z.string(),
    }),
  ),
});
export type SetupStatus = z.infer<typeof setupStatusSchema>;

/** True when everything setup makes is in place for this version (the button is not needed). */
export function isSetUp(status: SetupStatus): boolean {
  return status.helper.state === 'installed' && status.config.state === 'ok';
}
