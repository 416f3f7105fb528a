import { parseMicroShares } from '../../common/allocator-decimal';
import { validateFolderName } from '../../common/folder-names';
import { groupNameSchema } from '../../common/host-setup/privileged-ops';
import type { SessionStartInput } from '../../common/contract/sessions';
import { AppFailure } from '../../common/contract/result';
import {
  describeServicePortErrors,
  parseServicePorts,
  type ServicePort,
} from '../../common/service-ports';
import {
  cpusProblem,
  parseByteSize,
  parseNanoCpus,
  sessionNameProblem,
  sizeProblem,
} from '../../common/session-fields';

/** A start request with every field checked and turned into what Docker wants. */
export interface SessionPlan {
  readonly image: string;
  /** GPU shares asked for, as typed ("0" when none). */
  readonly gpus: string;
  readonly nanoCpus: number | undefined;
  readonly memoryBytes: number | undefined;
  readonly shmBytes: number | undefined;
  readonly env: readonly string[];
  /** The services the user declared (the image's own label is read later, on the host). */
  readonly ports: readonly ServicePort[];
  readonly command: string | undefined;
  readonly name: string | undefined;
  /** The folders asked for, by name (the host resolves them, and adds the dot-folders). */
  readonly mounts: readonly { readonly name: string; readonly readOnly: boolean }[];
  /** The group whose dotfiles apply; undefined for the user's primary group (the agent's). */
  readonly group: string | undefined;
  /** Warnings to show (a dropped `pty` service). */
  readonly warnings: readonly string[];
}

/** One field of the form and the rule it broke. */
export interface PlanError {
  readonly field: string;
  readonly message: string;
}

/**
 * Environment names that carry a session's GPUs and their enforcement: a user's value would come
 * first in the container's environment and win over LabDeck's (a way around a limit).
 */
const RESERVED_ENV = /^(NVIDIA_VISIBLE_DEVICES|LD_PRELOAD|CUDA_MPS_\w+|CUDA_DEVICE_\w+)$/;

/** An image reference as Docker takes it: no spaces, no leading dash, no control characters. */
const IMAGE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$/;

/**
 * Checks every field of a start request at once and either returns the plan or fails with
 * `invalid-session` listing each field and its rule. Runs in main before anything touches the
 * host, so a bad form starts nothing.
 */
export function planSession(input: SessionStartInput, reservedPorts: readonly number[] = []) {
  const errors: PlanError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });
  const image = input.image.trim();
  if (!IMAGE_PATTERN.test(image))
    fail('image', `"${input.image}" is not an image reference (like ubuntu:24.04)`);
  const gpus = (input.gpus ?? '0').trim() || '0';
  const micro = parseMicroShares(gpus);
  if (typeof micro !== 'number')
    fail('gpus', `"${gpus}" is not an amount of GPUs: use a decimal like 0.5, 1 or 1.5`);
  const size = (field: 'memory' | 'shm', text: string | undefined): number | undefined => {
    const problem = sizeProblem(text ?? '');
    if (problem !== undefined) fail(field, problem);
    return text === undefined || text.trim() === '' || problem ? undefined : parseByteSize(text);
  };
  const memoryBytes = size('memory', input.memory);
  const shmBytes = size('shm', input.shm);
  const cpus = cpusProblem(input.cpus ?? '');
  if (cpus !== undefined) fail('cpus', cpus);
  const nanoCpus = input.cpus?.trim() ? parseNanoCpus(input.cpus) : undefined;
  const parsedPorts = parseServicePorts(input.ports ?? '', { reservedPorts: [...reservedPorts] });
  if (!parsedPorts.ok) fail('ports', describeServicePortErrors(parsedPorts.errors));
  const name = input.name?.trim() || undefined;
  const nameProblem = sessionNameProblem(input.name ?? '');
  if (nameProblem !== undefined) fail('name', nameProblem);
  for (const entry of input.env ?? []) {
    const key = entry.slice(0, entry.indexOf('='));
    if (RESERVED_ENV.test(key))
      fail('env', `${key} is set by LabDeck for the session's GPUs and their limits; leave it out`);
  }
  const mounts = (input.mounts ?? []).map((m) => ({ name: m.name, readOnly: m.readOnly ?? false }));
  mounts.forEach((mount, index) => {
    const check = validateFolderName(mount.name);
    if (!check.ok)
      fail(
        'mounts',
        `folder ${check.message.startsWith(`"${mount.name}"`) ? '' : `"${mount.name}" `}${check.message}`,
      );
    else if (mounts.findIndex((other) => other.name === mount.name) !== index)
      fail('mounts', `folder "${mount.name}" is asked for twice; mount each folder once`);
  });
  const command = input.command?.trim() ? input.command : undefined;
  if (input.group !== undefined && !groupNameSchema.safeParse(input.group).success)
    fail('group', `"${input.group}" is not a Unix group name (like lab or ml-team)`);
  if (errors.length > 0) throw invalidSession(errors);
  return {
    image,
    gpus,
    nanoCpus,
    memoryBytes,
    shmBytes,
    env: input.env ?? [],
    ports: parsedPorts.ok ? parsedPorts.ports : [],
    command,
    name,
    mounts,
    group: input.group,
    warnings: parsedPorts.ok ? parsedPorts.warnings : [],
  } satisfies SessionPlan;
}

/** The failure for a form with broken fields: each field and its rule, one per line. */
export function invalidSession(errors: readonly PlanError[]): AppFailure {
  return new AppFailure({
    code: 'invalid-session',
    message: `The session cannot start: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}.`,
    hint: 'Correct the fields named and start again; nothing was started.',
  });
}
