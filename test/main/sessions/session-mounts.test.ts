import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { FolderMount } from '../../../common/folders/folder-view';
import { sessionSchema } from '../../../common/contract/sessions';
import { folderMountedFailure, sessionMounting } from '../../../main/folders/folder-mount-guard';
import { containerOptions } from '../../../main/sessions/session-container';
import { mountsOfAnswer } from '../../../main/sessions/session-mounts';
import { folderNotReadyFailure, staleMount } from '../../../main/sessions/session-restart-mounts';
import { MOUNTS_LABEL, readSessionLabels } from '../../../main/sessions/session-labels';
import { planSession } from '../../../main/sessions/session-plan';
import { sessionView } from '../../../main/sessions/session-view';

const data: FolderMount = {
  name: 'data',
  id: '0123456789abcdef',
  path: '/srv/xfs/labdeck-folders/0123456789abcdef',
  target: '/home/work/data',
  readOnly: true,
};
const code: FolderMount = {
  name: 'code',
  id: 'fedcba9876543210',
  path: '/srv/xfs/labdeck-folders/fedcba9876543210',
  target: '/home/work/code',
  readOnly: false,
};

/** The create options of a session on `shares` mounting `mounts`, with MPS's own bind. */
function created(
  mounts: readonly FolderMount[],
  binds: readonly string[] = [],
  env: string[] = [],
) {
  return containerOptions({
    plan: planSession({ hostId: 'lab', image: 'ubuntu:24.04', env }),
    labels: { id: 'a1b2c3d4e5f6', name: 'train', owner: 'alice', shares: {} },
    mounts,
    ports: [],
    imageDeclaresPorts: false,
    enforcement: { tier: null, env: [], binds, ipcHost: false },
    containerName: 'labdeck-alice-train',
    version: '0.1.0',
  });
}

/** Docker's list entry for a container made with `options`, in `state`. */
function listed(options: Docker.ContainerCreateOptions, state = 'running'): Docker.ContainerInfo {
  return {
    Id: 'c0ffee',
    Names: ['/labdeck-alice-train'],
    Image: 'ubuntu:24.04',
    ImageID: 'sha256:1',
    Command: '',
    Created: 1_700_000_000,
    Ports: [],
    Labels: options.Labels ?? {},
    State: state,
    Status: 'Up 1 minute',
    HostConfig: { NetworkMode: 'default' },
    NetworkSettings: { Networks: {} },
    Mounts: [],
  };
}

const context = { host: 'gpu-lab', user: 'alice', localUrl: () => null };

