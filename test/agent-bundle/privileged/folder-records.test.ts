import { describe, expect, it } from 'vitest';
import {
  emptyFolderStore,
  type FolderRecord,
  type FolderStore,
  type InvitationRecord,
} from '../../../common/folders/folder-store';
import {
  folderById,
  freshId,
  invitationById,
  MAX_CLOSED_INVITATIONS_PER_FOLDER,
  MAX_FOLDERS_PER_USER,
  MAX_PENDING_INVITATIONS_PER_OWNER,
  ownedFolder,
  requireFolderRoom,
  requireInvitationRoom,
  requireNameFree,
  requireNameFreeForOthers,
  requirePending,
  withFolder,
  withInvitation,
  withoutFolder,
  withoutInvitation,
  withNamesKept,
} from '../../../agent-bundle/privileged/folder-records';

const ALICE = 1001;
const BOB = 1002;

function folder(id: string, name: string, more: Partial<FolderRecord> = {}): FolderRecord {
  return {
    id,
    name,
    volume: 'xfs',
    ownerUid: ALICE,
    owner: 'alice',
    group: null,
    cloneable: false,
    quotaBytes: 0,
    projectId: 10_000,
    state: 'ready',
    createdAt: '2026-12-02T12:00:00.000Z',
    trashedAt: null,
    ...more,
  };
}

function invitation(id: string, folderId: string, more: Partial<InvitationRecord> = {}) {
  const record: InvitationRecord = {
    id,
    folderId,
    ownerUid: ALICE,
    owner: 'alice',
    inviteeUid: BOB,
    invitee: 'bob',
    permission: 'ro',
    state: 'pending',
    alias: null,
    createdAt: '2026-12-02T12:00:00.000Z',
    updatedAt: '2026-12-02T12:00:00.000Z',
    ...more,
  };
  return record;
}

const A = 'a'.repeat(16);
const B = 'b'.repeat(16);
const I = '1'.repeat(16);
const J = '2'.repeat(16);

function sample(): FolderStore {
  return {
    ...emptyFolderStore(),
    folders: [folder(A, 'data'), folder(B, 'results', { ownerUid: BOB, owner: 'bob' })],
    invitations: [invitation(I, A), invitation(J, A, { state: 'accepted', inviteeUid: 1003 })],
  };
}

