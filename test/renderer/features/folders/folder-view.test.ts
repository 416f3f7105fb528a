import { describe, expect, it } from 'vitest';
import {
  QUOTA_NOT_ENFORCED_XFS,
  type InvitationView,
} from '../../../../common/folders/folder-view';
import {
  cloneBlocked,
  cloneProgressView,
  folderSections,
  formatBytes,
  hintFixView,
  incomingPending,
  outgoingPending,
  pendingCount,
  permissionLabel,
  shareBlocked,
  sharedWith,
  usageView,
} from '../../../../renderer/src/features/folders/folder-view';
import { folder, invitation } from './folder-fixtures';

const GiB = 1024 ** 3;

describe('folderSections', () => {
  it('puts own, shared and group folders and the trash in their sections, by name, leaving out empty ones', () => {
    const sections = folderSections([
      folder({ name: 'zeta' }),
      folder({ name: 'alpha' }),
      folder({ name: 'old', state: 'trashed' }),
      folder({ name: 'theirs', via: 'invitation', permission: 'ro', owner: 'bob' }),
    ]);
    expect(sections.map((s) => [s.title, s.folders.map((f) => f.name)])).toEqual([
      ['My folders', ['alpha', 'zeta']],
      ['Shared with me', ['theirs']],
      ['Trash', ['old']],
    ]);
  });

  it('keeps one section when asked', () => {
    const folders = [folder(), folder({ name: 'g', via: 'group', group: 'vision' })];
    expect(folderSections(folders, 'group').map((s) => s.id)).toEqual(['group']);
  });
});

describe('usageView', () => {
  it('says a limit the filesystem does not hold is not enforced, in the host’s words', () => {
    const view = usageView({
      limitBytes: 10 * GiB,
      usedBytes: GiB,
      enforced: false,
      reason: QUOTA_NOT_ENFORCED_XFS,
    });
    expect(view).toEqual({
      text: '1 GiB of 10 GiB',
      fraction: 0.1,
      notEnforced: QUOTA_NOT_ENFORCED_XFS,
      full: false,
    });
  });

  it('says nothing of enforcement where the limit is held, and marks a full folder', () => {
    const view = usageView({ limitBytes: GiB, usedBytes: 2 * GiB, enforced: true, reason: null });
    expect(view).toMatchObject({ fraction: 1, notEnforced: null, full: true });
  });

  it('has no bar without a limit, and says so while usage is being measured', () => {
    expect(usageView({ limitBytes: 0, usedBytes: 1536, enforced: false, reason: null })).toEqual({
      text: '1.5 KiB used, no limit',
      fraction: null,
      notEnforced: null,
      full: false,
    });
    expect(
      usageView({ limitBytes: GiB, usedBytes: null, enforced: true, reason: null }),
    ).toMatchObject({
      text: 'measuring… of 1 GiB',
      fraction: null,
    });
  });
});

describe('formatBytes', () => {
  it('counts in powers of 1024, as a quota of 10g means', () => {
    expect([0, 1023, 1024, 1536, 10 * GiB, 150 * 1024 ** 2].map(formatBytes)).toEqual([
      '0 B',
      '1023 B',
      '1 KiB',
      '1.5 KiB',
      '10 GiB',
      '150 MiB',
    ]);
  });
});

describe('who may share and clone', () => {
  it('keeps dot-folders private and sharing to the owner', () => {
    expect(shareBlocked(folder({ name: '.local' }))).toContain('Dot-folders are private');
    expect(shareBlocked(folder({ permission: 'rw', owner: 'bob', via: 'invitation' }))).toBe(
      'Only bob, its owner, can share it.',
    );
    expect(shareBlocked(folder())).toBeNull();
  });

  it('clones one’s own folders and others’ cloneable ones, ready only', () => {
    expect(cloneBlocked(folder())).toBeNull();
    expect(cloneBlocked(folder({ permission: 'ro', owner: 'bob' }))).toBe(
      'bob has not marked it cloneable.',
    );
    expect(cloneBlocked(folder({ permission: 'ro', owner: 'bob', cloneable: true }))).toBeNull();
    expect(cloneBlocked(folder({ state: 'cloning' }))).not.toBeNull();
  });

  it('words every permission', () => {
    expect((['owner', 'ro', 'rw', 'wd'] as const).map(permissionLabel)).toEqual([
      'owner',
      'read-only',
      'read-write',
      'read-write-delete',
    ]);
  });
});