describe('session folder mounts', () => {
  it('binds each folder at its target, read-only ones with :ro, after the enforcement binds', () => {
    const options = created([data, code], ['/tmp/nvidia-mps:/tmp/nvidia-mps']);
    expect(options.HostConfig?.Binds).toEqual([
      '/tmp/nvidia-mps:/tmp/nvidia-mps',
      '/srv/xfs/labdeck-folders/0123456789abcdef:/home/work/data:ro',
      '/srv/xfs/labdeck-folders/fedcba9876543210:/home/work/code',
    ]);
  });

  it('has no Binds and no mounts label without folders', () => {
    const options = created([]);
    expect(options.HostConfig?.Binds).toBeUndefined();
    expect(options.Labels?.[MOUNTS_LABEL]).toBeUndefined();
    expect(sessionView(listed(options), context)?.mounts).toEqual([]);
  });

  it('records the mounts in a label that sessions list back, without host paths', () => {
    const options = created([data, code]);
    expect(options.Labels?.[MOUNTS_LABEL]).not.toContain('/srv/xfs');
    const session = sessionView(listed(options), context);
    expect(session?.mounts).toEqual([
      { name: 'data', folderId: '0123456789abcdef', target: '/home/work/data', readOnly: true },
      { name: 'code', folderId: 'fedcba9876543210', target: '/home/work/code', readOnly: false },
    ]);
    expect(sessionSchema.safeParse(session).success).toBe(true);
  });

  it('reads a malformed or foreign mounts label as no mounts, never throwing', () => {
    const labels = created([data]).Labels!;
    for (const bad of ['not json', '{"name":"x"}', '[{"name":"x","folderId":1}]', '[]'])
      expect(readSessionLabels({ ...labels, [MOUNTS_LABEL]: bad })?.mounts).toEqual([]);
  });

  it('finds the running session that mounts a folder; a stopped one is checked when it restarts instead', () => {
    const options = created([data, code]);
    expect(sessionMounting([listed(options)], code.id)).toEqual({ name: 'train', owner: 'alice' });
    expect(sessionMounting([listed(options)], 'ffffffffffffffff')).toBeUndefined();
    expect(sessionMounting([listed(created([]))], code.id)).toBeUndefined();
    // A stopped session does not hold its folders: trashing one is allowed, and its restart is
    // then refused (below, and end to end in the folder CLI test).
    const stopped = sessionView(listed(options, 'exited'), context)!;
    expect(sessionMounting([listed(options, 'exited')], code.id)).toBeUndefined();
    const folders = [
      { id: data.id, name: 'data', state: 'ready' as const },
      { id: code.id, name: 'code', state: 'trashed' as const },
    ];
    expect(staleMount(stopped.mounts[0]!, folders)).toBeUndefined();
    expect(staleMount(stopped.mounts[1]!, folders)).toBe('is in the trash');
  });

  it('refuses to restart a session whose folder is trashed, gone, renamed, replaced or cloning', () => {
    const label = { name: 'code', folderId: code.id, target: '/home/work/code', readOnly: false };
    expect(staleMount(label, [])).toBe('is gone (deleted, or no longer shared with you)');
    expect(staleMount(label, [{ id: code.id, name: 'code2', state: 'ready' }])).toBe(
      'is called "code2" now',
    );
    expect(staleMount(label, [{ id: 'aaaaaaaaaaaaaaaa', name: 'code', state: 'ready' }])).toBe(
      'is another folder now (the one it mounted is gone)',
    );
    expect(staleMount(label, [{ id: code.id, name: 'code', state: 'cloning' }])).toBe(
      'is being cloned into',
    );
    const trashed = folderNotReadyFailure(
      { name: 'train', mounts: [label] },
      label,
      'is in the trash',
      'gpu-lab',
    );
    expect(trashed.code).toBe('folder-not-ready');
    expect(trashed.message).toBe(
      'Session train cannot start again: folder "code" it mounts is in the trash.',
    );
    expect(trashed.hint).toBe(
      'Restore it (labdeck folder restore gpu-lab code), or remove the session and start anew: labdeck session rm train',
    );
  });

  it('sets HOME and the working directory to /home/work when folders are mounted, unless --env sets HOME', () => {
    const options = created([data]);
    expect(options.Env).toContain('HOME=/home/work');
    expect(options.WorkingDir).toBe('/home/work');
    const own = created([data], [], ['HOME=/root']);
    expect(own.Env?.filter((entry) => entry.startsWith('HOME='))).toEqual(['HOME=/root']);
    const none = created([]);
    expect(none.Env?.some((entry) => entry.startsWith('HOME='))).toBe(false);
    expect(none.WorkingDir).toBeUndefined();
  });

  it('drops dot-folders only when the host has no folders, and reports any other agent error', () => {
    const failed = (code: string) => ({ ok: false as const, error: { code, message: code } });
    expect(mountsOfAnswer(failed('unknown-agent-method'), 0)).toEqual([]);
    expect(mountsOfAnswer(failed('folders-no-volume'), 0)).toEqual([]);
    expect(() => mountsOfAnswer(failed('folders-store-invalid'), 0)).toThrow(
      'folders-store-invalid',
    );
    expect(() => mountsOfAnswer(failed('unknown-agent-method'), 1)).toThrow();
    expect(mountsOfAnswer({ ok: true, value: { mounts: [data] } }, 0)).toEqual([data]);
  });

  it('names the session and how to stop it; another user is asked to', () => {
    const own = folderMountedFailure('data', { name: 'train', owner: 'alice' }, 'alice');
    expect(own.code).toBe('folder-mounted');
    expect(own.message).toBe(
      'Folder "data" is mounted by the running session train; stop it first.',
    );
    expect(own.hint).toBe('labdeck session stop train');
    const theirs = folderMountedFailure('data', { name: 'eval', owner: 'bob' }, 'alice');
    expect(theirs.message).toContain("the running session eval (bob's); stop it first");
    expect(theirs.hint).toBe('Ask bob to stop it: labdeck session stop eval');
  });
});
