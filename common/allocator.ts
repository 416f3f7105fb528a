import {
  type DecimalProblem,
  formatMicroShares,
  parseMicroShares,
  SHARE_DECIMALS,
  SHARE_INTEGER_DIGITS,
} from './allocator-decimal';
import { evenShares, fillShares, type FreeQuanta } from './allocator-search';

/**
 * The even GPU allocator: which shares of which GPUs a session gets. Runs in main before any
 * container is created; pure, exact, and checked against an exhaustive search in its tests.
 * Amounts are decimal strings of GPU shares (a whole GPU is "1"); the arithmetic is in whole
 * quanta of the host (integers), never binary floats.
 */

/** A GPU as the allocator sees it: its capacity and what sessions already hold of it. */
export interface AllocatorDevice {
  readonly id: string;
  /** Shares the GPU has, as a decimal string: "1" for a whole GPU. */
  readonly capacity: string;
  /** Shares already held by sessions (from the host's container labels), at most `capacity`. */
  readonly allocated: string;
  /** The GPU's NUMA node, when the host reports one: a tie-break, never a constraint. */
  readonly numaNode?: number | null;
}

/** What a session asks for. */
export interface AllocationRequest {
  /** Shares wanted, as a decimal string ("0.3", "1.5", "4"); "0" for a session without GPUs. */
  readonly amount: string;
  /** The host's smallest share, as a decimal string; every share is a multiple of it. */
  readonly quantum?: string;
  /** `evenly` (default) spreads the amount as evenly as possible; `fill` packs the freest first. */
  readonly strategy?: 'evenly' | 'fill';
}

/** Why a request cannot be allocated. */
export type AllocationErrorCode = 'insufficient' | 'invalid-amount' | 'not-multiple-of-quantum';

/** A request the allocator refuses, with a message written for the researcher. */
export class AllocationError extends Error {
  override readonly name = 'AllocationError';

