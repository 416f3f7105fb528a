import * as z from 'zod';

/**
 * Questions the connection layer asks the user while connecting: trust an unknown host key, a
 * key's passphrase, a password, keyboard-interactive (2FA) prompts. The window shows them as
 * dialogs; the CLI asks on the terminal. Nothing here is ever answered automatically.
 */
export const promptRequestSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('host-key-unknown'),
    host: z.string(),
    port: z.number().int(),
    keyType: z.string(),
    fingerprint: z.string(),
  }),
  z.object({
    kind: z.literal('passphrase'),
    host: z.string(),
    keyPath: z.string(),
    retry: z.boolean(),
  }),
  z.object({ kind: z.literal('password'), host: z.string(), user: z.string(), retry: z.boolean() }),
  /**
   * The user's sudo password on a host, for one run of host setup: passed to `sudo -S` once and
   * never kept (the answer's `remember` is ignored).
   */
  z.object({
    kind: z.literal('sudo-password'),
    host: z.string(),
    user: z.string(),
    retry: z.boolean(),
  }),
  z.object({
    kind: z.literal('keyboard-interactive'),
    host: z.string(),
    user: z.string(),
    name: z.string(),
    instructions: z.string(),
    prompts: z.array(z.object({ prompt: z.string(), echo: z.boolean() })),
  }),
]);
export type PromptRequest = z.infer<typeof promptRequestSchema>;

/** The user's answer; `cancelled` stops the connection attempt without retrying. */
export const promptAnswerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('trust'), trust: z.boolean() }),
  z.object({ kind: z.literal('secret'), secret: z.string(), remember: z.boolean() }),
  z.object({ kind: z.literal('responses'), responses: z.array(z.string()) }),
  z.object({ kind: z.literal('cancelled') }),
]);
export type PromptAnswer = z.infer<typeof promptAnswerSchema>;

/** How a question is asked. */
export interface PromptOptions {
  /**
   * Aborted when the connection attempt that asks has ended (timed out, closed, disconnected):
   * the question is withdrawn from every window and the broker rejects with the signal's reason.
   */
  readonly signal?: AbortSignal;
}

/** Asks the user one question and resolves with the answer. */
export type PromptBroker = (
  request: PromptRequest,
  options?: PromptOptions,
) => Promise<PromptAnswer>;
