import { describe, expect, it } from 'vitest';
import type { FolderView } from '../../../common/contract/folders';
import { QUOTA_NOT_ENFORCED_XFS, type InvitationView } from '../../../common/folders/folder-view';
import { parseCommandArgs } from '../../../main/cli/cli-args';
import { helpFor } from '../../../main/cli/cli-help';
import { UsageError, type CliIo } from '../../../main/cli/cli-io';
import { findCommand } from '../../../main/cli/commands/command-table';
import { folderCall, mountArgs } from '../../../main/cli/commands/folder-args';
import {
  cloneProgressLine,
  folderJson,
  invitationJson,
  printFolders,
  usageCell,
} from '../../../main/cli/commands/folder-output';
import { runCli } from '../../../main/cli/labdeck';
import { tempHome } from '../../support/temp-home';

const folder = findCommand('folder')!;
const call = (...words: string[]) => folderCall(parseCommandArgs(folder, words));

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t) };
  const code = await runCli(args, io, { PATH: '', LABDECK_HOME: await tempHome() });
  return { code, out, err };
}

const view: FolderView = {
  id: '0123456789abcdef',
  name: 'data',
  host: 'gpu-lab',
  owner: 'alice',
  volume: 'scratch',
  path: '/srv/xfs/labdeck-folders/0123456789abcdef',
  permission: 'owner',
  group: null,
  via: 'own',
  quota: {
    limitBytes: 10 * 1024 ** 3,
    usedBytes: 2.5 * 1024 ** 3,
    enforced: false,
    reason: QUOTA_NOT_ENFORCED_XFS,
  },
  cloneable: true,
  state: 'ready',
};

