import { parseMicroShares } from '../../../../common/allocator-decimal';
import { cpusProblem, sessionNameProblem, sizeProblem } from '../../../../common/session-fields';
import type { AppError } from '../../../../common/contract/result';
import { sessionStartSchema, type SessionStartInput } from '../../../../common/contract/sessions';
import {
  formatServicePorts,
  parseServicePorts,
  servicePortRows,
  validateServicePortRows,
  type ServicePortField,
  type ServicePortRow,
} from '../../../../common/service-ports';

/** The New session form as typed: every field a string, rows as lists. */
export interface SessionFormValues {
  readonly hostId: string;
  readonly image: string;
  readonly gpus: string;
  readonly cpus: string;
  readonly memory: string;
  readonly shm: string;
  readonly env: readonly string[];
  readonly ports: readonly ServicePortRow[];
  readonly command: string;
  readonly name: string;
  /** Folders of the host to mount at /home/work/NAME (issue 12). */
  readonly mounts: readonly SessionMountChoice[];
  /** The group whose dotfiles apply (issue 13); empty for the user's primary group. */
  readonly group: string;
}

/** One folder chosen to mount, read-only or not (forced for a read-only grant). */
export interface SessionMountChoice {
  readonly name: string;
  readonly readOnly: boolean;
}

/** A text field of the form (rows and folders have their own keys). */
export type SessionFormTextField = Exclude<
  keyof SessionFormValues,
  'env' | 'ports' | 'mounts' | 'group'
>;

/**
 * Errors by field: a text field's name, `env.I`, `ports.I.name|protocol|port`, or `form` for what
 * belongs to no field.
 */
export type SessionFormErrors = Readonly<Record<string, readonly string[]>>;

/** A new service row: http, as most services a researcher adds are (Jupyter, TensorBoard). */
export const EMPTY_PORT_ROW: ServicePortRow = { name: '', protocol: 'http', port: '' };

/** An empty form on `hostId`, asking for one GPU. */
export function emptySessionForm(hostId: string): SessionFormValues {
  return {
    hostId,
    image: '',
    gpus: '1',
    cpus: '',
    memory: '',
    shm: '',
    env: [],
    ports: [],
    command: '',
    name: '',
    mounts: [],
    group: '',
  };
}

/** The rows an image's `ai.backend.service-ports` label declares, or null without a usable one. */
export function portRowsOfLabel(label: string | null): ServicePortRow[] | null {
  if (label === null) return null;
  const parsed = parseServicePorts(label);
  return parsed.ok && parsed.ports.length > 0 ? servicePortRows(parsed.ports) : null;
}

/** A row the user has not typed into: left out of the check and of the request. */
function blankRow(row: ServicePortRow): boolean {
  return row.name.trim() === '' && row.port.trim() === '';
}

const envEntry = sessionStartSchema.shape.env.unwrap().element;

/**
 * Checks the form with the rules main applies — service ports with the shared validator,
 * env entries, the GPU amount, sizes and the name with the contract's, the allocator's and
 * common/session-fields.ts's own checks — and either gives the request or every error by field.
 */
