import type { AllocationRequest, AllocatorDevice } from '../../common/allocator';

/**
 * An exhaustive search for the even allocation, written straight from the rules and sharing no
 * code with common/allocator.ts: it tries every vector of shares (each a whole number of quanta
 * between 0 and the device's free capacity) that sums to the amount and keeps the best by
 * `compareEvenKeys`. Exponential: for tests and the benchmark's baseline on a handful of GPUs.
 */

/** Micro-shares in a GPU, as the allocator counts (six decimals). */
const MICRO = 1_000_000n;

/** "0.25" → 250 000 micro-shares, through BigInt so no float is involved. */
export function microShares(text: string): bigint {
  const match = /^(\d+)(?:\.(\d{1,6}))?$/.exec(text);
  if (!match) throw new Error(`not a plain decimal: ${JSON.stringify(text)}`);
  return BigInt(match[1]!) * MICRO + BigInt((match[2] ?? '').padEnd(6, '0'));
}

/** What the even rules compare, in order; smaller wins at every step. */
export interface EvenKey {
  /** Max − min of the non-zero shares, in quanta. */
  readonly spread: number;
  /** Devices with a non-zero share. */
  readonly count: number;
  /** 0 when one device, or all on one known NUMA node; 1 otherwise. */
  readonly splitNuma: number;
  /** The chosen devices' free capacity in quanta, freest first. */
  readonly freeDescending: readonly number[];
  /** The chosen devices' positions in the device list, ascending. */
  readonly indices: readonly number[];
}

/** Each device's free capacity in whole quanta. */
export function freeQuanta(devices: readonly AllocatorDevice[], quantum: string): number[] {
  const q = microShares(quantum);
  return devices.map((d) => Number((microShares(d.capacity) - microShares(d.allocated)) / q));
}

/** The even key of an allocation given as quanta per device position. */
export function evenKeyOf(
  devices: readonly AllocatorDevice[],
  free: readonly number[],
  shares: readonly number[],
): EvenKey {
  const indices = shares.flatMap((s, i) => (s > 0 ? [i] : []));
  const used = indices.map((i) => shares[i]!);
  const nodes = new Set(indices.map((i) => devices[i]!.numaNode ?? null));
  return {
    spread: used.length === 0 ? 0 : Math.max(...used) - Math.min(...used),
    count: indices.length,
    splitNuma: indices.length <= 1 || (nodes.size === 1 && !nodes.has(null)) ? 0 : 1,
    freeDescending: indices.map((i) => free[i]!).sort((a, b) => b - a),
    indices,
  };
}

/** The key of an allocation as `allocate` returns it (decimal shares by device id). */
export function evenKeyOfResult(
  devices: readonly AllocatorDevice[],
  quantum: string,
  result: Readonly<Record<string, string>>,
): EvenKey {
  const q = microShares(quantum);
  const shares = devices.map((d) => (d.id in result ? Number(microShares(result[d.id]!) / q) : 0));
  return evenKeyOf(devices, freeQuanta(devices, quantum), shares);
}

function compareLists(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Negative when a is the better even allocation. */
export function compareEvenKeys(a: EvenKey, b: EvenKey): number {
  return (
    a.spread - b.spread ||
    a.count - b.count ||
    a.splitNuma - b.splitNuma ||
    compareLists(a.freeDescending, b.freeDescending) ||
    compareLists(a.indices, b.indices)
  );
}

/** The best even allocation by exhaustive search, as decimal shares by id; null when none fits. */
export function bruteForceAllocate(
  devices: readonly AllocatorDevice[],
  request: AllocationRequest,
): { result: Record<string, string>; key: EvenKey } | null {
  const quantum = request.quantum ?? '0.01';
  const q = microShares(quantum);
  const amount = Number(microShares(request.amount) / q);
  const free = freeQuanta(devices, quantum);
  const n = devices.length;
  const suffix = free.map((_, i) => free.slice(i).reduce((s, f) => s + f, 0));
  const shares = new Array<number>(n).fill(0);
  let best: { shares: number[]; key: EvenKey } | null = null;
  const visit = (i: number, left: number, lo: number, hi: number, count: number): void => {
    if (i === n) {
      if (left !== 0) return;
      const spread = count === 0 ? 0 : hi - lo;
      // Only a candidate at least as even and as small as the best needs its full key.
      if (
        best &&
        (spread > best.key.spread || (spread === best.key.spread && count > best.key.count))
      )
        return;
      const key = evenKeyOf(devices, free, shares);
      if (!best || compareEvenKeys(key, best.key) < 0) best = { shares: [...shares], key };
      return;
    }
    if (left > suffix[i]!) return;
    for (let s = 0; s <= Math.min(free[i]!, left); s++) {
      shares[i] = s;
      if (s === 0) visit(i + 1, left, lo, hi, count);
      else visit(i + 1, left - s, Math.min(lo, s), Math.max(hi, s), count + 1);
    }
    shares[i] = 0;
  };
  visit(0, amount, Number.POSITIVE_INFINITY, 0, 0);
  if (best === null) return null;
  const found: { shares: number[]; key: EvenKey } = best;
  const result: Record<string, string> = {};
  found.shares.forEach((s, i) => {
    if (s > 0) result[devices[i]!.id] = decimal(BigInt(s) * q);
  });
  return { result, key: found.key };
}

function decimal(micro: bigint): string {
  const whole = micro / MICRO;
  const fraction = (micro % MICRO).toString().padStart(6, '0').replace(/0+$/, '');
  return fraction === '' ? whole.toString() : `${whole}.${fraction}`;
}
