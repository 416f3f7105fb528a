import { describe, expect, it } from 'vitest';
import {
  ambiguousFolderName,
  emptyFolderStore,
  findVisible,
  lookupVisible,
  nameTaken,
  type FolderRecord,
  type FolderStore,
  type InvitationRecord,
} from '../../../common/folders/folder-store';

/** The names the helper's checks and the agent's lookups resolve (common/folders/folder-store). */

const ALICE = 1001;
const BOB = 1002;
const MINE = 'a'.repeat(16);
const TEAMS = 'b'.repeat(16);
const SHARED = 'c'.repeat(16);

function folder(id: string, name: string, more: Partial<FolderRecord> = {}): FolderRecord {
  return {
    ...{ id, name, volume: 'xfs', ownerUid: BOB, owner: 'bob', group: null, cloneable: false },
    ...{ quotaBytes: 0, projectId: null, state: 'ready', createdAt: '', trashedAt: null },
    ...more,
  };
}

const accepted: InvitationRecord = {
  ...{ id: 'd'.repeat(16), folderId: SHARED, ownerUid: 1003, owner: 'carol', inviteeUid: BOB },
  ...{ invitee: 'bob', permission: 'ro', state: 'accepted', alias: null },
  ...{ createdAt: '', updatedAt: '' },
};

/** Bob's own "data", alice's group folder "data" in his group, carol's share he accepted. */
function clashing(): FolderStore {
  return {
    ...emptyFolderStore(),
    folders: [
      folder(MINE, 'data'),
      folder(TEAMS, 'data', { ownerUid: ALICE, owner: 'alice', group: 'team' }),
      folder(SHARED, 'runs', { ownerUid: 1003, owner: 'carol' }),
    ],
    invitations: [accepted],
  };
}

const bob = { uid: BOB, groups: new Set(['team']) };

describe('finding a folder by name', () => {
  it('refuses a name two folders share rather than picking the first', () => {
    const store = clashing();
    expect(findVisible(store, bob, 'data')).toBeUndefined();
    const found = lookupVisible(store, bob, 'data');
    expect(found.kind).toBe('ambiguous');
    if (found.kind !== 'ambiguous') return;
    expect(found.matches.map((visible) => visible.folder.id)).toEqual([MINE, TEAMS]);
    expect(ambiguousFolderName('data', found.matches)).toEqual({
      code: 'folder-name-ambiguous',
      message:
        'name: "data" names 2 folders you see on this host (your own, alice\'s (group)), so LabDeck does not pick one.',
      hint: expect.stringMatching(/Rename your own folder.*--as NEWNAME/),
    });
    expect(nameTaken(store, bob, 'data')).toBe(true);
  });

  it('finds a name only one folder has, and says none for an unknown one', () => {
    const store = clashing();
    expect(findVisible(store, bob, 'runs')?.folder.id).toBe(SHARED);
    expect(lookupVisible(store, bob, 'runs').kind).toBe('found');
    expect(findVisible(store, { uid: BOB, groups: new Set() }, 'data')?.folder.id).toBe(MINE);
    expect(lookupVisible(store, bob, 'nothing')).toEqual({ kind: 'none' });
    expect(nameTaken(store, bob, 'nothing')).toBe(false);
  });
});