describe('labdeck folder: the words typed', () => {
  it('turns each verb into its request, sizes in bytes', () => {
    expect(
      call('create', 'lab', 'data', '--quota', '50g', '--volume', 'scratch', '--cloneable'),
    ).toEqual({
      channel: 'folders:create',
      input: {
        hostId: 'lab',
        name: 'data',
        volume: 'scratch',
        quotaBytes: 50 * 1024 ** 3,
        cloneable: true,
      },
    });
    expect(call('create', 'lab', '.local').input).toMatchObject({
      quotaBytes: 0,
      cloneable: false,
    });
    expect(call('quota', 'lab', 'data', '512m').input).toEqual({
      hostId: 'lab',
      name: 'data',
      quotaBytes: 512 * 1024 ** 2,
    });
    for (const none of ['0', 'none', 'NONE'])
      expect(call('quota', 'lab', 'data', none).input).toMatchObject({ quotaBytes: 0 });
    expect(call('invite', 'lab', 'data', 'bob', '--perm', 'ro')).toEqual({
      channel: 'folders:invite',
      input: { hostId: 'lab', name: 'data', user: 'bob', permission: 'ro' },
    });
    const id = '3f9c0a12b7de4411';
    expect(call('accept', 'lab', id, '--as', 'alice-data')).toEqual({
      channel: 'folders:respond',
      input: { hostId: 'lab', invitation: id, accept: true, as: 'alice-data' },
    });
    expect(call('reject', 'lab', id).input).toEqual({
      hostId: 'lab',
      invitation: id,
      accept: false,
    });
    expect(call('cancel', 'lab', id)).toEqual({
      channel: 'folders:cancel',
      input: { hostId: 'lab', invitation: id },
    });
    expect(call('rm', 'lab', 'data').channel).toBe('folders:trash');
    expect(call('restore', 'lab', 'data').channel).toBe('folders:restore');
    expect(call('purge', 'lab', 'data').channel).toBe('folders:purge');
    expect(call('leave', 'lab', 'data').channel).toBe('folders:leave');
    expect(call('clone', 'lab', 'template', 'mine')).toEqual({
      channel: 'folders:clone',
      input: { hostId: 'lab', source: 'template', target: 'mine' },
    });
    expect(call('ls', 'lab')).toEqual({ channel: 'folders:list', input: { hostId: 'lab' } });
    expect(call('clone-cancel', 'lab', 'mine')).toEqual({
      channel: 'folders:clone-cancel',
      input: { hostId: 'lab', name: 'mine' },
    });
  });

  it('refuses bad names naming the argument, with the rule', () => {
    expect(() => call('create', 'lab', '..')).toThrow(/^NAME "\.\." may have only letters, digits/);
    expect(() => call('rm', 'lab', 'a/b')).toThrow(/^NAME "a\/b" may have only letters/);
    expect(() => call('create', 'lab', 'x'.repeat(65))).toThrow(
      `NAME "${'x'.repeat(65)}" must be at most 64 characters (it has 65)`,
    );
    expect(() => call('create', 'lab', '.bashrc')).toThrow(
      /^NAME "\.bashrc" is reserved for the home directory's own files/,
    );
    expect(() => call('clone', 'lab', 'ok', '..')).toThrow(/^TARGET "\.\."/);
    expect(() => call('clone', 'lab', 'a/b', 'ok')).toThrow(/^SOURCE "a\/b"/);
    expect(() => call('accept', 'lab', '3f9c0a12b7de4411', '--as', '.bashrc')).toThrow(
      /^--as "\.bashrc" is reserved/,
    );
    expect(() => call('accept', 'lab', '3f9c0a12b7de4411', '--as', '.local')).toThrow(
      '--as ".local" starts with ".": dot-folders are private, so a folder shared with you cannot be one',
    );
    expect(() => call('clone-cancel', 'lab', 'a/b')).toThrow(/^NAME "a\/b"/);
    expect(() => call('create', 'lab', '')).toThrow(UsageError);
  });

  it('refuses a bad size, permission or invitation id by name', () => {
    expect(() => call('quota', 'lab', 'data', 'lots')).toThrow('SIZE "lots" is not a size');
    expect(() => call('create', 'lab', 'data', '--quota', '5x')).toThrow(
      '--quota "5x" is not a size',
    );
    expect(() => call('invite', 'lab', 'data', 'bob', '--perm', 'rwx')).toThrow(
      '--perm "rwx" is not a permission: ro',
    );
    expect(() => parseCommandArgs(folder, ['invite', 'lab', 'data', 'bob'])).toThrow(
      'folder invite needs --perm PERM',
    );
    expect(() => call('accept', 'lab', '42')).toThrow('INVITATION "42" is not an invitation');
    expect(() =>
      parseCommandArgs(folder, ['reject', 'lab', '3f9c0a12b7de4411', '--as', 'x']),
    ).toThrow('folder reject has no option --as');
  });

  it('reads --mount NAME[:ro], and refuses a bad or repeated name', () => {
    expect(mountArgs(['data:ro', 'code', 'logs:rw'])).toEqual([
      { name: 'data', readOnly: true },
      { name: 'code', readOnly: false },
      { name: 'logs', readOnly: false },
    ]);
    expect(() => mountArgs(['../etc:ro'])).toThrow(
      '--mount ../etc:ro: folder "../etc" may have only',
    );
    expect(() => mountArgs(['.bashrc'])).toThrow('--mount .bashrc: folder ".bashrc" is reserved');
    expect(() => mountArgs(['data', 'data:ro'])).toThrow('--mount data is given twice');
  });

  it('refuses a bad name before connecting anywhere (exit 2, the usage shown)', async () => {
    // "nowhere" is no host: had the command connected, it would have said so (exit 1).
    for (const name of ['..', 'a/b', 'x'.repeat(65), '.bashrc']) {
      const { code, err } = await cli(['folder', 'create', 'nowhere', name]);
      expect(code).toBe(2);
      expect(err).toContain(`labdeck: NAME "${name}" `);
      expect(err).not.toContain('host-not-found');
    }
    const mount = await cli(['session', 'start', 'nowhere', '--image', 'ubuntu', '--mount', 'a/b']);
    expect(mount.code).toBe(2);
    expect(mount.err).toContain('--mount a/b: folder "a/b" may have only');
  });

  it('has help for every verb, with the name rule', () => {
    const help = helpFor(['folder', 'create'])!;
    expect(help).toContain(
      'labdeck folder create HOST NAME [--volume V] [--quota SIZE] [--cloneable]',
    );
    expect(help).toContain('at most 64 letters');
    for (const verb of [
      'ls',
      'invite',
      'invitations',
      'accept',
      'reject',
      'cancel',
      'leave',
      'clone',
      'clone-cancel',
      'rm',
      'restore',
      'purge',
      'quota',
    ])
      expect(helpFor(['folder', verb])).toContain(`labdeck folder ${verb} HOST`);
    expect(helpFor(['folder', 'clone-cancel'])).toContain(
      'labdeck folder clone-cancel HOST NAME [--json]',
    );
    expect(helpFor(['session', 'start'])).toContain('--mount FOLDER[:ro]');
  });
});

