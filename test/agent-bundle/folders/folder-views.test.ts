import { describe, expect, it } from 'vitest';
import { visibleFolders } from '../../../common/folders/folder-store';
import {
  QUOTA_NOT_ENFORCED_PLAIN,
  QUOTA_NOT_ENFORCED_XFS,
} from '../../../common/folders/folder-view';
import {
  folderPath,
  folderQuota,
  folderView,
  invitationViews,
  type VolumeReport,
} from '../../../agent-bundle/folders/folder-views';
import { ALICE, BOB, CAROL, folder, invitation, store, VOLUMES } from './store-builder';

const GiB = 1024 ** 3;
const enforcedReport: VolumeReport = {
  enforced: true,
  reason: null,
  used: new Map([[10_000, 5 * GiB]]),
};

describe('folderQuota', () => {
  it('says why a limit on an XFS volume without project quota is not enforced, with walked usage', () => {
    const data = folder('a1', 'data', ALICE, { quotaBytes: 10 * GiB });
    expect(folderQuota(data, VOLUMES, undefined, 123)).toEqual({
      limitBytes: 10 * GiB,
      usedBytes: 123,
      enforced: false,
      reason: QUOTA_NOT_ENFORCED_XFS,
    });
  });

  it('says a plain volume has no project quota, and usage is null until walked', () => {
    const data = folder('a1', 'data', ALICE, { quotaBytes: GiB, volume: 'home', projectId: null });
    expect(folderQuota(data, VOLUMES, undefined, null)).toEqual({
      limitBytes: GiB,
      usedBytes: null,
      enforced: false,
      reason: QUOTA_NOT_ENFORCED_PLAIN,
    });
  });

  it('takes usage from an enforced report, not the walk, and a project it omits as empty', () => {
    const data = folder('a1', 'data', ALICE, { quotaBytes: 10 * GiB });
    expect(folderQuota(data, VOLUMES, enforcedReport, 7)).toEqual({
      limitBytes: 10 * GiB,
      usedBytes: 5 * GiB,
      enforced: true,
      reason: null,
    });
    const other = folder('a2', 'other', ALICE, { quotaBytes: GiB, projectId: 10_001 });
    expect(folderQuota(other, VOLUMES, enforcedReport, 7).usedBytes).toBe(0);
  });

  it('passes on the report’s own reason when the volume reports none', () => {
    const data = folder('a1', 'data', ALICE, { quotaBytes: GiB });
    const report: VolumeReport = {
      enforced: false,
      reason: 'not enforced: mount lost prjquota',
      used: new Map(),
    };
    expect(folderQuota(data, VOLUMES, report, 1)).toMatchObject({
      enforced: false,
      reason: 'not enforced: mount lost prjquota',
      usedBytes: 1,
    });
  });

  it('has neither enforcement nor a reason without a limit', () => {
    const data = folder('a1', 'data', ALICE);
    expect(folderQuota(data, VOLUMES, enforcedReport, null)).toEqual({
      limitBytes: 0,
      usedBytes: 5 * GiB,
      enforced: false,
      reason: null,
    });
  });
});

describe('folderView', () => {
  it('names a shared folder by its alias, with the grant’s permission and the directory by id', () => {
    const data = folder('a1', 'data', ALICE, { cloneable: true });
    const accepted = invitation('i1', 'a1', ALICE, BOB, {
      state: 'accepted',
      alias: 'alice-data',
      permission: 'rw',
    });
    const [seen] = visibleFolders(store([data], [accepted]), { uid: BOB, groups: new Set() });
    const quota = { limitBytes: 0, usedBytes: null, enforced: false, reason: null };
    expect(folderView(seen!, VOLUMES, quota)).toEqual({
      id: data.id,
      name: 'alice-data',
      owner: 'u1001',
      volume: 'scratch',
      path: `/srv/scratch/labdeck-folders/${data.id}`,
      permission: 'rw',
      group: null,
      via: 'invitation',
      quota,
      cloneable: true,
      state: 'ready',
    });
  });

  it('gives no path for a folder whose volume is no longer configured', () => {
    expect(folderPath(folder('a1', 'data', ALICE, { volume: 'gone' }), VOLUMES)).toBe('');
  });
});

describe('invitationViews', () => {
  const data = folder('a1', 'data', ALICE);
  const bobs = folder('b1', 'bobs', BOB);
  const all = store(
    [data, bobs],
    [
      invitation('i1', 'a1', ALICE, BOB),
      invitation('i2', 'a1', ALICE, CAROL, { state: 'accepted', alias: 'shared' }),
      invitation('i3', 'a1', ALICE, BOB, { state: 'rejected' }),
      invitation('i4', 'b1', BOB, ALICE, { state: 'canceled' }),
      invitation('i5', 'b1', BOB, CAROL),
      invitation('i6', 'ffff', ALICE, BOB),
    ],
  );

  it('lists every state to and from the user, rejected and canceled too, each with its direction', () => {
    const views = invitationViews(all, { uid: ALICE, groups: new Set() });
    expect(
      views.map((view) => [view.id.slice(0, 2), view.direction, view.folder, view.state]),
    ).toEqual([
      ['i1', 'outgoing', 'data', 'pending'],
      ['i2', 'outgoing', 'data', 'accepted'],
      ['i3', 'outgoing', 'data', 'rejected'],
      ['i4', 'incoming', 'bobs', 'canceled'],
    ]);
    expect(views[1]?.alias).toBe('shared');
  });

  it('shows the invitee their invitations as incoming, the folder named as its owner calls it', () => {
    const views = invitationViews(all, { uid: BOB, groups: new Set() });
    expect(
      views.map((view) => [view.id.slice(0, 2), view.direction, view.folder, view.state]),
    ).toEqual([
      ['i1', 'incoming', 'data', 'pending'],
      ['i3', 'incoming', 'data', 'rejected'],
      ['i4', 'outgoing', 'bobs', 'canceled'],
      ['i5', 'outgoing', 'bobs', 'pending'],
    ]);
    expect(views[0]).toMatchObject({ owner: 'u1001', invitee: 'u1002', permission: 'ro' });
  });
});
