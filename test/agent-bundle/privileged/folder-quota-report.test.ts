import { describe, expect, it } from 'vitest';
import { parseProjectReport } from '../../../agent-bundle/privileged/folder-quota-report';

/** `xfs_quota -x -c 'report -p -n -b -N' /srv/xfs` on a kernel with project quota. */
const REPORT = [
  '#0                   0          0          0     00 [--------]',
  '#42               1200          0          0     00 [--------]',
  '#10000               4          0    1048576     00 [--------]',
  '#10001         2097152    1048576    2097152     00 [6 days]',
  '',
].join('\n');

describe('the XFS project quota report', () => {
  it('gives every project but 0 with its usage and hard limit in bytes (the report counts KiB)', () => {
    expect(parseProjectReport(REPORT)).toEqual([
      { projectId: 42, usedBytes: 1200 * 1024, limitBytes: 0 },
      { projectId: 10_000, usedBytes: 4096, limitBytes: 1024 ** 3 },
      { projectId: 10_001, usedBytes: 2 * 1024 ** 3, limitBytes: 2 * 1024 ** 3 },
    ]);
  });

  it('skips headers, blank lines between filesystems and anything that is not a project row', () => {
    const text = [
      'Project quota on /srv/xfs (/dev/loop3)',
      '                               Blocks',
      'Project ID       Used       Soft       Hard    Warn/Grace',
      '---------- --------------------------------------------------',
      '#10002             8          0          0     00 [--------]',
      '',
      'xfs_quota: cannot find mount point for path',
    ].join('\n');
    expect(parseProjectReport(text)).toEqual([
      { projectId: 10_002, usedBytes: 8192, limitBytes: 0 },
    ]);
    expect(parseProjectReport('')).toEqual([]);
  });
});
