import type { FolderView } from '../../../../common/contract/folders';
import type { InvitationView } from '../../../../common/folders/folder-view';
import { QUOTA_NOT_ENFORCED_XFS } from '../../../../common/folders/folder-view';

/** A ready folder of the caller's, on volume `xfs`, with a 10 GiB limit XFS does not enforce. */
export function folder(patch: Partial<FolderView> = {}): FolderView {
  return {
    id: `id-${patch.name ?? 'data'}`,
    name: 'data',
    host: 'lab',
    owner: 'alice',
    volume: 'xfs',
    path: '/srv/xfs/labdeck-folders/0123456789abcdef',
    permission: 'owner',
    group: null,
    via: 'own',
    quota: {
      limitBytes: 10 * 1024 ** 3,
      usedBytes: 0,
      enforced: false,
      reason: QUOTA_NOT_ENFORCED_XFS,
    },
    cloneable: false,
    state: 'ready',
    ...patch,
  };
}

/** A pending invitation to the caller. */
export function invitation(patch: Partial<InvitationView> = {}): InvitationView {
  return {
    id: 'inv-1',
    folder: 'data',
    owner: 'alice',
    invitee: 'bob',
    permission: 'ro',
    state: 'pending',
    direction: 'incoming',
    alias: null,
    ...patch,
  };
}
