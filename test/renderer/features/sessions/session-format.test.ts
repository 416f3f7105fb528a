import { describe, expect, it } from 'vitest';
import { ENFORCEMENT_TIERS } from '../../../../common/contract/sessions';
import {
  durationSince,
  gpuSharesText,
  tierText,
} from '../../../../renderer/src/features/sessions/session-format';

describe('gpuSharesText', () => {
  it('names each share by its GPU index, in index order', () => {
    expect(gpuSharesText({ 'GPU-b': '0.75', 'GPU-a': '0.75' }, { 'GPU-a': 0, 'GPU-b': 1 })).toBe(
      'GPU 0 0.75 · GPU 1 0.75',
    );
  });

  it('shows a GPU whose index is not known yet by its UUID, after the known ones', () => {
    expect(gpuSharesText({ 'GPU-0123456789abcdef': '1', 'GPU-a': '0.5' }, { 'GPU-a': 3 })).toBe(
      'GPU 3 0.5 · GPU-01234567 1',
    );
  });

  it('is empty for a session without GPUs', () => {
    expect(gpuSharesText({}, {})).toBe('');
  });
});

describe('tierText', () => {
  it('warns for "none" only, and words every tier', () => {
    const words = ENFORCEMENT_TIERS.map((tier) => [tier, tierText(tier)] as const);
    expect(words.filter(([, text]) => text.warn).map(([tier]) => tier)).toEqual(['none']);
    expect(tierText('none').label).toBe('shared, not enforced');
    expect(tierText('mps').label).toBe('CUDA MPS limits');
    expect(tierText('hami').label).toBe('HAMi-core limits');
  });
});

describe('durationSince', () => {
  const at = Date.parse('2026-01-01T00:00:00Z');
  const since = (ms: number): string => durationSince('2026-01-01T00:00:00Z', at + ms);

  it('counts seconds, minutes, hours and days', () => {
    expect(since(45_000)).toBe('45 s');
    expect(since(12 * 60_000 + 5_000)).toBe('12 min');
    expect(since(3 * 3_600_000)).toBe('3 h');
    expect(since(3 * 3_600_000 + 5 * 60_000)).toBe('3 h 5 min');
    expect(since(2 * 86_400_000 + 4 * 3_600_000)).toBe('2 d 4 h');
  });

  it('never goes below zero when the host clock is ahead', () => {
    expect(since(-5_000)).toBe('0 s');
  });
});
