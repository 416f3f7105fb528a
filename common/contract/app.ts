import * as z from 'zod';
import { appInfoSchema, noticeSchema } from '../app/app-info';
import type { EventSpec, RequestSpec } from './specs';

const empty = z.object({}).strict();

/** Requests about the program itself: who serves the window, and its notices. */
export const appRequests = {
  'app:get-info': {
    input: empty,
    output: appInfoSchema,
    summary: 'Version, run mode, settings directory and open notices.',
  },
  'app:ping': {
    input: empty,
    output: empty,
    summary: 'Does nothing; measures a round trip through the bridge.',
  },
  'app:dismiss-notice': {
    input: z.object({ id: z.string().min(1) }).strict(),
    output: empty,
    summary: 'Marks a notice as read so it is not shown again.',
  },
} as const satisfies Record<string, RequestSpec>;

/** Events of the program itself. */
export const appEvents = {
  'app:notice-raised': {
    payload: noticeSchema,
    summary: 'Something the user should read, e.g. settings were reset.',
  },
} as const satisfies Record<string, EventSpec>;