  constructor(
    readonly code: AllocationErrorCode,
    /** The input at fault: `amount`, `quantum`, or `devices[i].capacity` / `.allocated`. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The quantum when a host sets none: a hundredth of a GPU. */
export const DEFAULT_QUANTUM = '0.01';

/** How many GPUs the "insufficient" message lists by name before it summarizes the rest. */
const LISTED_DEVICES = 8;

function gpus(micro: number): string {
  const text = formatMicroShares(micro);
  return `${text} GPU${text === '1' ? '' : 's'}`;
}

function problemText(what: string, text: string, problem: DecimalProblem): string {
  switch (problem) {
    case 'not-decimal':
      return `${what} ${JSON.stringify(text)} is not a decimal number of GPUs (such as 0.5, 1 or 1.5).`;
    case 'too-precise':
      return `${what} ${JSON.stringify(text)} has more than ${SHARE_DECIMALS} decimal places.`;
    case 'too-large':
      return `${what} ${JSON.stringify(text)} has more than ${SHARE_INTEGER_DIGITS} digits before the decimal point.`;
  }
}

function parseAmount(field: string, what: string, text: unknown): number {
  const parsed = typeof text === 'string' ? parseMicroShares(text) : 'not-decimal';
  if (typeof parsed === 'number') return parsed;
  throw new AllocationError('invalid-amount', field, problemText(what, String(text), parsed));
}

/** A device amount: parsed on the hot path, its field and wording built only for an error. */
function parseDeviceAmount(text: string, i: number, key: string, id: string): number {
  const parsed = typeof text === 'string' ? parseMicroShares(text) : 'not-decimal';
  if (typeof parsed === 'number') return parsed;
  return parseAmount(`devices[${i}].${key}`, `GPU ${id}: ${key}`, text);
}

function notMultiple(amount: number, quantum: number): AllocationError {
  const lower = amount - (amount % quantum);
  const nearest =
    lower === 0
      ? `${gpus(quantum)} (or 0 for no GPU)`
      : `${gpus(lower)} or ${gpus(lower + quantum)}`;
  return new AllocationError(
    'not-multiple-of-quantum',
    'amount',
    `${gpus(amount)} is not a multiple of this host's GPU quantum ${formatMicroShares(quantum)}: ask for ${nearest}.`,
  );
}

function insufficient(
  devices: readonly AllocatorDevice[],
  free: readonly number[],
  amount: number,
  quantum: number,
): AllocationError {
  const withFree = free
    .map((units, i) => ({ id: devices[i]!.id, micro: units * quantum }))
    .filter((d) => d.micro > 0)
    .sort((a, b) => b.micro - a.micro);
  const total = withFree.reduce((sum, d) => sum + d.micro, 0);
  const wanted = `Not enough free GPU capacity for ${gpus(amount)}`;
  let message: string;
  if (devices.length === 0) message = `${wanted}: this host has no GPUs.`;
  else if (total === 0)
    message = `${wanted}: none of this host's ${devices.length} GPUs has any free share.`;
  else {
    const listed = withFree
      .slice(0, LISTED_DEVICES)
      .map((d) => `${d.id}: ${formatMicroShares(d.micro)}`);
    if (withFree.length > LISTED_DEVICES) listed.push(`${withFree.length - LISTED_DEVICES} more`);
    message =
      `${wanted}: ${gpus(total)} free in all (${listed.join(', ')}). ` +
      `Ask for ${formatMicroShares(total)} or less, or wait for a session to end.`;
  }
  return new AllocationError('insufficient', 'amount', message);
}

/**
 * Each device's free capacity in whole quanta, checked as it is read, and the least free device
 * that holds all `units` alone: the hot loop of a decision, one pass, kept apart from `allocate`
 * so V8 inlines the decimal parser into it.
 */
function freeQuantaOf(
  devices: readonly AllocatorDevice[],
  quantum: number,
  units: number,
): FreeQuanta {
  const n = devices.length;
  const free = new Array<number>(n);
  const numa = new Array<number | null>(n);
  // A host's GPUs mostly share one capacity text (JSON.parse hands short strings out interned),
  // so each text is parsed once: a repeat costs one comparison.
  let capacityText = '';
  let capacity = 0;
  let total = 0;
  let max = 0;
  let fit = -1;
  let fitFree = 0;
  for (let i = 0; i < n; i++) {
    const device = devices[i]!;
    if (typeof device.id !== 'string' || device.id === '') {
      throw new TypeError(`devices[${i}].id must be a non-empty string.`);
    }
    const node = device.numaNode ?? null;
    if (node !== null && !(Number.isInteger(node) && node >= 0)) {
      throw new TypeError(`devices[${i}].numaNode must be a non-negative integer or null.`);
    }
    numa[i] = node;
    if (i === 0 || device.capacity !== capacityText) {
      capacity = parseDeviceAmount(device.capacity, i, 'capacity', device.id);
      capacityText = device.capacity;
    }
    const held = parseDeviceAmount(device.allocated, i, 'allocated', device.id);
    if (held > capacity) {
      throw new AllocationError(
        'invalid-amount',
        `devices[${i}].allocated`,
        `GPU ${device.id}: allocated ${formatMicroShares(held)} is more than its capacity ${formatMicroShares(capacity)}.`,
      );
    }
    // Whole quanta only. A float quotient floors exactly here: both are integers below 2^40.
    const deviceFree = Math.floor((capacity - held) / quantum);
    free[i] = deviceFree;
    total += deviceFree;
    if (deviceFree > max) max = deviceFree;
    if (deviceFree >= units && (fit < 0 || deviceFree < fitFree)) {
      fit = i;
      fitFree = deviceFree;
    }
  }
  return { free, numa, total, max, fit };
}

/** The non-zero shares by device id, as decimal strings, in device order. */
function sharesById(
  devices: readonly AllocatorDevice[],
  shares: readonly number[],
  quantum: number,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (let i = 0; i < shares.length; i++) {
    if (shares[i]! === 0) continue;
    const id = devices[i]!.id;
    // Keyed by id, the result would lose a share to a repeated id: refuse rather than sum short.
    if (Object.hasOwn(result, id)) {
      throw new TypeError(`devices[${i}].id ${JSON.stringify(id)} is used by another device too.`);
    }
    const share = formatMicroShares(shares[i]! * quantum);
    // An id of "__proto__" must stay a plain key, not replace the result's prototype.
    if (id === '__proto__') {
      Object.defineProperty(result, id, {
        value: share,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else result[id] = share;
  }
  return result;
}

/**
 * Chooses the shares of `devices` that a session asking for `request` gets: the non-zero shares
 * by device id, as decimal strings (`{}` for "0"). Every share is a multiple of the quantum and at
 * most its device's free capacity, and the shares sum to exactly the amount.
 *
 * Evenly: on one device when it fits, the one with the least free capacity that does (emptier
 * GPUs stay whole for others). Otherwise the most even shares (smallest max − min), then the
 * fewest devices, then devices on one NUMA node, then the least free capacity (compared from the
 * freest chosen device down, in whole quanta), then device order. Fill: the freest devices first.
 *
 * Throws AllocationError (`invalid-amount`, `not-multiple-of-quantum`, `insufficient`) for a
 * request or device amount it cannot honour, and TypeError for a malformed device list or
 * strategy, which are the caller's bugs rather than the researcher's input.
 */
export function allocate(
  devices: readonly AllocatorDevice[],
  request: AllocationRequest,
): Record<string, string> {
  const quantum = parseAmount('quantum', 'GPU quantum', request.quantum ?? DEFAULT_QUANTUM);
  if (quantum === 0) {
    throw new AllocationError('invalid-amount', 'quantum', 'GPU quantum must be more than 0.');
  }
  const amount = parseAmount('amount', 'GPU amount', request.amount);
  if (amount % quantum !== 0) throw notMultiple(amount, quantum);
  const strategy = request.strategy ?? 'evenly';
  if (strategy !== 'evenly' && strategy !== 'fill') {
    throw new TypeError(`strategy must be "evenly" or "fill", not ${JSON.stringify(strategy)}.`);
  }

  const units = amount / quantum;
  const quanta = freeQuantaOf(devices, quantum, units);
  const shares = strategy === 'fill' ? fillShares(quanta, units) : evenShares(quanta, units);
  if (shares === null) throw insufficient(devices, quanta.free, amount, quantum);
  return sharesById(devices, shares, quantum);
}
