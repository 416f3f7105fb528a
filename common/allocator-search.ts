/**
 * The allocator's search, in whole quanta: every free capacity and the request are integers of
 * the host's quantum, so shares are exact by construction. `allocate` (allocator.ts) parses and
 * formats around it.
 *
 * Why the even search is fast and still exact (each step is checked against an exhaustive
 * search in the property tests):
 * - Among k devices, the smallest max − min is reached by water-filling (each device gets
 *   min(level, free), the level as low as the amount allows), and the k devices with the most free
 *   capacity reach the smallest max − min of any k devices: every k-set is dominated by them.
 *   So one pass over k, with the water level only falling as k grows, finds the best spread d and
 *   the fewest devices k that reach it.
 * - A k-set reaches that best d exactly when all its devices have at least b free and
 *   Σ min(d, free − b) ≥ amount − k·b, where b = min(the k-th largest free, ⌊amount / k⌋)
 *   (a set whose least free device is below b can only be less even). That condition is
 *   additive and monotone, so the set that spends the least free capacity (compared from its
 *   freest device down) is found greedily from the top, one device at a time.
 */

/**
 * Each device's free capacity in whole quanta and its NUMA node, by device index, with their sum
 * and largest: `allocate` totals them while it parses, so the search needs no pass of its own.
 */
export interface FreeQuanta {
  readonly free: readonly number[];
  readonly numa: readonly (number | null)[];
  readonly total: number;
  readonly max: number;
  /** The least free device that holds the whole request alone, the first among equals; or -1. */
  readonly fit: number;
}

/** One candidate pool: devices with some free capacity, ascending by (free, device order). */
interface Pool {
  readonly free: number[];
  readonly index: number[];
}

/** A chosen set: its devices' free capacity and device indices, ascending by (free, index). */
interface Chosen {
  readonly free: number[];
  readonly index: number[];
}

/** ⌈a / b⌉ for non-negative safe integers, exactly (no rounding of a float quotient). */
function ceilDiv(a: number, b: number): number {
  const rest = a % b;
  return (a - rest) / b + (rest === 0 ? 0 : 1);
}

/** ⌊a / b⌋ for non-negative safe integers, exactly. */
function floorDiv(a: number, b: number): number {
  return (a - (a % b)) / b;
}

/** The first position whose value is at least `value` (values ascending). */
function lowerBound(values: readonly number[], value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Free capacities up to this many quanta are sorted by counting (a GPU at quantum 0.01 is 100). */
const COUNTING_SORT_MAX_QUANTA = 4_096;

/** Scratch for the counting sort, reused across calls (a decision never re-enters itself). */
const counts = new Int32Array(COUNTING_SORT_MAX_QUANTA + 2);

/** The devices with some free capacity, ascending by (free, device index). */
function poolOf(free: ArrayLike<number>, max: number): Pool {
  const n = free.length;
  if (max <= COUNTING_SORT_MAX_QUANTA) {
    // Counting sort: O(devices + quanta), stable, so equal free stays in device order.
    counts.fill(0, 0, max + 2);
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (free[i]! > 0) {
        counts[free[i]! + 1]!++;
        m++;
      }
    }
    // Now counts[v] is how many devices have less than v free: where the first with v goes.
    for (let v = 1; v <= max + 1; v++) counts[v]! += counts[v - 1]!;
    const values = new Array<number>(m);
    const index = new Array<number>(m);
    for (let i = 0; i < n; i++) {
      const f = free[i]!;
      if (f === 0) continue;
      const at = counts[f]!++; // devices with less free come first
      values[at] = f;
      index[at] = i;
    }
    return { free: values, index };
  }
  // Fine quanta: a comparison sort.
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (free[i]! > 0) order.push(i);
  order.sort((x, y) => free[x]! - free[y]! || x - y);
  return { free: order.map((i) => free[i]!), index: order };
}

/**
 * Scratch for running sums, reused across decisions (a decision never re-enters itself): a
 * Float64Array holds every sum exactly (below 2^53) and costs no allocation once grown.
 */
interface Scratch {
  values: Float64Array;
}

const PREFIX: Scratch = { values: new Float64Array(0) };
const GAIN: Scratch = { values: new Float64Array(0) };

/** A scratch array of at least `length` sums; its contents are whatever the last use left. */
function sums(scratch: Scratch, length: number): Float64Array {
  if (scratch.values.length < length)
    scratch.values = new Float64Array(Math.max(length, 2 * scratch.values.length));
  return scratch.values;
}

