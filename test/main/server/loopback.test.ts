import { describe, expect, it } from 'vitest';
import { hostHeaderAllowed } from '../../../main/server/loopback';

describe('hostHeaderAllowed', () => {
  it.each(['127.0.0.1:4780', 'localhost:4780', 'LOCALHOST:4780', '[::1]:4780'])(
    'accepts %s for a loopback server on 4780',
    (host) => expect(hostHeaderAllowed(host, '127.0.0.1', 4780)).toBe(true),
  );

  it.each([
    undefined,
    '',
    '127.0.0.1',
    '127.0.0.1:4781',
    '127.0.0.1:04780',
    'evil.example:4780',
    'localhost.evil.example:4780',
    '127.0.0.2:4780',
    '[::1]x:4780',
    '10.0.0.5:4780',
  ])('refuses %s for a loopback server on 4780', (host) =>
    expect(hostHeaderAllowed(host, '127.0.0.1', 4780)).toBe(false),
  );

  it('accepts the address given with --host, and IP literals only when bound to all of them', () => {
    expect(hostHeaderAllowed('10.0.0.5:4780', '10.0.0.5', 4780)).toBe(true);
    expect(hostHeaderAllowed('10.0.0.6:4780', '10.0.0.5', 4780)).toBe(false);
    expect(hostHeaderAllowed('[fd00::5]:4780', '::', 4780)).toBe(true);
    expect(hostHeaderAllowed('10.0.0.6:4780', '0.0.0.0', 4780)).toBe(true);
    expect(hostHeaderAllowed('lab.example:4780', '0.0.0.0', 4780)).toBe(false);
  });
});
