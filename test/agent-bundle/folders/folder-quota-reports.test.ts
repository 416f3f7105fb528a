import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloneRunner } from '../../../agent-bundle/folders/folder-clone';
import type { FolderDeps } from '../../../agent-bundle/folders/folder-deps';
import { QuotaReportCache, quotaReports } from '../../../agent-bundle/folders/folder-quota-reports';
import type { FolderContext } from '../../../agent-bundle/folders/folder-reader';
import { UsageCache } from '../../../agent-bundle/folders/folder-usage';
import type { VolumeReport } from '../../../agent-bundle/folders/folder-views';
import { emptyFolderStore } from '../../../common/folders/folder-store';
import { systemPaths } from '../../../common/host-setup/system-paths';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'labdeck-reports-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const REPORT: VolumeReport = { enforced: true, reason: null, used: new Map([[10000, 4096]]) };

/**
 * A user with no helper to reach (no install, not in its group): every report the helper is
 * really asked for fails, so an answer without that failure came from the cache.
 */
function setup(now: () => number) {
  const paths = systemPaths(root);
  const reports = new QuotaReportCache(30_000, now);
  const deps: FolderDeps = {
    helper: { paths, version: '0.0.0-test', group: 'labdeck-test-no-such-group' },
    usage: new UsageCache(),
    reports,
    clones: new CloneRunner(),
  };
  const context: FolderContext = {
    paths,
    user: 'nobody',
    viewer: { uid: 65534, groups: new Set() },
    store: emptyFolderStore(),
    volumes: [
      { name: 'fast', path: join(root, 'fast'), kind: 'xfs-prjquota' },
      { name: 'plain', path: join(root, 'plain'), kind: 'plain' },
    ],
  };
  return { deps, context, reports };
}

describe('quotaReports', () => {
  it('answers a volume’s report from the cache for 30 s, then asks the helper again', async () => {
    let now = 0;
    const { deps, context, reports } = setup(() => now);
    const volumes = new Set(['fast', 'plain']);
    const asked = await quotaReports(deps, context, volumes);
    expect(asked.get('fast')?.reason).toMatch(/^not known: the quota report could not be read/);
    expect(asked.has('plain')).toBe(false);
    // A failure is not kept: the next list asks again.
    expect(reports.fresh('fast')).toBeUndefined();

    reports.keep('fast', REPORT);
    now = 29_999;
    expect((await quotaReports(deps, context, volumes)).get('fast')).toBe(REPORT);
    now = 30_000;
    expect((await quotaReports(deps, context, volumes)).get('fast')?.reason).toMatch(
      /^not known: the quota report could not be read/,
    );
  });
});
