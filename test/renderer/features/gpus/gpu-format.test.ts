import { describe, expect, it } from 'vitest';
import {
  formatMiB,
  isDriverError,
  memoryFraction,
  memoryText,
  migModeText,
  powerText,
  processLines,
} from '../../../../renderer/src/features/gpus/gpu-format';

const CONTAINER_ID = 'a'.repeat(64);

describe('GPU value formatting', () => {
  it('shows memory in GiB only, n/a when unknown', () => {
    expect(formatMiB(512)).toBe('0.5 GiB');
    expect(formatMiB(81_559)).toBe('79.6 GiB');
    expect(memoryText(null, 81_559)).toBe('n/a of 79.6 GiB');
    expect(memoryFraction(40_000, 80_000)).toBe(0.5);
    expect(memoryFraction(1, null)).toBeNull();
    expect(powerText(433.78)).toBe('433.8 W');
    expect(migModeText(null)).toBe('Not supported');
  });

  it('says who uses a GPU: user and container, never a bare PID', () => {
    const lines = processLines([
      {
        pid: 10,
        usedMemoryMiB: 2048,
        user: 'ana',
        container: { id: CONTAINER_ID, name: 'ana-train' },
      },
      { pid: 11, usedMemoryMiB: null, user: 'bob', container: { id: CONTAINER_ID, name: null } },
      { pid: 12, usedMemoryMiB: 10, user: null, uid: 4242, container: null },
    ]);
    expect(lines).toEqual([
      { key: '10', user: 'ana', container: 'ana-train', memory: '2.0 GiB' },
      { key: '11', user: 'bob', container: 'aaaaaaaaaaaa', memory: null },
      {
        key: '12',
        user: 'uid 4242 (no name)',
        container: 'no container (PID 12)',
        memory: '0.0 GiB',
      },
    ]);
    expect(processLines([])).toEqual([]);
  });
});

describe('isDriverError', () => {
  it('calls a missing nvidia-smi a note, and every other driver failure an error', () => {
    const failure = { message: 'm', hint: 'h' };
    expect(isDriverError({ ...failure, code: 'gpu-nvidia-smi-not-found' })).toBe(false);
    expect(isDriverError({ ...failure, code: 'gpu-driver-not-loaded' })).toBe(true);
    expect(isDriverError({ ...failure, code: 'gpu-nvml-version-mismatch' })).toBe(true);
  });
});
