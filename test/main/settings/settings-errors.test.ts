import { describe, expect, it } from 'vitest';
import { settingsAccessFailure } from '../../../main/settings/settings-errors';

describe('settingsAccessFailure', () => {
  it('quotes the folder in the chown hint so that a path with a quote still works when pasted', () => {
    const error = Object.assign(new Error('denied'), { code: 'EACCES' });
    const failure = settingsAccessFailure('save', "/home/o'brien/.labdeck/settings.json", error);
    expect(failure.hint).toContain(`chown -R "$USER" '/home/o'"'"'brien/.labdeck'`);
  });
});
