import { describe, expect, it } from 'vitest';
import { callerUidFrom } from '../../../agent-bundle/privileged/caller';

describe('the caller', () => {
  it('is the user sudo ran the helper for', () => {
    expect(callerUidFrom({ SUDO_UID: '1001' }, 0)).toBe(1001);
    expect(callerUidFrom({ SUDO_UID: '0' }, 0)).toBe(0);
  });

  it('is root when root runs the helper without sudo', () => {
    expect(callerUidFrom({}, 0)).toBe(0);
  });

  it('is refused when it cannot be told', () => {
    expect(() => callerUidFrom({}, 1001)).toThrow(/runs only through sudo .* real uid is 1001/);
    for (const bad of ['', '-1', '1001 ', '0x10', '1e3', '99999999999'])
      expect(() => callerUidFrom({ SUDO_UID: bad }, 0), bad).toThrow(/not a decimal uid/);
  });
});
