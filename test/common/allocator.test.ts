import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  AllocationError,
  type AllocationErrorCode,
  type AllocationRequest,
  type AllocatorDevice,
} from '../../common/allocator';
import {
  type DecimalProblem,
  formatMicroShares,
  parseMicroShares,
} from '../../common/allocator-decimal';
import {
  bruteForceAllocate,
  evenKeyOfResult,
  freeQuanta,
  microShares,
} from '../support/brute-force-allocator';

/** Whole GPUs with these free shares, in device order: "0.3" free is capacity 1, allocated 0.7. */
function gpusWithFree(...free: string[]): AllocatorDevice[] {
  return free.map((f, i) => ({
    id: `g${i}`,
    capacity: '1',
    allocated: decimal(1_000_000n - microShares(f)),
  }));
}

/** Micro-shares as a plain decimal string, for building inputs. */
function decimal(micro: bigint): string {
  const whole = micro / 1_000_000n;
  const fraction = (micro % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return fraction === '' ? whole.toString() : `${whole}.${fraction}`;
}

/** The AllocationError a call must throw. */
function refusal(call: () => unknown): AllocationError {
  try {
    call();
  } catch (error) {
    if (error instanceof AllocationError) return error;
    throw error;
  }
  throw new Error('expected an AllocationError, got a result');
}

function expectRefused(call: () => unknown, code: AllocationErrorCode, field: string): string {
  const error = refusal(call);
  expect({ code: error.code, field: error.field }).toEqual({ code, field });
  return error.message;
}

describe('allocate: the issue’s examples', () => {
  it('splits 0.3 over two GPUs with 0.2 free each as 0.15 + 0.15, not 0.2 + 0.1', () => {
    expect(allocate(gpusWithFree('0.2', '0.2'), { amount: '0.3' })).toEqual({
      g0: '0.15',
      g1: '0.15',
    });
  });

  it('gives 2 on free [0.8, 0.75, 0.7, 0.3] as 0.67 + 0.67 + 0.66, leaving the 0.3 alone', () => {
    expect(allocate(gpusWithFree('0.8', '0.75', '0.7', '0.3'), { amount: '2' })).toEqual({
      g0: '0.67',
      g1: '0.67',
      g2: '0.66',
    });
  });

  it('gives 1.5 on four empty GPUs as 0.75 + 0.75 on the first two', () => {
    expect(allocate(gpusWithFree('1', '1', '1', '1'), { amount: '1.5' })).toEqual({
      g0: '0.75',
      g1: '0.75',
    });
  });
});

describe('allocate: evenly', () => {
  it('puts what fits on one GPU on the least free one that fits, the first among equals', () => {
    const devices = gpusWithFree('1', '0.5', '0.7', '0.5', '0.4');
    expect(allocate(devices, { amount: '0.5' })).toEqual({ g1: '0.5' });
    expect(allocate(devices, { amount: '0.6' })).toEqual({ g2: '0.6' });
    expect(allocate(devices, { amount: '1' })).toEqual({ g0: '1' });
  });

  it('gives a session without GPUs nothing', () => {
    expect(allocate(gpusWithFree('1'), { amount: '0' })).toEqual({});
    expect(allocate(gpusWithFree('1'), { amount: '0.00' })).toEqual({});
    expect(allocate([], { amount: '0' })).toEqual({});
  });

  it('prefers two GPUs on one NUMA node to two on different nodes', () => {
    const devices = gpusWithFree('1', '1', '1', '1').map((d, i) => ({
      ...d,
      numaNode: [0, 1, 1, 0][i],
    }));
    expect(allocate(devices, { amount: '1.5' })).toEqual({ g0: '0.75', g3: '0.75' });
  });

  it('between NUMA nodes that both fit, takes the one with less free', () => {
    const devices = gpusWithFree('1', '1', '0.8', '0.8').map((d, i) => ({
      ...d,
      numaNode: [0, 0, 1, 1][i],
    }));
    expect(allocate(devices, { amount: '1.5' })).toEqual({ g2: '0.75', g3: '0.75' });
  });

  it('takes no NUMA node as known when the host does not say', () => {
    const devices = gpusWithFree('1', '1', '1').map((d, i) => ({
      ...d,
      numaNode: [null, 0, 0][i],
    }));
    expect(allocate(devices, { amount: '1.5' })).toEqual({ g1: '0.75', g2: '0.75' });
  });

  it('among equally even choices keeps the emptiest GPUs out', () => {
    expect(allocate(gpusWithFree('1', '0.8', '1', '0.75'), { amount: '1.5' })).toEqual({
      g1: '0.75',
      g3: '0.75',
    });
  });

  it('chooses the same at a millionth quantum, where free shares are a million quanta', () => {
    const devices = gpusWithFree('1', '0.8', '1', '0.75', '0.4');
    const request = { amount: '1.5', quantum: '0.000001' };
    expect(allocate(devices, request)).toEqual({ g1: '0.75', g3: '0.75' });
    expect(allocate(devices, { ...request, amount: '2.000001' })).toEqual({
      g0: '0.666667',
      g1: '0.666667',
      g3: '0.666667',
    });
  });

  it('is exact where binary floats are not: 0.1 + 0.1 + 0.1 is 0.3', () => {
    expect(allocate(gpusWithFree('0.1', '0.1', '0.1'), { amount: '0.3', quantum: '0.1' })).toEqual({
      g0: '0.1',
      g1: '0.1',
      g2: '0.1',
    });
  });

  it('writes shares without trailing zeros, a whole GPU as "1"', () => {
    expect(allocate(gpusWithFree('1', '1', '1'), { amount: '2.00' })).toEqual({
      g0: '1',
      g1: '1',
    });
    expect(allocate(gpusWithFree('0.5', '0.5'), { amount: '0.90', quantum: '0.05' })).toEqual({
      g0: '0.45',
      g1: '0.45',
    });
  });

  it('uses only whole quanta of a free share that is not one', () => {
    const devices = [{ id: 'a', capacity: '1', allocated: '0.333' }];
    expect(allocate(devices, { amount: '0.66' })).toEqual({ a: '0.66' });
    expectRefused(() => allocate(devices, { amount: '0.67' }), 'insufficient', 'amount');
  });

  it('keeps an id of "__proto__" a plain key of the result', () => {
    const result = allocate([{ id: '__proto__', capacity: '1', allocated: '0' }], {
      amount: '0.5',
    });
    expect(Object.keys(result)).toEqual(['__proto__']);
    expect(result['__proto__']).toBe('0.5');
  });
});

describe('allocate: fill', () => {
  it('fills the freest GPUs first, the first among equals', () => {
    const devices = gpusWithFree('0.5', '1', '0.7', '1');
    expect(allocate(devices, { amount: '1.5', strategy: 'fill' })).toEqual({
      g1: '1',
      g3: '0.5',
    });
    expect(allocate(devices, { amount: '2.9', strategy: 'fill' })).toEqual({
      g1: '1',
      g3: '1',
      g2: '0.7',
      g0: '0.2',
    });
  });
});

describe('allocate: refusals a researcher can act on', () => {
  it('refuses amounts that are not plain decimals, naming the amount', () => {
    for (const amount of ['1e3', '-1', 'abc', '', ' 1', '1 ', '1.', '.5', '+1', '0x10', '1,5']) {
      const message = expectRefused(
        () => allocate(gpusWithFree('1'), { amount }),
        'invalid-amount',
        'amount',
      );
      expect(message).toBe(
        `GPU amount ${JSON.stringify(amount)} is not a decimal number of GPUs (such as 0.5, 1 or 1.5).`,
      );
    }
  });

  it('refuses amounts too fine or too large to be exact', () => {
    expect(
      expectRefused(
        () => allocate(gpusWithFree('1'), { amount: '0.0000001', quantum: '0.000001' }),
        'invalid-amount',
        'amount',
      ),
    ).toBe('GPU amount "0.0000001" has more than 6 decimal places.');
    expect(
      expectRefused(
        () => allocate(gpusWithFree('1'), { amount: '10000000' }),
        'invalid-amount',
        'amount',
      ),
    ).toBe('GPU amount "10000000" has more than 6 digits before the decimal point.');
  });

  it('refuses an amount that is not a multiple of the quantum with the nearest that are', () => {
    expect(
      expectRefused(
        () => allocate(gpusWithFree('1'), { amount: '0.001' }),
        'not-multiple-of-quantum',
        'amount',
      ),
    ).toBe(
      "0.001 GPUs is not a multiple of this host's GPU quantum 0.01: ask for 0.01 GPUs (or 0 for no GPU).",
    );
    expect(
      expectRefused(
        () => allocate(gpusWithFree('1', '1'), { amount: '1.234' }),
        'not-multiple-of-quantum',
        'amount',
      ),
    ).toBe(
      "1.234 GPUs is not a multiple of this host's GPU quantum 0.01: ask for 1.23 GPUs or 1.24 GPUs.",
    );
    expect(
      expectRefused(
        () => allocate(gpusWithFree('1', '1'), { amount: '1.3', quantum: '0.25' }),
        'not-multiple-of-quantum',
        'amount',
      ),
    ).toContain('ask for 1.25 GPUs or 1.5 GPUs.');
  });

  it('refuses a quantum that is not a positive decimal', () => {
    for (const quantum of ['0', '0.00']) {
      expect(
        expectRefused(
          () => allocate(gpusWithFree('1'), { amount: '1', quantum }),
          'invalid-amount',
          'quantum',
        ),
      ).toBe('GPU quantum must be more than 0.');
    }
    expectRefused(
      () => allocate(gpusWithFree('1'), { amount: '1', quantum: 'abc' }),
      'invalid-amount',
      'quantum',
    );
  });

  it('refuses devices whose amounts are not decimals or hold more than they have', () => {
    const bad = [
      { id: 'a', capacity: '1', allocated: '0' },
      { id: 'b', capacity: 'one', allocated: '0' },
    ];
    expect(
      expectRefused(
        () => allocate(bad, { amount: '0.5' }),
        'invalid-amount',
        'devices[1].capacity',
      ),
    ).toBe('GPU b: capacity "one" is not a decimal number of GPUs (such as 0.5, 1 or 1.5).');
    const over = [{ id: 'a', capacity: '1', allocated: '1.2' }];
    expect(
      expectRefused(
        () => allocate(over, { amount: '0.5' }),
        'invalid-amount',
        'devices[0].allocated',
      ),
    ).toBe('GPU a: allocated 1.2 is more than its capacity 1.');
  });

  it('reads each GPU’s own capacity when neighbours share or change capacity texts', () => {
    // A capacity is parsed once for a run of equal texts: a changed text must be read afresh.
    const mixed = [
      { id: 'a', capacity: '2', allocated: '1.5' },
      { id: 'b', capacity: '2', allocated: '0' },
      { id: 'c', capacity: '1', allocated: '1.5' },
    ];
    expect(
      expectRefused(
        () => allocate(mixed, { amount: '0.5' }),
        'invalid-amount',
        'devices[2].allocated',
      ),
    ).toBe('GPU c: allocated 1.5 is more than its capacity 1.');
    const varied = [
      { id: 'a', capacity: '2', allocated: '0' },
      { id: 'b', capacity: '0.5', allocated: '0' },
      { id: 'c', capacity: '2.0', allocated: '1.5' },
      { id: 'd', capacity: '0.5', allocated: '0' },
    ];
    expect(allocate(varied, { amount: '1.5', strategy: 'fill' })).toEqual({ a: '1.5' });
    expect(allocate(varied, { amount: '0.5' })).toEqual({ b: '0.5' });
    expect(allocate(varied, { amount: '2.6', strategy: 'fill' })).toEqual({
      a: '2',
      b: '0.5',
      c: '0.1',
    });
    const wrongType = [
      { id: 'a', capacity: '1', allocated: '0' },
      { id: 'b', capacity: 1 as unknown as string, allocated: '0' },
    ];
    expectRefused(
      () => allocate(wrongType, { amount: '0.5' }),
      'invalid-amount',
      'devices[1].capacity',
    );
  });

  it('says how much is free and where when the request does not fit', () => {
    const devices = gpusWithFree('0.5', '0', '0.7');
    expect(expectRefused(() => allocate(devices, { amount: '2' }), 'insufficient', 'amount')).toBe(
      'Not enough free GPU capacity for 2 GPUs: 1.2 GPUs free in all (g2: 0.7, g0: 0.5). ' +
        'Ask for 1.2 or less, or wait for a session to end.',
    );
    expect(
      expectRefused(
        () => allocate(gpusWithFree('0', '0'), { amount: '0.1' }),
        'insufficient',
        'amount',
      ),
    ).toBe(
      "Not enough free GPU capacity for 0.1 GPUs: none of this host's 2 GPUs has any free share.",
    );
    expect(
      expectRefused(
        () => allocate([], { amount: '1', strategy: 'fill' }),
        'insufficient',
        'amount',
      ),
    ).toBe('Not enough free GPU capacity for 1 GPU: this host has no GPUs.');
  });

  it('refuses a device list whose chosen ids repeat, rather than lose a share', () => {
    const devices = [
      { id: 'a', capacity: '1', allocated: '0' },
      { id: 'a', capacity: '1', allocated: '0' },
    ];
    expect(() => allocate(devices, { amount: '1.5' })).toThrow(TypeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

/** A quantum and device amounts in thousandths, so free shares need not be whole quanta. */
const QUANTA = ['0.000001', '0.001', '0.01', '0.05', '0.1', '0.2', '0.25', '0.5', '1'] as const;

function thousandths(value: number): string {
  return decimal(BigInt(value) * 1_000n);
}

const deviceArb = (
  maxCapacityMilli: number,
  allocatedStepMilli: number,
  numaNodes: readonly (number | null | undefined)[] = [null, undefined, 0, 1],
) =>
  fc
    .record({
      capacity: fc.integer({ min: 1, max: maxCapacityMilli }),
      allocatedFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      numaNode: fc.constantFrom(...numaNodes),
    })
    .map(({ capacity, allocatedFraction, numaNode }) => {
      const steps = Math.floor((capacity * allocatedFraction) / allocatedStepMilli);
      return { capacity, allocated: Math.min(capacity, steps * allocatedStepMilli), numaNode };
    });

function toDevices(
  raw: readonly { capacity: number; allocated: number; numaNode: number | null | undefined }[],
): AllocatorDevice[] {
  return raw.map((d, i) => ({
    id: `GPU-${i}`,
    capacity: thousandths(d.capacity),
    allocated: thousandths(d.allocated),
    ...(d.numaNode === undefined ? {} : { numaNode: d.numaNode }),
  }));
}

/** Any request and devices: up to 64 GPUs, any quantum, any allocated state, both strategies. */
const scenarioArb = fc
  .record({
    raw: fc.array(deviceArb(2_000, 1), { maxLength: 64 }),
    quantum: fc.constantFrom(...QUANTA),
    units: fc.integer({ min: 0, max: 12_000 }),
    strategy: fc.constantFrom<AllocationRequest['strategy']>('evenly', 'fill', undefined),
  })
  .map(({ raw, quantum, units, strategy }) => {
    const devices = toDevices(raw);
    const amount = decimal(
      BigInt(units % (totalQuanta(devices, quantum) + 2)) * microShares(quantum),
    );
    const request: AllocationRequest = { amount, quantum, ...(strategy ? { strategy } : {}) };
    return { devices, request };
  });

function totalQuanta(devices: readonly AllocatorDevice[], quantum: string): number {
  return freeQuanta(devices, quantum).reduce((sum, f) => sum + f, 0);
}

/** The result, or null when refused as insufficient (any other refusal fails the property). */
function outcome(
  devices: readonly AllocatorDevice[],
  request: AllocationRequest,
): Record<string, string> | null {
  try {
    return allocate(devices, request);
  } catch (error) {
    if (error instanceof AllocationError && error.code === 'insufficient') return null;
    throw error;
  }
}

const SHORTEST_DECIMAL = /^(0|[1-9]\d*)(\.\d*[1-9])?$/;

describe('allocate: properties', () => {
  it('sums to exactly the amount, in whole quanta, each within its GPU’s free share — or says insufficient only when the free shares fall short', () => {
    fc.assert(
      fc.property(scenarioArb, ({ devices, request }) => {
        const quantum = microShares(request.quantum!);
        const result = outcome(devices, request);
        const free = freeQuanta(devices, request.quantum!);
        const needed = microShares(request.amount) / quantum;
        if (result === null) {
          expect(BigInt(free.reduce((s, f) => s + f, 0))).toBeLessThan(needed);
          return;
        }
        let sum = 0n;
        for (const [id, share] of Object.entries(result)) {
          const i = devices.findIndex((d) => d.id === id);
          expect(i).toBeGreaterThanOrEqual(0);
          expect(share).toMatch(SHORTEST_DECIMAL);
          const micro = microShares(share);
          expect(micro).toBeGreaterThan(0n);
          expect(micro % quantum).toBe(0n);
          expect(micro / quantum).toBeLessThanOrEqual(BigInt(free[i]!));
          sum += micro;
        }
        expect(sum).toBe(microShares(request.amount));
      }),
      { numRuns: 400 },
    );
  });

  const smallArb = fc.oneof(
    // Whole GPUs at a coarse quantum, allocated in twentieths (free is not always whole quanta).
    fc.record({
      raw: fc.array(deviceArb(1_000, 50), { minLength: 1, maxLength: 5 }),
      quantum: fc.constantFrom('0.1', '0.2', '0.25'),
      units: fc.integer({ min: 1, max: 50 }),
    }),
    // Whole GPUs on two NUMA nodes, allocated in quarters: many ties for the tie-breaks.
    fc.record({
      raw: fc.array(
        deviceArb(1_000, 250, [0, 1]).map((d) => ({ ...d, capacity: 1_000 })),
        { minLength: 4, maxLength: 5 },
      ),
      quantum: fc.constantFrom('0.25', '0.125'),
      units: fc.integer({ min: 1, max: 40 }),
    }),
    // Small capacities at the default quantum.
    fc.record({
      raw: fc.array(deviceArb(120, 10), { minLength: 1, maxLength: 5 }),
      quantum: fc.constant('0.01'),
      units: fc.integer({ min: 1, max: 60 }),
    }),
  );

  it('is never beaten by an exhaustive search: no allocation is more even, none as even on fewer GPUs, and the NUMA, least-free and device-order tie-breaks hold', () => {
    fc.assert(
      fc.property(smallArb, ({ raw, quantum, units }) => {
        const devices = toDevices(raw);
        const total = totalQuanta(devices, quantum);
        const amount = decimal(BigInt(1 + (units % (total + 1))) * microShares(quantum));
        const request = { amount, quantum };
        const best = bruteForceAllocate(devices, request);
        const result = outcome(devices, request);
        if (best === null) {
          expect(result).toBeNull();
          return;
        }
        expect(result).not.toBeNull();
        expect(evenKeyOfResult(devices, quantum, result!)).toEqual(best.key);
      }),
      { numRuns: 1_500 },
    );
  });

  it('fill gives every freer GPU all it has before a less free one gets any', () => {
    fc.assert(
      fc.property(scenarioArb, ({ devices, request }) => {
        const result = outcome(devices, { ...request, strategy: 'fill' });
        if (result === null) return;
        const free = freeQuanta(devices, request.quantum!);
        const quantum = microShares(request.quantum!);
        const order = devices.map((_, i) => i).sort((a, b) => free[b]! - free[a]! || a - b);
        let left = microShares(request.amount) / quantum;
        for (const i of order) {
          const expected = left < BigInt(free[i]!) ? left : BigInt(free[i]!);
          const got =
            devices[i]!.id in result ? microShares(result[devices[i]!.id]!) / quantum : 0n;
          expect(got).toBe(expected);
          left -= expected;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses any text that is not a plain decimal as an invalid amount', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^\d+(\.\d+)?$/.test(s)),
        (text) => {
          expectRefused(
            () => allocate(gpusWithFree('1'), { amount: text }),
            'invalid-amount',
            'amount',
          );
          const devices = [{ id: 'a', capacity: '1', allocated: text }];
          expectRefused(
            () => allocate(devices, { amount: '0' }),
            'invalid-amount',
            'devices[0].allocated',
          );
        },
      ),
    );
  });

  it('refuses an amount off the quantum, naming the multiples on either side', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('0.01', '0.05', '0.25', '1'),
        fc.integer({ min: 0, max: 99_999_999 }),
        (quantum, micro) => {
          const q = microShares(quantum);
          fc.pre(BigInt(micro) % q !== 0n);
          const amount = decimal(BigInt(micro));
          const message = expectRefused(
            () => allocate(gpusWithFree('1'), { amount, quantum }),
            'not-multiple-of-quantum',
            'amount',
          );
          const lower = (BigInt(micro) / q) * q;
          expect(message).toContain(`ask for ${decimal(lower === 0n ? q : lower)} GPU`);
          if (lower > 0n) expect(message).toContain(` or ${decimal(lower + q)} GPU`);
        },
      ),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The decimal parser on its own: what it accepts and refuses, recorded from the parser the
// allocator shipped with, so a faster parser keeps every answer (and the order of its checks).

/** Tricky texts and what the shipped parser made of them: micro-shares, or why it refused. */
const PARSED: readonly (readonly [string, number | DecimalProblem])[] = [
  ['0', 0],
  ['1', 1000000],
  ['00', 0],
  ['007', 7000000],
  ['0000001', 1000000],
  ['0000000', 0],
  ['999999', 999999000000],
  ['1000000', 'too-large'],
  ['0999999', 999999000000],
  ['00000001000000', 'too-large'],
  ['99999999999999999999999', 'too-large'],
  ['999999.999999', 999999999999],
  ['1000000.0', 'too-large'],
  ['9999999.5', 'too-large'],
  ['1234567.', 'too-large'],
  ['9999999x', 'not-decimal'],
  ['1.', 'not-decimal'],
  ['.5', 'not-decimal'],
  ['.', 'not-decimal'],
  ['', 'not-decimal'],
  ['0.000001', 1],
  ['0.0000001', 'too-precise'],
  ['0.0000010', 1],
  ['0.5000000000', 500000],
  ['0.50000001', 'too-precise'],
  ['0.123456789', 'too-precise'],
  ['0.000001x', 'not-decimal'],
  ['0.0000001x', 'too-precise'],
  ['0.0000000x', 'not-decimal'],
  ['12.34', 12340000],
  ['1.50', 1500000],
  ['000.000', 0],
  ['1e3', 'not-decimal'],
  ['1E3', 'not-decimal'],
  ['1e-3', 'not-decimal'],
  [' 1', 'not-decimal'],
  ['1 ', 'not-decimal'],
  ['\t1', 'not-decimal'],
  ['1\n', 'not-decimal'],
  ['+1', 'not-decimal'],
  ['-1', 'not-decimal'],
  ['-0', 'not-decimal'],
  ['0x10', 'not-decimal'],
  ['1,5', 'not-decimal'],
  ['1.2.3', 'not-decimal'],
  ['1..2', 'not-decimal'],
  ['١', 'not-decimal'],
  ['１', 'not-decimal'],
  ['Infinity', 'not-decimal'],
  ['NaN', 'not-decimal'],
  ['1_000', 'not-decimal'],
  ['\u0000', 'not-decimal'],
  ['0/5', 'not-decimal'],
  ['0:5', 'not-decimal'],
  ['1.5/', 'not-decimal'],
  ['1.5:', 'not-decimal'],
];

/**
 * The parser's rules, written from scratch with regexes and BigInt: the whole part is the leading
 * ASCII digits and must be followed by the end or a dot; more than six of them must not reach a
 * million; the fraction after a dot must be digits, past the sixth only zeros. Where a text breaks
 * two rules, the earlier position decides (a seventh-place digit before a letter is too precise).
 */
function parseBySpec(text: string): number | DecimalProblem {
  const whole = /^\d*/.exec(text)![0];
  const rest = text.slice(whole.length);
  if (whole === '' || (rest !== '' && rest[0] !== '.')) return 'not-decimal';
  if (BigInt(whole) >= 1_000_000n) return 'too-large';
  if (rest === '') return Number(BigInt(whole) * 1_000_000n);
  const fraction = rest.slice(1);
  if (fraction === '') return 'not-decimal';
  const nonDigit = /\D/.exec(fraction)?.index ?? Number.POSITIVE_INFINITY;
  const excess = /[1-9]/.exec(fraction.slice(6));
  if (excess && excess.index + 6 < nonDigit) return 'too-precise';
  if (nonDigit !== Number.POSITIVE_INFINITY) return 'not-decimal';
  return Number(BigInt(whole) * 1_000_000n + BigInt(fraction.slice(0, 6).padEnd(6, '0')));
}

/** Texts made of the pieces decimals go wrong with: digits, dots, signs, exponents, spaces. */
const decimalLikeArb = fc.string({
  unit: fc.constantFrom('0', '0', '1', '5', '9', '.', '.', 'e', 'E', '-', '+', ' ', '\t', 'x', '٣'),
  maxLength: 16,
});

describe('parseMicroShares', () => {
  it.each(PARSED)('parses %j as the shipped parser did: %j', (text, expected) => {
    expect(parseMicroShares(text)).toBe(expected);
  });

  it('agrees with the written rules on every tricky text of the table', () => {
    for (const [text, expected] of PARSED) expect(parseBySpec(text)).toBe(expected);
  });

  it('agrees with the written rules on any text of digits, dots, signs, exponents and spaces', () => {
    fc.assert(
      fc.property(fc.oneof(decimalLikeArb, fc.string()), (text) => {
        expect(parseMicroShares(text)).toBe(parseBySpec(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it('parses any amount of up to six digits on each side exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999_999 }),
        fc.integer({ min: 0, max: 999_999 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 3 }),
        (whole, micro, places, zeros) => {
          const digits = String(micro).padStart(6, '0').slice(0, places);
          const text = '0'.repeat(zeros) + String(whole) + (places > 0 ? `.${digits}` : '');
          const expected = whole * 1_000_000 + Number(digits.padEnd(6, '0'));
          expect(parseMicroShares(text)).toBe(expected);
        },
      ),
    );
  });

  it('writes any amount back as the shortest decimal that parses to it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999 }), (micro) => {
        const text = formatMicroShares(micro);
        expect(text).toMatch(SHORTEST_DECIMAL);
        expect(parseMicroShares(text)).toBe(micro);
      }),
      { numRuns: 2_000 },
    );
    expect(
      [1, 50_000, 350_000, 1_000_000, 1_000_001, 999_999_999_999].map(formatMicroShares),
    ).toEqual(['0.000001', '0.05', '0.35', '1', '1.000001', '999999.999999']);
  });
});
