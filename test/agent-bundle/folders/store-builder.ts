import type {
  FolderRecord,
  FolderStore,
  InvitationRecord,
} from '../../../common/folders/folder-store';
import type { Volume } from '../../../common/host-setup/lab-config';

/** Test users' uids. */
export const ALICE = 1001;
export const BOB = 1002;
export const CAROL = 1003;

/** Two volumes: an XFS one without project quota, and a plain one. */
export const VOLUMES: Volume[] = [
  { name: 'scratch', path: '/srv/scratch', kind: 'xfs' },
  { name: 'home', path: '/srv/home', kind: 'plain' },
];

const AT = '2026-12-02T00:00:00.000Z';

/** A folder record, owned by `ownerUid`, ready, on `scratch`, unless `changes` say otherwise. */
export function folder(
  id: string,
  name: string,
  ownerUid: number,
  changes: Partial<FolderRecord> = {},
): FolderRecord {
  return {
    id: id.padEnd(16, '0'),
    name,
    volume: 'scratch',
    ownerUid,
    owner: `u${ownerUid}`,
    group: null,
    cloneable: false,
    quotaBytes: 0,
    projectId: 10_000,
    state: 'ready',
    createdAt: AT,
    trashedAt: null,
    ...changes,
  };
}

/** An invitation from the folder's owner `ownerUid` to `inviteeUid`. */
export function invitation(
  id: string,
  folderId: string,
  ownerUid: number,
  inviteeUid: number,
  changes: Partial<InvitationRecord> = {},
): InvitationRecord {
  return {
    id: id.padEnd(16, '0'),
    folderId: folderId.padEnd(16, '0'),
    ownerUid,
    owner: `u${ownerUid}`,
    inviteeUid,
    invitee: `u${inviteeUid}`,
    permission: 'ro',
    state: 'pending',
    alias: null,
    createdAt: AT,
    updatedAt: AT,
    ...changes,
  };
}

/** A store of these folders and invitations. */
export function store(folders: FolderRecord[], invitations: InvitationRecord[] = []): FolderStore {
  return { version: 1, folders, invitations };
}
