import {
  allocate,
  AllocationError,
  type AllocationRequest,
  type AllocatorDevice,
} from '../common/allocator';
import { bruteForceAllocate } from '../test/support/brute-force-allocator';
import type { Contender, Figure } from './bench-harness';

/** The scale: a decision on 64 GPUs, timed over this many mixed requests. */
const LARGE_GPUS = 64;
const LARGE_REQUESTS = 1_000;

/** The exhaustive search's scale: the most GPUs it finishes in milliseconds at quantum ≥ 0.1. */
const SMALL_GPUS = 6;
const SMALL_REQUESTS = 200;

/** Goal for one decision on 64 GPUs (issue: ≤ 10 µs). */
const DECISION_TARGET_US = 10;

/** The same pseudo-random requests every run (mulberry32), so runs compare. */
function random(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * below);
  };
}

/** n hundredths as a decimal string: 35 → "0.35". */
function hundredths(n: number): string {
  return n % 100 === 0
    ? String(n / 100)
    : `${Math.floor(n / 100)}.${String(n % 100)
        .padStart(2, '0')
        .replace(/0$/, '')}`;
}

interface Decision {
  readonly devices: AllocatorDevice[];
  readonly request: AllocationRequest;
}

/**
 * Requests as a shared host sees them: each on its own allocated state (a third of the GPUs idle,
 * the rest partly held, some full), amounts mostly under one GPU with a tail up to 16, quanta from
 * a hundredth to a quarter, one in five packed with `fill`.
 */
function decisions(
  count: number,
  gpus: number,
  quanta: readonly number[],
  strategies: readonly ('evenly' | 'fill')[],
  seed: number,
): Decision[] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const quantum = quanta[next(quanta.length)]!;
    const devices = Array.from({ length: gpus }, (_, i) => ({
      id: `GPU-${i.toString(16).padStart(8, '0')}-bench`,
      capacity: '1',
      allocated: next(3) === 0 ? '0' : hundredths(next(21) * 5),
      numaNode: i < gpus / 2 ? 0 : 1,
    }));
    const roll = next(10);
    const maxUnits = Math.round(((roll < 6 ? 1 : roll < 9 ? 4 : 16) * 100) / quantum);
    const amount = hundredths((1 + next(Math.min(maxUnits, (gpus * 100) / quantum))) * quantum);
    const strategy = strategies[next(strategies.length)]!;
    return { devices, request: { amount, quantum: hundredths(quantum), strategy } };
  });
}

/** Runs every decision; a request that does not fit counts as decided (it is an answer too). */
function decideAll(work: readonly Decision[], decide: (d: Decision) => unknown): void {
  for (const d of work) {
    try {
      decide(d);
    } catch (error) {
      if (!(error instanceof AllocationError) || error.code !== 'insufficient') throw error;
    }
  }
}

/**
 * The allocator's figures: µs per decision of `allocate` on 64 GPUs over 1,000 mixed requests
 * (absolute target), beside the exhaustive search of test/support measured in the same run, on
 * 6 GPUs where it can finish; and both on the same 6-GPU requests, for a like-for-like ratio.
 */
export function allocatorFigures(): Figure[] {
  const large = decisions(
    LARGE_REQUESTS,
    LARGE_GPUS,
    [1, 5, 10, 25],
    ['evenly', 'evenly', 'evenly', 'evenly', 'fill'],
    1,
  );
  // The search tries every vector of shares: coarse quanta keep it to milliseconds.
  const small = decisions(SMALL_REQUESTS, SMALL_GPUS, [10, 25, 50], ['evenly'], 2);
  const search: Contender = {
    name: `exhaustive search on ${SMALL_GPUS} GPUs (${SMALL_REQUESTS} requests, quantum 0.1–0.5)`,
    run: async () => decideAll(small, (d) => bruteForceAllocate(d.devices, d.request)),
  };
  const unit = 'decision';
  return [
    {
      name: `Even allocator on ${LARGE_GPUS} GPUs (${LARGE_REQUESTS.toLocaleString('en')} mixed requests)`,
      subject: {
        name: `allocate on ${LARGE_GPUS} GPUs (quantum 0.01–0.25, evenly and fill)`,
        run: async () => decideAll(large, (d) => allocate(d.devices, d.request)),
      },
      baseline: search,
      iterations: 20,
      perCall: { subject: LARGE_REQUESTS, baseline: SMALL_REQUESTS, unit },
      targetUs: DECISION_TARGET_US,
      ratioNote: `${LARGE_GPUS} GPUs against ${SMALL_GPUS}: the search cannot finish ${LARGE_GPUS}`,
    },
    {
      name: `Even allocator against an exhaustive search (the same ${SMALL_REQUESTS} requests on ${SMALL_GPUS} GPUs)`,
      subject: {
        name: `allocate on ${SMALL_GPUS} GPUs`,
        run: async () => decideAll(small, (d) => allocate(d.devices, d.request)),
      },
      baseline: search,
      iterations: 20,
      perCall: { subject: SMALL_REQUESTS, baseline: SMALL_REQUESTS, unit },
    },
  ];
}
