import { describe, expect, it } from 'vitest';
import type { GpuSample } from '../../../../common/gpu/gpu-sample';
import {
  GPU_HISTORY_MS,
  TelemetryRing,
} from '../../../../renderer/src/features/gpus/telemetry-ring';

const T0 = 1_700_000_000_000;

function sample(utilizationPct: number | null, memoryUsedMiB: number | null = 1000): GpuSample {
  return {
    index: 0,
    uuid: 'GPU-1',
    memoryUsedMiB,
    utilizationPct,
    temperatureC: 40,
    powerW: 100,
  };
}

describe('TelemetryRing', () => {
  it('keeps exactly the last 300 s of 1 Hz ticks, oldest first', () => {
    const ring = new TelemetryRing();
    for (let s = 0; s < 400; s++) ring.push(T0 + s * 1000, sample(s % 100));
    const points = ring.points('utilizationPct');
    expect(GPU_HISTORY_MS).toBe(300_000);
    expect(points).toHaveLength(300);
    expect(points[0]).toEqual({ at: T0 + 100_000, value: 0 });
    expect(points.at(-1)).toEqual({ at: T0 + 399_000, value: 99 });
    expect(points.every((p, i) => i === 0 || p.at > points[i - 1]!.at)).toBe(true);
    expect(ring.latestAt).toBe(T0 + 399_000);
  });

  it('drops old points by time, not count, after a pause in the ticks', () => {
    const ring = new TelemetryRing();
    ring.push(T0, sample(10));
    ring.push(T0 + 1000, sample(20));
    ring.push(T0 + 250_000, sample(30));
    expect(ring.size).toBe(3);
    // Exactly 300 s after the second point: that one falls out too.
    ring.push(T0 + 301_000, sample(40));
    expect(ring.points('utilizationPct').map((p) => p.value)).toEqual([30, 40]);
  });

  it('refuses a tick that is not newer than the last one', () => {
    const ring = new TelemetryRing();
    expect(ring.push(T0 + 2000, sample(1))).toBe(true);
    expect(ring.push(T0 + 2000, sample(2))).toBe(false);
    expect(ring.push(T0 + 1000, sample(3))).toBe(false);
    expect(ring.points('utilizationPct')).toEqual([{ at: T0 + 2000, value: 1 }]);
  });

  it('keeps unknown values as gaps (null), per measure', () => {
    const ring = new TelemetryRing();
    ring.push(T0, sample(50, 2048));
    ring.push(T0 + 1000, sample(null, 4096));
    ring.push(T0 + 2000, sample(70, null));
    expect(ring.points('utilizationPct').map((p) => p.value)).toEqual([50, null, 70]);
    expect(ring.points('memoryUsedMiB').map((p) => p.value)).toEqual([2048, 4096, null]);
    expect(ring.latest('memoryUsedMiB')).toBeNull();
    expect(ring.latest('utilizationPct')).toBe(70);
    expect(ring.latestSample?.temperatureC).toBe(40);
  });

  it('stays within its capacity when ticks come faster than 1 Hz', () => {
    const ring = new TelemetryRing(8);
    for (let i = 0; i < 20; i++) ring.push(T0 + i * 100, sample(i));
    expect(ring.points('utilizationPct').map((p) => p.value)).toEqual([
      12, 13, 14, 15, 16, 17, 18, 19,
    ]);
  });

  it('is empty before the first tick', () => {
    const ring = new TelemetryRing();
    expect(ring.size).toBe(0);
    expect(ring.latestAt).toBeNull();
    expect(ring.latest('utilizationPct')).toBeNull();
    expect(ring.points('memoryUsedMiB')).toEqual([]);
  });
});