/** n zeros: a loop, which V8 runs faster than `new Array(n).fill(0)` on a fresh holey array. */
function zeros(n: number): number[] {
  const values = new Array<number>(n);
  for (let i = 0; i < n; i++) values[i] = 0;
  return values;
}

/** The lowest water level at which the devices at positions [start, end) hold `amount`. */
function waterLevel(free: readonly number[], start: number, end: number, amount: number): number {
  let below = 0;
  for (let i = start; i < end; i++) below += free[i]!;
  // Walk the breakpoint down: devices at [p, end) sit at the level, the rest give all they have.
  for (let p = end - 1; ; p--) {
    below -= free[p]!;
    const level = ceilDiv(amount - below, end - p);
    if (p === start || free[p - 1]! <= level) return level;
  }
}

/** Max − min of the most even split of `amount` over the top k devices of a pool (∞: short). */
function topSpread(free: readonly number[], k: number, amount: number): number {
  const start = free.length - k;
  let held = 0;
  for (let i = start; i < free.length; i++) held += free[i]!;
  if (held < amount) return Number.POSITIVE_INFINITY;
  const level = waterLevel(free, start, free.length, amount);
  return level - Math.min(free[start]!, floorDiv(amount, k));
}

/**
 * The smallest max − min any allocation of `amount` reaches, and the fewest devices that reach
 * it. The level falls as k grows, so its breakpoint only moves down: O(n) for all k together.
 */
function mostEven(free: readonly number[], amount: number): { spread: number; count: number } {
  const m = free.length;
  const prefix = sums(PREFIX, m + 1);
  prefix[0] = 0;
  for (let i = 0; i < m; i++) prefix[i + 1] = prefix[i]! + free[i]!;
  let spread = Number.POSITIVE_INFINITY;
  let count = 0;
  let p = m - 1;
  const most = Math.min(m, amount); // every chosen device holds at least one quantum
  for (let k = 1; k <= most; k++) {
    const start = m - k;
    if (prefix[m]! - prefix[start]! < amount) continue;
    let level = ceilDiv(amount - (prefix[p]! - prefix[start]!), m - p);
    while (p > start && free[p - 1]! > level) {
      p--;
      level = ceilDiv(amount - (prefix[p]! - prefix[start]!), m - p);
    }
    const d = level - Math.min(free[start]!, floorDiv(amount, k));
    if (d < spread) {
      spread = d;
      count = k;
      if (d === 0) break;
    }
  }
  return { spread, count };
}

/**
 * Of the k-sets in a pool that reach `spread`, the one whose free capacities, compared from the
 * freest device down, are smallest; among equal capacities the earliest devices.
 */
function leastFreeSet(pool: Pool, k: number, spread: number, amount: number): Chosen {
  const { free } = pool;
  const m = free.length;
  const base = Math.min(free[m - k]!, floorDiv(amount, k));
  const target = amount - k * base;
  const lo = lowerBound(free, base);
  const gain = sums(GAIN, m - lo + 1);
  gain[0] = 0;
  for (let i = lo; i < m; i++) gain[i - lo + 1] = gain[i - lo]! + Math.min(spread, free[i]! - base);
  const kept: number[] = []; // positions, descending
  let need = k;
  let reached = 0;
  for (let i = m - 1; i >= lo && need > 0; i--) {
    const rel = i - lo;
    // Leave device i out when the `need` devices just below it still reach the target.
    if (need <= rel && reached + gain[rel]! - gain[rel - need]! >= target) continue;
    kept.push(i);
    reached += Math.min(spread, free[i]! - base);
    need--;
  }
  // Within one free value any device will do: take the earliest ones (positions ascend by index).
  const chosen: Chosen = { free: [], index: [] };
  for (let j = kept.length - 1; j >= 0;) {
    const value = free[kept[j]!]!;
    let same = 0;
    while (j >= 0 && free[kept[j]!] === value) {
      same++;
      j--;
    }
    for (let pos = lowerBound(free, value), end = pos + same; pos < end; pos++) {
      chosen.free.push(value);
      chosen.index.push(pool.index[pos]!);
    }
  }
  return chosen;
}

/** Negative when set a spends less free capacity than b (freest first), then by device order. */
function compareSets(a: Chosen, b: Chosen): number {
  for (let i = a.free.length - 1; i >= 0; i--) {
    if (a.free[i] !== b.free[i]) return a.free[i]! - b.free[i]!;
  }
  const ai = [...a.index].sort((x, y) => x - y);
  const bi = [...b.index].sort((x, y) => x - y);
  for (let i = 0; i < ai.length; i++) if (ai[i] !== bi[i]) return ai[i]! - bi[i]!;
  return 0;
}