describe('folder store edits', () => {
  it('put a changed folder in its place, keep the others, and add a new one at the end', () => {
    const store = sample();
    const renamed = withFolder(store, { ...folder(A, 'data-2') });
    expect(renamed.folders.map((known) => known.name)).toEqual(['data-2', 'results']);
    expect(store.folders[0]?.name).toBe('data');
    const added = withFolder(store, folder('c'.repeat(16), 'new'));
    expect(added.folders.map((known) => known.name)).toEqual(['data', 'results', 'new']);
  });

  it('drop a folder with its invitations, counting them, and leave other folders as they were', () => {
    const { store, invitations } = withoutFolder(sample(), A);
    expect(invitations).toBe(2);
    expect(store.folders.map((known) => known.id)).toEqual([B]);
    expect(store.invitations).toEqual([]);
    expect(withoutFolder(sample(), B).invitations).toBe(0);
  });

  it('replace, add and remove invitations by id', () => {
    const store = sample();
    const accepted = withInvitation(store, invitation(I, A, { state: 'accepted' }));
    expect(accepted.invitations.map((known) => known.state)).toEqual(['accepted', 'accepted']);
    expect(withInvitation(store, invitation('3'.repeat(16), B)).invitations).toHaveLength(3);
    expect(withoutInvitation(store, I).invitations.map((known) => known.id)).toEqual([J]);
  });

  it('refuse unknown ids, and changes by anyone but the owner (root may)', () => {
    const store = sample();
    expect(() => folderById(store, 'f'.repeat(16))).toThrow(/no folder has id f{16}/);
    expect(() => invitationById(store, 'f'.repeat(16))).toThrow(/no invitation has id/);
    expect(() => ownedFolder(store, A, BOB, 'trash it')).toThrow(
      'Only the owner of folder "data" (alice) may trash it; you (uid 1002) are not.',
    );
    expect(ownedFolder(store, A, ALICE, 'trash it').id).toBe(A);
    expect(ownedFolder(store, A, 0, 'trash it').id).toBe(A);
  });

  it('refuse an answered invitation, naming its state', () => {
    expect(() => requirePending(invitation(I, A), 'accepted')).not.toThrow();
    expect(() => requirePending(invitation(I, A, { state: 'canceled' }), 'accepted')).toThrow(
      `Invitation ${I} is canceled, so it cannot be accepted any more.`,
    );
  });

  it('check a name against what the user sees — own, group and accepted folders — but not the one renamed', () => {
    const store = sample();
    const alice = { uid: ALICE, groups: new Set<string>() };
    expect(() => requireNameFree(store, alice, 'data', 'Pick another name.')).toThrow(
      'name: "data" already names a folder you see on this host (your own).',
    );
    expect(() => requireNameFree(store, alice, 'data', 'x', A)).not.toThrow();
    expect(() => requireNameFree(store, alice, 'results', 'x')).not.toThrow();
    const carol = { uid: 1003, groups: new Set<string>() };
    expect(() => requireNameFree(store, carol, 'data', 'x')).toThrow(/\(alice's\)/);
    const grouped = withFolder(store, folder(B, 'results', { ownerUid: BOB, group: 'team' }));
    expect(() =>
      requireNameFree(grouped, { uid: ALICE, groups: new Set(['team']) }, 'results', 'x'),
    ).toThrow(/already names a folder/);
  });

  it('draw a fresh id until it is one no folder or invitation has', () => {
    const draws = [A, I, 'c'.repeat(16)];
    expect(freshId(sample(), () => draws.shift() ?? '')).toBe('c'.repeat(16));
  });

  it('keep the newest 20 rejected or canceled invitations of a folder, dropping the oldest, and every open one', () => {
    let store = sample();
    const hex = (n: number): string => n.toString(16).padStart(16, '0');
    for (let n = 0; n < 30; n += 1) {
      const at = `2026-12-02T12:${String(n).padStart(2, '0')}:00.000Z`;
      const state = n % 2 === 0 ? 'canceled' : 'rejected';
      store = withInvitation(store, invitation(hex(100 + n), A, { state, updatedAt: at }));
    }
    store = withInvitation(store, invitation(hex(999), B, { state: 'canceled' }));
    const closedOfA = store.invitations.filter(
      (known) => known.folderId === A && known.state !== 'pending' && known.state !== 'accepted',
    );
    expect(closedOfA).toHaveLength(MAX_CLOSED_INVITATIONS_PER_FOLDER);
    expect(closedOfA.map((known) => known.id)).toEqual(
      Array.from({ length: 20 }, (_, n) => hex(110 + n)),
    );
    expect(store.invitations.map((known) => known.id)).toEqual(
      expect.arrayContaining([I, J, hex(999)]),
    );
  });

  it('refuse a 501st pending invitation of one owner and a 1001st folder of one user, saying what to do', () => {
    const hex = (n: number): string => n.toString(16).padStart(16, '0');
    const pending = Array.from({ length: MAX_PENDING_INVITATIONS_PER_OWNER }, (_, n) =>
      invitation(hex(n + 1), A),
    );
    const full = { ...emptyFolderStore(), folders: [folder(A, 'data')], invitations: pending };
    expect(() => requireInvitationRoom(full, ALICE)).toThrow(/500 pending invitations/);
    expect(() => requireInvitationRoom(full, BOB)).not.toThrow();
    const fewer = { ...full, invitations: pending.slice(1) };
    expect(() => requireInvitationRoom(fewer, ALICE)).not.toThrow();
    const folders = Array.from({ length: MAX_FOLDERS_PER_USER }, (_, n) =>
      folder(hex(n + 1), `f${n}`),
    );
    const many = { ...emptyFolderStore(), folders };
    expect(() => requireFolderRoom(many, ALICE)).toThrow(
      expect.objectContaining({ code: 'folders-limit', hint: expect.stringMatching(/purge/) }),
    );
    expect(() => requireFolderRoom(many, BOB)).not.toThrow();
  });

  it("check a name against others' views: a group's member or a grantee who would see two folders of one name", () => {
    const store = sample();
    const bob = { name: 'bob', viewer: { uid: BOB, groups: new Set(['team']) } };
    expect(() => requireNameFreeForOthers(store, [bob], 'results')).toThrow(
      'name: "results" already names a folder bob sees on this host, and they would see this one too.',
    );
    expect(() => requireNameFreeForOthers(store, [bob], 'results', B)).not.toThrow();
    expect(() => requireNameFreeForOthers(store, [bob], 'fresh')).not.toThrow();
  });

  it("keep a renamed folder's old name for the grantees who knew it by it, and drop an alias that is the new name", () => {
    const K = '3'.repeat(16);
    const L = '4'.repeat(16);
    const store: FolderStore = {
      ...sample(),
      invitations: [
        invitation(I, A), // pending: it will be accepted under whatever name it has then
        invitation(J, A, { state: 'accepted', inviteeUid: 1003 }),
        invitation(K, A, { state: 'accepted', inviteeUid: 1004, alias: 'data2' }),
        invitation(L, A, { state: 'accepted', inviteeUid: 1005, alias: 'theirs' }),
      ],
    };
    const renamed = withNamesKept(store, A, 'data', 'data2');
    expect(renamed.invitations.map((known) => [known.id, known.alias])).toEqual([
      [I, null],
      [J, 'data'],
      [K, null],
      [L, 'theirs'],
    ]);
    expect(renamed.folders).toBe(store.folders);
    expect(withNamesKept(store, A, 'data', 'data')).toBe(store);
    expect(withNamesKept(store, B, 'results', 'r2').invitations).toEqual(store.invitations);
  });
});