describe('labdeck folder: what it prints', () => {
  it('prints exactly the documented keys of a folder and an invitation', () => {
    const json = folderJson(view);
    expect(Object.keys(json)).toEqual([
      'name',
      'host',
      'owner',
      'volume',
      'path',
      'permission',
      'quota',
      'cloneable',
      'state',
    ]);
    expect(json.quota).toEqual({
      limitBytes: 10 * 1024 ** 3,
      usedBytes: 2.5 * 1024 ** 3,
      enforced: false,
      reason: QUOTA_NOT_ENFORCED_XFS,
    });
    const invitation: InvitationView = {
      id: '3f9c0a12b7de4411',
      folder: 'data',
      owner: 'alice',
      invitee: 'bob',
      permission: 'ro',
      state: 'pending',
      direction: 'outgoing',
      alias: null,
    };
    expect(invitationJson(invitation)).toEqual({
      id: '3f9c0a12b7de4411',
      folder: 'data',
      owner: 'alice',
      invitee: 'bob',
      permission: 'ro',
      state: 'pending',
    });
  });

  it('shows usage bars and says when a quota is not enforced, and why', () => {
    expect(usageCell(view.quota)).toBe('[###-------] 2.5 GiB of 10 GiB (25%), not enforced');
    expect(
      usageCell({ ...view.quota, enforced: true, reason: null, usedBytes: 20 * 1024 ** 3 }),
    ).toBe('[##########] 20 GiB of 10 GiB (200%)');
    expect(usageCell({ limitBytes: 0, usedBytes: 512, enforced: false, reason: null })).toBe(
      '512 B (no quota)',
    );
    expect(usageCell({ ...view.quota, usedBytes: null })).toBe(
      'measuring… of 10 GiB, not enforced',
    );
    let out = '';
    printFolders([view], 'gpu-lab', { out: (t) => void (out += t), err: () => undefined });
    expect(out).toMatch(
      /^NAME +ACCESS +VOLUME +USAGE +STATE\ndata \(cloneable\) +owner +scratch +\[###/,
    );
    expect(out).toContain(`data: the quota is ${QUOTA_NOT_ENFORCED_XFS}`);
  });

  it("says a clone's progress in sizes and percent", () => {
    expect(
      cloneProgressLine({
        copiedBytes: 1024 ** 3,
        totalBytes: 4 * 1024 ** 3,
        state: 'running',
        message: null,
      }),
    ).toBe('copied 1.0 GiB of 4.0 GiB (25%)');
    // Before the source is measured there is no total to speak of.
    expect(
      cloneProgressLine({ copiedBytes: 0, totalBytes: 0, state: 'running', message: null }),
    ).toBe('measuring…');
    expect(cloneProgressLine({ copiedBytes: 0, totalBytes: 0, state: 'done', message: null })).toBe(
      'copied 0 B of 0 B (100%)',
    );
  });
});
