import { describe, expect, it } from 'vitest';
import { resolveMounts } from '../../../agent-bundle/folders/folder-mounts';
import { AppFailure } from '../../../common/contract/result';
import { ALICE, BOB, folder, invitation, store, VOLUMES } from './store-builder';

const bob = { uid: BOB, groups: new Set(['vision']) };
const hostStore = store(
  [
    folder('a1', 'data', ALICE),
    folder('a2', 'rwdata', ALICE),
    folder('b1', 'code', BOB),
    folder('b2', '.local', BOB),
    folder('b3', '.cache', BOB, { volume: 'home' }),
    folder('b4', '.old', BOB, { state: 'trashed' }),
    folder('b5', 'old', BOB, { state: 'trashed' }),
    folder('b6', 'copy', BOB, { state: 'cloning' }),
    folder('a3', '.alices', ALICE),
    folder('g1', 'team', ALICE, { group: 'vision' }),
  ],
  [
    invitation('i1', 'a1', ALICE, BOB, { state: 'accepted', permission: 'ro' }),
    invitation('i2', 'a2', ALICE, BOB, { state: 'accepted', permission: 'rw', alias: 'alice-rw' }),
  ],
);

function refusal(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof AppFailure) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('not refused');
}

describe('resolveMounts', () => {
  it('mounts each asked folder at /home/work/NAME, read-only for an ro grant even if asked rw, then the user’s ready dot-folders', () => {
    const mounts = resolveMounts(hostStore, bob, VOLUMES, [
      { name: 'data', readOnly: false },
      { name: 'alice-rw', readOnly: false },
      { name: 'code', readOnly: true },
      { name: 'team', readOnly: false },
    ]);
    expect(mounts.map(({ name, target, readOnly }) => [name, target, readOnly])).toEqual([
      ['data', '/home/work/data', true],
      ['alice-rw', '/home/work/alice-rw', false],
      ['code', '/home/work/code', true],
      ['team', '/home/work/team', false],
      ['.local', '/home/work/.local', false],
      ['.cache', '/home/work/.cache', false],
    ]);
    expect(mounts[0]?.path).toBe(`/srv/scratch/labdeck-folders/${'a1'.padEnd(16, '0')}`);
    expect(mounts[5]?.path).toBe(`/srv/home/labdeck-folders/${'b3'.padEnd(16, '0')}`);
  });

  it('refuses a name two folders share rather than mount either, naming both', () => {
    // A group folder "code" made by alice beside bob's own "code".
    const clash = store(
      [...hostStore.folders, folder('g2', 'code', ALICE, { group: 'vision' })],
      [...hostStore.invitations],
    );
    const refused = refusal(() =>
      resolveMounts(clash, bob, VOLUMES, [{ name: 'code', readOnly: false }]),
    );
    expect(refused.code).toBe('folder-name-ambiguous');
    expect(refused.message).toContain('your own');
    expect(refused.message).toContain(`u${ALICE}'s (group)`);
  });

  it('does not mount a dot-folder twice when the form names it', () => {
    const mounts = resolveMounts(hostStore, bob, VOLUMES, [{ name: '.local', readOnly: true }]);
    expect(mounts.map(({ name, readOnly }) => [name, readOnly])).toEqual([
      ['.local', true],
      ['.cache', false],
    ]);
  });

  it('says how to undo a cloning folder: stop the clone that fills it, or purge one no clone fills', () => {
    const hint = (filling: boolean) => {
      try {
        resolveMounts(hostStore, bob, VOLUMES, [{ name: 'copy', readOnly: false }], () => filling);
      } catch (error) {
        return (error as AppFailure).hint;
      }
      return undefined;
    };
    expect(hint(true)).toBe(
      'Wait for the clone to finish, or stop it: labdeck folder clone-cancel HOST copy',
    );
    expect(hint(false)).toBe(
      'no clone is filling it any more: labdeck folder purge HOST copy removes it',
    );
  });

  it('refuses, naming the folder, one that is unknown, trashed, cloning, or asked twice', () => {
    expect(
      refusal(() => resolveMounts(hostStore, bob, VOLUMES, [{ name: 'nope', readOnly: false }])),
    ).toEqual({
      code: 'folder-not-found',
      message: 'You have no folder "nope" on this host.',
    });
    expect(
      refusal(() => resolveMounts(hostStore, bob, VOLUMES, [{ name: 'old', readOnly: false }])),
    ).toEqual({
      code: 'folder-not-ready',
      message: 'Folder "old" cannot be mounted: it is in the trash.',
    });
    expect(
      refusal(() => resolveMounts(hostStore, bob, VOLUMES, [{ name: 'copy', readOnly: false }])),
    ).toEqual({
      code: 'folder-not-ready',
      message: 'Folder "copy" cannot be mounted: it is still being cloned.',
    });
    const twice = [
      { name: 'code', readOnly: false },
      { name: 'code', readOnly: true },
    ];
    expect(refusal(() => resolveMounts(hostStore, bob, VOLUMES, twice)).code).toBe(
      'folder-mounted-twice',
    );
  });

  it('refuses a folder another user has not shared, by name', () => {
    const carol = { uid: 1003, groups: new Set<string>() };
    expect(
      refusal(() => resolveMounts(hostStore, carol, VOLUMES, [{ name: 'data', readOnly: true }]))
        .code,
    ).toBe('folder-not-found');
    expect(resolveMounts(hostStore, carol, VOLUMES, [])).toEqual([]);
  });

  it('leaves out a dot-folder whose volume is no longer declared, and refuses an asked one', () => {
    const onlyScratch = VOLUMES.filter((volume) => volume.name === 'scratch');
    expect(resolveMounts(hostStore, bob, onlyScratch, []).map((mount) => mount.name)).toEqual([
      '.local',
    ]);
    expect(
      refusal(() =>
        resolveMounts(hostStore, bob, onlyScratch, [{ name: '.cache', readOnly: false }]),
      ).code,
    ).toBe('folder-volume-missing');
  });
});
