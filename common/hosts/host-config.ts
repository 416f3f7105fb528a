import * as z from 'zod';

/** Host names are typed in the CLI and shown in lists: short, no spaces, no shell specials. */
export const HOST_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Names that would collide with "This computer". */
export const RESERVED_HOST_NAMES = ['local', 'localhost', 'this-computer'];

const port = z.number().int().min(1, 'must be 1–65535').max(65535, 'must be 1–65535');
const hostname = z
  .string()
  .min(1, 'is required')
  .max(253, 'is longer than 253 characters')
  .regex(
    /^[A-Za-z0-9.:_-]+$/,
    'may contain only letters, digits, dots, colons, dashes and underscores',
  )
  // As OpenSSH refuses since 9.6: a name like `-oProxyCommand=…` would be read as an option.
  .regex(/^[^-]/, 'must not start with "-"');
const user = z
  .string()
  .min(1, 'is required')
  .max(64, 'is longer than 64 characters')
  .regex(/^[A-Za-z0-9._][A-Za-z0-9._-]*\$?$/, 'is not a valid Unix user name');

/** One hop of a ProxyJump chain. */
export const jumpHopSchema = z.object({ user, hostname, port });
export type JumpHop = z.infer<typeof jumpHopSchema>;

/** What a user types to add or edit an SSH host; checked the same way in the form and in main. */
export const sshHostInputSchema = z.object({
  name: z
    .string()
    .regex(
      HOST_NAME_PATTERN,
      'must start with a letter or digit and use only letters, digits, ".", "_" and "-" (at most 63)',
    )
    .refine(
      (n) => !RESERVED_HOST_NAMES.includes(n.toLowerCase()),
      'is reserved for "This computer"',
    ),
  user,
  hostname,
  port: port.default(22),
  /** Private key file; null means ssh-agent and OpenSSH's default keys. */
  identityFile: z.string().min(1).nullable().default(null),
  identitiesOnly: z.boolean().default(false),
  jump: z.array(jumpHopSchema).max(8, 'has more than 8 hops').default([]),
});
export type SshHostInput = z.input<typeof sshHostInputSchema>;

/** An SSH host as stored in settings. */
export const sshHostConfigSchema = sshHostInputSchema.extend({ id: z.string().min(1) });
export type SshHostConfig = z.infer<typeof sshHostConfigSchema>;
