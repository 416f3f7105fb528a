import * as z from 'zod';
import { promptAnswerSchema, promptRequestSchema } from '../ssh/prompts';
import type { EventSpec, RequestSpec } from './specs';

/** Requests about the questions connections ask the user. */
export const promptsRequests = {
  'prompts:list': {
    input: z.object({}).strict(),
    output: z.array(z.object({ id: z.string(), request: promptRequestSchema })),
    summary:
      'Questions still waiting for an answer, for a window that opened after they were asked.',
  },
  'prompts:answer': {
    input: z.object({ id: z.string().min(1), answer: promptAnswerSchema }).strict(),
    output: z.object({}).strict(),
    summary: 'Answers a question the connection asked (host key, passphrase, password, 2FA).',
  },
} as const satisfies Record<string, RequestSpec>;

/** Events of questions being asked and settled. */
export const promptsEvents = {
  'prompt:requested': {
    payload: z.object({ id: z.string(), request: promptRequestSchema }),
    summary: 'A connection needs the user: trust a host key, a passphrase, a password, 2FA.',
  },
  'prompt:settled': {
    payload: z.object({ id: z.string() }),
    summary: 'A question was answered (here or in another window) or withdrawn.',
  },
} as const satisfies Record<string, EventSpec>;
