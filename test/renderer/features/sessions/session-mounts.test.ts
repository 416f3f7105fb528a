import { describe, expect, it } from 'vitest';
import {
  checkSessionForm,
  emptySessionForm,
} from '../../../../renderer/src/features/sessions/session-form';
import {
  mountableFolders,
  toggleMount,
} from '../../../../renderer/src/features/sessions/session-mounts';
import { folder } from '../folders/folder-fixtures';

describe('the session form’s folders', () => {
  it('offers ready folders by name, without dot-folders (mounted by themselves)', () => {
    const offered = mountableFolders([
      folder({ name: 'zeta' }),
      folder({ name: '.local' }),
      folder({ name: 'old', state: 'trashed' }),
      folder({ name: 'alpha', permission: 'ro', via: 'invitation' }),
    ]);
    expect(offered.map((f) => f.name)).toEqual(['alpha', 'zeta']);
  });

  it('chooses and drops folders, forcing read-only for a read-only grant', () => {
    const data = folder();
    const theirs = folder({ name: 'theirs', permission: 'ro' });
    let mounts = toggleMount([], data, true, false);
    mounts = toggleMount(mounts, theirs, true, false);
    expect(mounts).toEqual([
      { name: 'data', readOnly: false },
      { name: 'theirs', readOnly: true },
    ]);
    mounts = toggleMount(mounts, data, true, true);
    expect(mounts[0]).toEqual({ name: 'data', readOnly: true });
    expect(toggleMount(mounts, data, false, false)).toEqual([{ name: 'theirs', readOnly: true }]);
  });

  it('sends the chosen folders as sessions:start’s mounts, and none when none is chosen', () => {
    const base = { ...emptySessionForm('lab'), image: 'busybox:1' };
    const without = checkSessionForm(base);
    expect(without.ok && 'mounts' in without.input).toBe(false);
    const chosen = checkSessionForm({ ...base, mounts: [{ name: 'data', readOnly: true }] });
    expect(chosen.ok && chosen.input.mounts).toEqual([{ name: 'data', readOnly: true }]);
  });
});
