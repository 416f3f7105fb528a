import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runProbe } from '../../../main/agent/probe';
import { execLocal } from '../../../main/hosts/local-exec';
import { describeWithParts } from '../../harness';

const run = promisify(execFile);
/** The smallest filesystem mkfs.xfs agrees to make. */
const XFS_IMAGE_BYTES = 320 * 1024 * 1024;

describeWithParts(['root', 'xfs'], 'the probe on a host with an XFS volume', () => {
  let dir: string;
  let mountPoint: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labdeck-probe-xfs-'));
    const image = join(dir, 'volume.img');
    await run('truncate', ['-s', String(XFS_IMAGE_BYTES), image]);
    await run('mkfs.xfs', ['-q', image]);
    // A name with a space: /proc/mounts writes it as `\040`, the report must not.
    mountPoint = join(dir, 'lab data');
    await mkdir(mountPoint);
    await run('mount', ['-o', 'loop', image, mountPoint]);
  });

  afterAll(async () => {
    await run('umount', [mountPoint]).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });

  it('reports the volume by its real path, without project quotas (this kernel refuses prjquota)', async () => {
    const report = await runProbe((argv, stdin) => execLocal(argv, { stdin }), 'none');
    expect(report.xfsMounts).toContainEqual({ mountPoint, projectQuota: false });
    expect(report.os).toBe('Linux');
    expect(report.arch).toBe((await run('uname', ['-m'])).stdout.trim());
    expect(report.user).toBe('root');
  });
});
