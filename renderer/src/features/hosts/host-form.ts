import type * as z from 'zod';
import { sshHostInputSchema, type SshHostInput } from '../../../../common/hosts/host-config';
import type { HostSummary } from '../../../../common/hosts/host-summary';
import type { AppError } from '../../../../common/contract/result';

/** SSH's port when none is given; the form starts with it filled in. */
export const DEFAULT_SSH_PORT = 22;

/** What the add/edit host form holds: the text of each field, as typed. */
export interface HostFormValues {
  readonly name: string;
  readonly user: string;
  readonly hostname: string;
  readonly port: string;
  /** Empty means ssh-agent and OpenSSH's default keys. */
  readonly identityFile: string;
  /** Offer only the identity file, not every key ssh-agent holds (OpenSSH's IdentitiesOnly). */
  readonly identitiesOnly: boolean;
  /** One `user@host` or `user@host:port` per row, first hop first. */
  readonly jump: readonly string[];
}

/** A one-line text field of the form. */
export type HostFormTextField = keyof Omit<HostFormValues, 'jump' | 'identitiesOnly'>;

/** A field of the form: a text field, or one jump-host row as `jump.N`. */
export type HostFormField = HostFormTextField | `jump.${number}`;

/** Every error of the form at once, by field; `form` holds what belongs to no field. */
export type HostFormErrors = Partial<Record<HostFormField | 'form', readonly string[]>>;

/** The outcome of checking the form: the input to send, or every error found. */
export type HostFormCheck =
  | { readonly ok: true; readonly input: SshHostInput }
  | { readonly ok: false; readonly errors: HostFormErrors };

/** An empty form, port 22 and no jump hosts. */
export function emptyHostForm(): HostFormValues {
  return {
    name: '',
    user: '',
    hostname: '',
    port: String(DEFAULT_SSH_PORT),
    identityFile: '',
    identitiesOnly: false,
    jump: [],
  };
}

/**
 * The form for editing `host`, filled from its stored settings (`host.config`): every field,
 * identity file and jump hosts included, so saving unchanged changes nothing. A summary without
 * settings (never an SSH host's) falls back to its `user@host:port` address.
 */
export function hostFormFrom(host: HostSummary): HostFormValues {
  const { config } = host;
  if (config === null) {
    const hop = host.address === null ? null : parseHop(host.address);
    return {
      ...emptyHostForm(),
      name: host.name,
      user: hop?.user ?? '',
      hostname: hop?.hostname ?? '',
      port: String(hop?.port ?? DEFAULT_SSH_PORT),
    };
  }
  return {
    name: config.name,
    user: config.user,
    hostname: config.hostname,
    port: String(config.port),
    identityFile: config.identityFile ?? '',
    identitiesOnly: config.identitiesOnly,
    jump: config.jump.map(formatHop),
  };
}

/**
 * Checks the form with the same schema main uses (`sshHostInputSchema`), so the form can never
 * accept what main would refuse, and reports every problem at once.
 */