describe('invitations', () => {
  const list = [
    invitation(),
    invitation({ id: 'i2', state: 'accepted' }),
    invitation({ id: 'i3', direction: 'outgoing', invitee: 'carol', owner: 'bob' }),
  ];

  it('tells pending invitations to the user from those they sent', () => {
    expect(incomingPending(list).map((i) => i.id)).toEqual(['inv-1']);
    expect(outgoingPending(list).map((i) => i.id)).toEqual(['i3']);
  });

  it("lists who a folder is shared with: those with access first, then those who have not answered, each by name; never ended ones, another folder's or incoming ones", () => {
    const out = (patch: Partial<InvitationView>) =>
      invitation({ direction: 'outgoing', owner: 'alice', ...patch });
    const sent = [
      out({ id: 'p-dave', invitee: 'dave' }),
      out({ id: 'a-erin', invitee: 'erin', state: 'accepted' }),
      out({ id: 'p-bob', invitee: 'bob' }),
      out({ id: 'a-carol', invitee: 'carol', state: 'accepted' }),
      out({ id: 'rejected', invitee: 'fay', state: 'rejected' }),
      out({ id: 'canceled', invitee: 'gus', state: 'canceled' }),
      out({ id: 'other', invitee: 'hal', folder: 'other' }),
      invitation({ id: 'incoming', folder: 'data', state: 'accepted' }),
    ];
    expect(sharedWith(sent, 'data').map((i) => i.id)).toEqual([
      'a-carol',
      'a-erin',
      'p-bob',
      'p-dave',
    ]);
    expect(sharedWith(sent, 'nothing')).toEqual([]);
  });

  it('counts pending invitations to the user over every listed host', () => {
    const listing = { folders: [], volumes: [], invitations: list };
    expect(pendingCount([listing, null, listing])).toBe(2);
  });
});

describe('cloneProgressView', () => {
  it('shows bytes copied of the total and the percentage while running', () => {
    expect(
      cloneProgressView({ copiedBytes: 512, totalBytes: 2048, state: 'running', message: null }),
    ).toEqual({
      text: 'Copying… 512 B of 2 KiB (25%)',
      value: 512,
      max: 2048,
    });
  });

  it('fills the bar when done, even for an empty source, and says why a clone failed', () => {
    expect(
      cloneProgressView({ copiedBytes: 0, totalBytes: 0, state: 'done', message: null }),
    ).toMatchObject({
      value: 1,
      max: 1,
    });
    expect(
      cloneProgressView({
        copiedBytes: 5,
        totalBytes: 9,
        state: 'failed',
        message: 'No space left on device',
      }).text,
    ).toBe('Clone failed: No space left on device');
  });
});

describe('hintFixView', () => {
  it('offers the command of a hint to copy, and the rest to read', () => {
    expect(
      hintFixView('Someone who can sudo runs host setup once: labdeck host setup HOST'),
    ).toEqual({
      lead: 'Someone who can sudo runs host setup once:',
      commands: ['labdeck host setup HOST'],
      note: null,
    });
    expect(hintFixView('Run `labdeck host setup lab` again.').commands).toEqual([
      'labdeck host setup lab',
    ]);
    expect(hintFixView('Ask bob to mark it cloneable.')).toEqual({
      lead: 'Ask bob to mark it cloneable.',
      commands: [],
      note: null,
    });
  });
});
