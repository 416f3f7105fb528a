import { describe, expect, it } from 'vitest';
import { volumeCheck } from '../../../agent-bundle/setup/volume-checks';
import {
  mountOf,
  parseMountInfo,
  projectQuotaNotEnforced,
  volumeKindOf,
} from '../../../agent-bundle/setup/volume-mounts';

/** Lines as Linux writes /proc/self/mountinfo (proc(5)), with an optional field and an escape. */
const MOUNTINFO = [
  '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw',
  '40 22 7:0 / /data rw,relatime shared:20 - xfs /dev/loop0 rw,attr2,inode64,prjquota',
  '41 22 7:1 / /data/old rw,relatime - xfs /dev/loop1 rw,attr2,inode64,noquota',
  '42 22 0:50 / /mnt/lab\\040share rw - nfs4 srv:/lab rw,vers=4.2',
  '43 22 7:2 / /count rw,relatime - xfs /dev/loop2 rw,attr2,inode64,pqnoenforce',
  'not a mount line',
].join('\n');

describe('volume mounts', () => {
  const mounts = parseMountInfo(MOUNTINFO);

  it('reads every mount line, octal escapes in paths included', () => {
    expect(mounts.map((mount) => mount.mountPoint)).toEqual([
      '/',
      '/data',
      '/data/old',
      '/mnt/lab share',
      '/count',
    ]);
  });

  it('finds the deepest mount a path lives on, not a sibling with the same prefix', () => {
    expect(mountOf(mounts, '/data/old/x')?.mountPoint).toBe('/data/old');
    expect(mountOf(mounts, '/data/scratch')?.mountPoint).toBe('/data');
    expect(mountOf(mounts, '/database')?.mountPoint).toBe('/');
  });

  it('tells XFS with project quota from XFS without and from other filesystems', () => {
    const kind = (path: string) => volumeKindOf(mountOf(mounts, path)!);
    expect(kind('/data/scratch')).toBe('xfs-prjquota');
    expect(kind('/data/old')).toBe('xfs');
    expect(kind('/mnt/lab share/x')).toBe('plain');
    expect(kind('/home')).toBe('plain');
  });

  it('counts pqnoenforce (usage counted, limits not enforced) as no quota, and setup says how to enforce it', () => {
    const at = (path: string) => mountOf(mounts, path)!;
    expect(volumeKindOf(at('/count/x'))).toBe('xfs');
    expect(projectQuotaNotEnforced(at('/count/x'))).toBe(true);
    expect(projectQuotaNotEnforced(at('/data/x'))).toBe(false);
    expect(volumeCheck('c', '/count/x', at('/count/x'))).toEqual({
      check: 'volume',
      title: 'Volume c (/count/x)',
      status: 'warn',
      detail:
        'XFS at /count with project quota counted but not enforced (pqnoenforce): folders work, and nothing holds them to a limit',
      fix: 'use prjquota instead of pqnoenforce in the options of /count in /etc/fstab, then: sudo umount /count && sudo mount /count',
    });
    expect(volumeCheck('d', '/data/x', at('/data/x'))).toMatchObject({ status: 'pass' });
    expect(volumeCheck('o', '/data/old', at('/data/old'))).toMatchObject({
      status: 'warn',
      detail: 'XFS at /data/old without project quota: folders work, without quotas',
    });
  });
});
