/**
 * The fields of a session's start form that are not GPU shares or service ports (those have
 * their own modules): memory and /dev/shm as `16g`, `512m`, `64GiB` or plain bytes, CPUs as a
 * decimal, the session's name. Parsed exactly (no binary floats) into what the Docker API
 * wants; the same checks and messages in the form as the user types and in main before launch.
 */

/** Bytes per unit letter, as `docker run --memory` reads them (k, m, g, t are powers of 1024). */
const UNIT_BYTES: Readonly<Record<string, bigint>> = {
  '': 1n,
  b: 1n,
  k: 1024n,
  m: 1024n ** 2n,
  g: 1024n ** 3n,
  t: 1024n ** 4n,
};

/** Nano-CPUs in one CPU, Docker's `NanoCpus` unit. */
const NANO_CPUS_PER_CPU = 1_000_000_000n;

/** Docker's own floor for a memory limit (6 MiB); less is refused by the engine anyway. */
export const MIN_MEMORY_BYTES = 6 * 1024 * 1024;

const SIZE_PATTERN = /^(\d{1,15})(?:\.(\d{1,9}))?\s*([kmgt]?)(?:i?b)?$/i;

/** `16g` → 17179869184; undefined when the text is not a size. */
export function parseByteSize(text: string): number | undefined {
  const match = SIZE_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const [, whole = '0', fraction = '', unit = ''] = match;
  const scale = UNIT_BYTES[unit.toLowerCase()]!;
  const denominator = 10n ** BigInt(fraction.length);
  const bytes = ((BigInt(whole) * denominator + BigInt(fraction || '0')) * scale) / denominator;
  return bytes <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(bytes) : undefined;
}

/** `1.5` → 1 500 000 000 nano-CPUs; undefined when the text is not a positive decimal. */
export function parseNanoCpus(text: string): number | undefined {
  const match = /^(\d{1,4})(?:\.(\d{1,9}))?$/.exec(text.trim());
  if (!match) return undefined;
  const [, whole = '0', fraction = ''] = match;
  const nano = BigInt(whole) * NANO_CPUS_PER_CPU + BigInt(fraction.padEnd(9, '0'));
  return nano > 0n ? Number(nano) : undefined;
}

/** A session name: what `--name` and the form take, and what the container's name is made of. */
export const SESSION_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/** What is wrong with a memory or shm size, or undefined when it is fine (or left empty). */
export function sizeProblem(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  const bytes = parseByteSize(text);
  if (bytes === undefined) return `"${text}" is not a size: use bytes or 512m, 16g, 64GiB`;
  if (bytes < MIN_MEMORY_BYTES) return `${text} is below the 6 MiB Docker allows`;
  return undefined;
}

/** What is wrong with a number of CPUs, or undefined when it is fine (or left empty). */
export function cpusProblem(text: string): string | undefined {
  if (text.trim() === '' || parseNanoCpus(text) !== undefined) return undefined;
  return `"${text}" is not a number of CPUs: use a decimal like 4 or 0.5`;
}

/** What is wrong with a session name, or undefined when it is fine (or left empty). */
export function sessionNameProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '' || SESSION_NAME_PATTERN.test(trimmed)) return undefined;
  return `"${trimmed}" is not a session name: 1–63 letters, digits, ".", "_" or "-", starting with a letter or digit`;
}