/** Whether every device of a set sits on the same known NUMA node. */
function onOneNode(set: Chosen, numa: ArrayLike<number | null>): boolean {
  const node = numa[set.index[0]!] ?? null;
  if (node === null) return false;
  for (let i = 1; i < set.index.length; i++) if (numa[set.index[i]!] !== node) return false;
  return true;
}

/** The pool's devices on one NUMA node, in pool order. */
function nodePool(pool: Pool, numa: ArrayLike<number | null>, node: number): Pool {
  const group: Pool = { free: [], index: [] };
  for (let pos = 0; pos < pool.index.length; pos++) {
    if (numa[pool.index[pos]!] !== node) continue;
    group.free.push(pool.free[pos]!);
    group.index.push(pool.index[pos]!);
  }
  return group;
}

/** The known NUMA nodes of a pool's devices, each once. */
function nodesOf(pool: Pool, numa: ArrayLike<number | null>): number[] {
  const nodes: number[] = [];
  for (let pos = 0; pos < pool.index.length; pos++) {
    const node = numa[pool.index[pos]!] ?? null;
    if (node === null) continue;
    // A host has a node or a few: a scan in place is cheaper than a call to includes.
    let seen = 0;
    while (seen < nodes.length && nodes[seen] !== node) seen++;
    if (seen === nodes.length) nodes.push(node);
  }
  return nodes;
}

/**
 * Spreads `amount` quanta evenly: on one device when it fits (the least free one that does),
 * else the most even split, then the fewest devices, then one NUMA node, then the least free
 * capacity, then device order. Returns the quanta per device index, or null when the free
 * capacity of all devices together is short.
 */
export function evenShares(quanta: FreeQuanta, amount: number): number[] | null {
  const { free, numa, total, max, fit } = quanta;
  const n = free.length;
  if (amount === 0) return zeros(n);
  if (total < amount) return null;
  const shares = zeros(n);
  if (fit >= 0) {
    // It fits on one device: the least free one that does (found while the free shares were read).
    shares[fit] = amount;
    return shares;
  }
  const pool = poolOf(free, max);
  const { spread, count } = mostEven(pool.free, amount);
  const anywhere = leastFreeSet(pool, count, spread, amount);
  // The best set of all is the best on one node too when it happens to sit on one.
  let best: Chosen | undefined = onOneNode(anywhere, numa) ? anywhere : undefined;
  if (!best) {
    for (const node of nodesOf(pool, numa)) {
      const group = nodePool(pool, numa, node);
      if (group.free.length < count || topSpread(group.free, count, amount) !== spread) continue;
      const candidate = leastFreeSet(group, count, spread, amount);
      if (!best || compareSets(candidate, best) < 0) best = candidate;
    }
  }
  waterFill(best ?? anywhere, amount, shares);
  return shares;
}

/** The most even split of `amount` over a chosen set; the extra quanta go to the freest first. */
function waterFill(set: Chosen, amount: number, shares: number[]): void {
  const k = set.free.length;
  const level = waterLevel(set.free, 0, k, amount);
  let left = amount;
  for (let i = 0; i < k; i++) {
    const share = Math.min(level - 1, set.free[i]!);
    shares[set.index[i]!] = share;
    left -= share;
  }
  // Devices that can take the level, freest first; among equal free, the earliest device.
  for (let end = k; left > 0 && end > 0;) {
    let start = end - 1;
    while (start > 0 && set.free[start - 1] === set.free[end - 1]) start--;
    for (let i = start; i < end && left > 0; i++) {
      shares[set.index[i]!]!++;
      left--;
    }
    end = start;
  }
}

/** Fills the freest devices first (device order among equals). Null when capacity is short. */
export function fillShares(quanta: FreeQuanta, amount: number): number[] | null {
  const { free, total, max } = quanta;
  if (total < amount) return null;
  const shares = zeros(free.length);
  const pool = poolOf(free, max);
  let left = amount;
  // Freest first: walk the ascending pool down one free value at a time, each value's devices in
  // device order.
  for (let end = pool.free.length; left > 0 && end > 0;) {
    let start = end - 1;
    while (start > 0 && pool.free[start - 1] === pool.free[end - 1]) start--;
    for (let pos = start; pos < end && left > 0; pos++) {
      const share = Math.min(left, pool.free[pos]!);
      shares[pool.index[pos]!] = share;
      left -= share;
    }
    end = start;
  }
  return shares;
}