export function checkSessionForm(
  values: SessionFormValues,
): { ok: true; input: SessionStartInput } | { ok: false; errors: SessionFormErrors } {
  const errors: Record<string, string[]> = {};
  const add = (field: string, message: string): void => {
    (errors[field] ??= []).push(message);
  };
  if (values.hostId === '') add('hostId', 'Choose a connected host.');
  if (values.image.trim() === '') add('image', 'Name an image, like ubuntu:24.04.');
  const gpus = values.gpus.trim() || '0';
  if (typeof parseMicroShares(gpus) !== 'number')
    add('gpus', `"${values.gpus}" is not an amount of GPUs: use a decimal like 0.5, 1 or 1.5.`);
  const problems = {
    cpus: cpusProblem(values.cpus),
    memory: sizeProblem(values.memory),
    shm: sizeProblem(values.shm),
    name: sessionNameProblem(values.name),
  };
  for (const [field, problem] of Object.entries(problems))
    if (problem !== undefined) add(field, `${problem}.`);
  values.env.forEach((entry, i) => {
    if (entry.trim() === '') return;
    const checked = envEntry.safeParse(entry);
    if (!checked.success) add(`env.${i}`, 'Must be NAME=VALUE, NAME of letters, digits and _.');
  });
  const kept = values.ports
    .map((row, index) => ({ row, index }))
    .filter(({ row }) => !blankRow(row));
  const ports = validateServicePortRows(kept.map(({ row }) => row));
  if (!ports.ok)
    for (const e of ports.errors)
      add(portField(kept[e.index]?.index ?? e.index, e.field), e.message);
  if (Object.keys(errors).length > 0 || !ports.ok) return { ok: false, errors };
  const optional = (text: string): string | undefined =>
    text.trim() === '' ? undefined : text.trim();
  const env = values.env.filter((entry) => entry.trim() !== '');
  const input: SessionStartInput = {
    hostId: values.hostId,
    image: values.image.trim(),
    gpus,
    ...defined('cpus', optional(values.cpus)),
    ...defined('memory', optional(values.memory)),
    ...defined('shm', optional(values.shm)),
    ...(env.length > 0 ? { env } : {}),
    ...(ports.ports.length > 0 ? { ports: formatServicePorts(ports.ports) } : {}),
    ...(values.command.trim() === '' ? {} : { command: values.command }),
    ...defined('name', optional(values.name)),
    ...(values.mounts.length > 0
      ? { mounts: values.mounts.map(({ name, readOnly }) => ({ name, readOnly })) }
      : {}),
    ...(values.group === '' ? {} : { group: values.group }),
  };
  return { ok: true, input };
}

/** The key of one service row's field in {@link SessionFormErrors}. */
export function portField(index: number, field: ServicePortField): string {
  return `ports.${index}.${field === 'entry' ? 'name' : field}`;
}

function defined<K extends string>(key: K, value: string | undefined) {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/** Fields main's `invalid-session` message may name, as `planSession` writes them. */
const SERVER_FIELDS = ['image', 'gpus', 'cpus', 'memory', 'shm', 'ports', 'name'] as const;
const SERVER_FIELD_START = new RegExp(`(?:^|; )(${SERVER_FIELDS.join('|')}): `, 'g');

/**
 * Dotfile refusals of a Start that only another group mends (issue 13): the session's dotfiles
 * are previewed for the group chosen before anything is made.
 */
const GROUP_ERROR_CODES: ReadonlySet<string> = new Set([
  'dotfile-group-not-member',
  'dotfile-group-unknown',
]);

/**
 * Where a failed Start's error goes: main's `invalid-session` message ("The session cannot
 * start: memory: …; name: ….") split into its fields; a dotfile refusal (`dotfile-…`, from the
 * preview of the group's dotfiles) beside the group picker — as `group` when only another group
 * mends it, as `dotfiles` (which may be tried again) otherwise; anything else at the form's foot.
 */
export function errorsFromServer(error: AppError): SessionFormErrors {
  const text = [error.hint ? `${error.message} ${error.hint}` : error.message];
  const whole = { form: text };
  if (error.code.startsWith('dotfile-'))
    return GROUP_ERROR_CODES.has(error.code) ? { group: text } : { dotfiles: text };
  if (error.code !== 'invalid-session') return whole;
  const body = error.message.replace(/^[^:]*: /, '').replace(/\.$/, '');
  const starts = [...body.matchAll(SERVER_FIELD_START)];
  if (starts.length === 0) return whole;
  const errors: Record<string, string[]> = {};
  starts.forEach((match, i) => {
    const from = match.index + match[0].length;
    const to = starts[i + 1]?.index ?? body.length;
    (errors[match[1]!] ??= []).push(body.slice(from, to));
  });
  return errors;
}

/** True when any error is shown; Start stays disabled until none is. */
export function hasErrors(errors: SessionFormErrors): boolean {
  return Object.values(errors).some((list) => list.length > 0);
}
