import { describe, expect, it } from 'vitest';
import { loggedArguments } from '../../../agent-bundle/privileged/privileged-log';

describe('logged arguments', () => {
  it('keep names, paths and numbers as they are', () => {
    const params = { volume: 'scratch', folder: 'alice/data', uid: 1001, access: 'ro' };
    expect(loggedArguments(params)).toEqual(params);
  });

  it('log contents by their size only', () => {
    expect(
      loggedArguments({ level: 'lab', path: '.bashrc', content: 'export TOKEN=secret\n' }),
    ).toEqual({
      level: 'lab',
      path: '.bashrc',
      content: '(20 bytes)',
    });
    expect(loggedArguments({ name: 'x', value: { a: [1, 2] } })).toEqual({
      name: 'x',
      value: '(11 bytes)',
    });
    expect(loggedArguments({ content: null })).toEqual({ content: null });
  });

  it('cut long strings and deep structures of malformed calls', () => {
    expect(loggedArguments({ folder: 'x'.repeat(300) })).toEqual({ folder: '(300 bytes)' });
    expect(loggedArguments({ a: { b: { c: { d: { e: 1 } } } } })).toEqual({
      a: { b: { c: { d: '(7 bytes)' } } },
    });
    expect(loggedArguments('plain')).toBe('plain');
  });
});
