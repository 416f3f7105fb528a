import * as z from 'zod';
import { absolutePathSchema } from '../host-setup/lab-config';
import {
  hostSetupReportSchema,
  SETUP_MODES,
  volumeRequestSchema,
} from '../host-setup/setup-report';
import { setupStatusSchema } from '../host-setup/setup-status';
import type { RequestSpec } from './specs';

/** Requests of host setup (issue 11): one run, as `labdeck host setup` and the window start it. */
export const hostSetupRequests = {
  'hosts:setup': {
    input: z
      .object({
        hostId: z.string().min(1),
        mode: z.enum(SETUP_MODES).default('setup'),
        volumes: z.array(volumeRequestSchema).max(64).default([]),
        lab: z.string().trim().min(1).max(64).optional(),
        /** Every system path under this directory instead of `/` (`--root`; tests). */
        root: absolutePathSchema.optional(),
      })
      .strict(),
    output: hostSetupReportSchema,
    summary:
      'Sets up a host for LabDeck as root (asking for the sudo password), lists the changes without making them, or takes them back.',
  },
  'hosts:setup-status': {
    input: z.object({ hostId: z.string().min(1) }).strict(),
    output: setupStatusSchema,
    summary:
      'How far a host is set up for LabDeck (helper, sudo rule, configuration, volumes) and whether the user can sudo there.',
  },
} as const satisfies Record<string, RequestSpec>;
