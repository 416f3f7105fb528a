import { describe, expect, it } from 'vitest';
import {
  emptyFolderStore,
  findVisible,
  folderStoreSchema,
  nameTaken,
  permits,
  visibleFolders,
  type FolderRecord,
  type FolderStore,
  type InvitationRecord,
} from '../../../common/folders/folder-store';

const ALICE = 1001;
const BOB = 1002;
const CAROL = 1003;

function folder(
  id: string,
  name: string,
  ownerUid: number,
  group: string | null = null,
): FolderRecord {
  return {
    id: id.padEnd(16, '0'),
    name,
    volume: 'scratch',
    ownerUid,
    owner: `u${ownerUid}`,
    group,
    cloneable: false,
    quotaBytes: 0,
    projectId: 10_000,
    state: 'ready',
    createdAt: '2026-12-02T00:00:00.000Z',
    trashedAt: null,
  };
}

function invitation(
  id: string,
  folderId: string,
  inviteeUid: number,
  state: InvitationRecord['state'],
  alias: string | null = null,
): InvitationRecord {
  return {
    id: id.padEnd(16, '0'),
    folderId: folderId.padEnd(16, '0'),
    ownerUid: ALICE,
    owner: 'alice',
    inviteeUid,
    invitee: `u${inviteeUid}`,
    permission: 'ro',
    state,
    alias,
    createdAt: '2026-12-02T00:00:00.000Z',
    updatedAt: '2026-12-02T00:00:00.000Z',
  };
}

const store: FolderStore = {
  version: 1,
  folders: [
    folder('a1', 'data', ALICE),
    folder('b1', 'data', BOB),
    folder('c1', 'team', CAROL, 'vision'),
  ],
  invitations: [
    invitation('i1', 'a1', BOB, 'accepted', 'alice-data'),
    invitation('i2', 'a1', CAROL, 'pending'),
  ],
};

describe('visibleFolders', () => {
  it("shows a user their own, their group's and what they accepted, under the name they chose", () => {
    const bob = visibleFolders(store, { uid: BOB, groups: new Set(['vision']) });
    expect(bob.map((v) => [v.name, v.permission, v.via])).toEqual([
      ['data', 'owner', 'own'],
      ['team', 'rw', 'group'],
      ['alice-data', 'ro', 'invitation'],
    ]);
  });

  it('shows nothing of a pending invitation until it is accepted', () => {
    const carol = visibleFolders(store, { uid: CAROL, groups: new Set() });
    expect(carol.map((v) => v.name)).toEqual(['team']);
  });

  it('finds by the viewer’s own name and checks clashes against it', () => {
    const viewer = { uid: BOB, groups: new Set<string>() };
    expect(findVisible(store, viewer, 'alice-data')?.folder.ownerUid).toBe(ALICE);
    expect(nameTaken(store, viewer, 'data')).toBe(true);
    expect(nameTaken(store, viewer, 'team')).toBe(false);
  });
});

describe('permits', () => {
  it('orders ro ⊂ rw ⊂ wd ⊂ owner', () => {
    expect(permits('wd', 'rw')).toBe(true);
    expect(permits('ro', 'rw')).toBe(false);
    expect(permits('owner', 'wd')).toBe(true);
    expect(permits('rw', 'wd')).toBe(false);
  });
});

describe('folderStoreSchema', () => {
  it('parses an empty store and refuses a record with a bad name', () => {
    expect(folderStoreSchema.parse(emptyFolderStore())).toEqual(emptyFolderStore());
    const bad = {
      ...emptyFolderStore(),
      folders: [{ ...folder('a1', 'data', ALICE), name: 'a/b' }],
    };
    expect(folderStoreSchema.safeParse(bad).success).toBe(false);
  });
});
