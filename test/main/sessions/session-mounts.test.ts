import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { FolderMount } from '../../../common/folders/folder-view';
import { sessionSchema } from '../../../common/contract/sessions';
import { folderMountedFailure, sessionMounting } from '../../../main/folders/folder-mount-guard';
import { containerOptions } from '../../../main/sessions/session-container';
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
function created(mounts: readonly FolderMount[], binds: readonly string[] = []) {
  return containerOptions({
    plan: planSession({ hostId: 'lab', image: 'ubuntu:24.04' }),
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

  it('finds the running session that mounts a folder, and not a stopped one', () => {
    const options = created([data, code]);
    expect(sessionMounting([listed(options)], code.id)).toEqual({ name: 'train', owner: 'alice' });
    expect(sessionMounting([listed(options, 'exited')], code.id)).toBeUndefined();
    expect(sessionMounting([listed(options)], 'ffffffffffffffff')).toBeUndefined();
    expect(sessionMounting([listed(created([]))], code.id)).toBeUndefined();
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
