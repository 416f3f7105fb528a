import { describe, expect, it } from 'vitest';
import type { GpuProcess } from '../../../common/gpu/gpu';
import {
  availabilityText,
  freeShareTenths,
  gpuAvailability,
  processOwnerText,
  shareText,
} from '../../../common/gpu/gpu-availability';
import { gibText, gibUsedOfTotal } from '../../../common/gpu/gpu-memory';

const CONTAINER_ID = 'c'.repeat(64);
const ana: GpuProcess = {
  pid: 10,
  usedMemoryMiB: 20_480,
  user: 'ana',
  uid: 1000,
  container: { id: CONTAINER_ID, name: 'ana-train' },
};

describe('gpuAvailability', () => {
  it('calls an idle GPU with no process free, and gives it the whole share', () => {
    const idle = gpuAvailability([], { utilizationPct: 0, memoryUsedMiB: 0 });
    expect(idle).toEqual({ kind: 'free' });
    expect(availabilityText(idle)).toBe('free');
    expect(freeShareTenths(idle, 0, 81_559)).toBe(10);
  });

  it('never calls a GPU at 100 % with no process free', () => {
    const busy = gpuAvailability([], { utilizationPct: 100, memoryUsedMiB: 0 });
    expect(availabilityText(busy)).toBe('busy, no visible process');
    expect(freeShareTenths(busy, 0, 81_559)).toBe(0);
  });

  it('calls memory held by no visible process busy too, but not the driver’s few MiB', () => {
    expect(gpuAvailability([], { utilizationPct: 0, memoryUsedMiB: 30_000 }).kind).toBe(
      'busy-unseen',
    );
    expect(gpuAvailability([], { utilizationPct: 0, memoryUsedMiB: 300 }).kind).toBe('free');
    expect(gpuAvailability([], { utilizationPct: null, memoryUsedMiB: null }).kind).toBe('free');
  });

  it('names the users and containers, and leaves the free memory as the free share', () => {
    const used = gpuAvailability(
      [
        ana,
        { ...ana, pid: 11 },
        { pid: 12, usedMemoryMiB: 1, user: null, uid: 4242, container: null },
      ],
      { utilizationPct: 80, memoryUsedMiB: 40_000 },
    );
    expect(availabilityText(used)).toBe('ana (ana-train), uid 4242 (no name)');
    // (81559 - 40000) / 81559 = 0.509… → 0.5
    expect(shareText(freeShareTenths(used, 40_000, 81_559)!)).toBe('0.5');
    expect(freeShareTenths(used, null, 81_559)).toBeNull();
    expect(shareText(10)).toBe('1.0');
  });

  it('says "unknown user" only when not even the uid is known', () => {
    expect(processOwnerText({ ...ana, user: null, uid: null })).toBe('unknown user');
  });
});

describe('GPU memory in GiB', () => {
  it('uses GiB for every value, small ones too', () => {
    expect(gibText(512, 'n/a')).toBe('0.5 GiB');
    expect(gibText(81_559, 'n/a')).toBe('79.6 GiB');
    expect(gibText(null, 'n/a')).toBe('n/a');
    expect(gibUsedOfTotal(11_125, 81_559, '-')).toBe('10.9 / 79.6 GiB');
    expect(gibUsedOfTotal(null, 81_559, '-')).toBe('- / 79.6 GiB');
  });
});
