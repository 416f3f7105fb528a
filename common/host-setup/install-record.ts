import * as z from 'zod';
import { absolutePathSchema } from './lab-config';

/**
 * `/opt/labdeck/agent/VERSION/install.json`, written by host setup beside the bundle it
 * installed: exactly the Node and helper the sudo rule names, so the user's agent runs
 * `sudo -n NODE HELPER --privileged` with the same words sudo was told to allow.
 */
export const installRecordSchema = z
  .object({
    version: z.string().min(1).max(64),
    bundleSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 in hex'),
    /** The Node binary: the host's own when root owns it, else the one setup installed. */
    node: absolutePathSchema,
    /** The installed bundle, `…/opt/labdeck/agent/VERSION/labdeck-agent.cjs`. */
    helper: absolutePathSchema,
  })
  .strict();
export type InstallRecord = z.infer<typeof installRecordSchema>;