export function checkHostForm(values: HostFormValues): HostFormCheck {
  const errors: Record<string, string[]> = {};
  const jump = values.jump.map((row, i) => {
    const hop = parseHop(row.trim());
    if (hop === null) {
      (errors[`jump.${i}`] ??= []).push(
        `Jump host ${i + 1}: write it as user@host or user@host:port.`,
      );
    }
    return hop ?? { user: '', hostname: '', port: DEFAULT_SSH_PORT };
  });
  const input = {
    name: values.name.trim(),
    user: values.user.trim(),
    hostname: values.hostname.trim(),
    port: values.port.trim() === '' ? Number.NaN : Number(values.port.trim()),
    identityFile: values.identityFile.trim() === '' ? null : values.identityFile.trim(),
    identitiesOnly: values.identitiesOnly,
    jump,
  };
  const parsed = sshHostInputSchema.safeParse(input);
  if (!parsed.success) {
    for (const [field, messages] of Object.entries(
      fieldErrorsFromIssues(parsed.error.issues.map(fieldIssue)),
    )) {
      // A row that did not parse already says so; the schema's view of its blanks adds nothing.
      if (errors[field] === undefined) errors[field] = [...(messages ?? [])];
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input };
}

const LABELS: Record<string, string> = {
  name: 'Name',
  user: 'User',
  hostname: 'Hostname',
  port: 'Port',
  identityFile: 'Identity file',
};

/** One problem of a field, by its path in the input (`['jump', 0, 'user']`). */
export interface FieldIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** Maps issues to the fields they belong to, as sentences: "Port must be 1–65535." */
export function fieldErrorsFromIssues(issues: readonly FieldIssue[]): HostFormErrors {
  const errors: Record<string, string[]> = {};
  for (const { path, message } of issues) {
    const [top, row, part] = path.map(String);
    if (top === 'jump' && row !== undefined) {
      const what = part === undefined ? '' : `${part === 'hostname' ? 'host' : part} `;
      (errors[`jump.${row}`] ??= []).push(`Jump host ${Number(row) + 1}: ${what}${message}.`);
    } else if (top !== undefined && top in LABELS) {
      // An empty field fails every rule; "is required" says all there is to say.
      if (errors[top]?.[0]?.endsWith(' is required.')) continue;
      const sentence = `${LABELS[top]} ${message}.`;
      errors[top] = message === 'is required' ? [sentence] : [...(errors[top] ?? []), sentence];
    } else {
      (errors.form ??= []).push(`${top === undefined ? '' : `${top}: `}${message}.`);
    }
  }
  return errors;
}

/** A schema issue as a {@link FieldIssue}, rewording zod's own jargon where it shows through. */
function fieldIssue(issue: z.core.$ZodIssue): FieldIssue {
  const nan = issue.code === 'invalid_type' && issue.expected === 'number';
  return { path: issue.path, message: nan ? 'must be a number' : issue.message };
}

/** `user@host` or `user@host:port` (IPv6 in brackets: `user@[::1]:22`); null when not that. */
export function parseHop(text: string): { user: string; hostname: string; port: number } | null {
  const match = /^([^@\s]+)@(\[[^\]]+\]|[^:@\s]+)(?::(\d{1,5}))?$/.exec(text);
  if (!match) return null;
  const [, user = '', host = '', port] = match;
  return {
    user,
    hostname: host.startsWith('[') ? host.slice(1, -1) : host,
    port: port === undefined ? DEFAULT_SSH_PORT : Number(port),
  };
}

/** One hop as the form writes it, the inverse of {@link parseHop}: `:22` is left out. */
export function formatHop(hop: { user: string; hostname: string; port: number }): string {
  const host = hop.hostname.includes(':') ? `[${hop.hostname}]` : hop.hostname;
  return `${hop.user}@${host}${hop.port === DEFAULT_SSH_PORT ? '' : `:${hop.port}`}`;
}

/**
 * Places an error from the services next to its field: a message that starts with a field name
 * (`name: a host named "gpu-7" already exists.`, as `host-name-taken` writes it) goes to that
 * field, an `invalid-input` list (`Invalid …: port: must be 1–65535; user: is required`) to each
 * of its fields, anything else to the form as a whole.
 */
export function fieldErrorsFromServer(error: AppError): HostFormErrors {
  const list = error.code === 'invalid-input' ? /^Invalid [^:]+: (.*)$/s.exec(error.message) : null;
  if (list) {
    const issues = (list[1] ?? '').split('; ').map((part): FieldIssue => {
      const at = part.indexOf(': ');
      return at === -1
        ? { path: [], message: part.replace(/\.$/, '') }
        : { path: part.slice(0, at).split('.'), message: part.slice(at + 2).replace(/\.$/, '') };
    });
    return fieldErrorsFromIssues(issues);
  }
  const prefixed = /^(name|user|hostname|port|identityFile): (.+)$/s.exec(error.message);
  if (!prefixed) return { form: [error.message] };
  const [, field = 'form', rest = ''] = prefixed;
  return { [field]: [rest.charAt(0).toUpperCase() + rest.slice(1)] };
}
