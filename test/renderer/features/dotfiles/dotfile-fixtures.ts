import type {
  DotfileContext,
  DotfileDocument,
  DotfileSummary,
} from '../../../../common/dotfiles/dotfile-store';

/** Ada on a set-up host: in groups `ada` (primary) and `ml`, admin of `ml`, not of the lab. */
export function context(patch: Partial<DotfileContext> = {}): DotfileContext {
  return {
    user: 'ada',
    primaryGroup: 'ada',
    groups: ['ada', 'ml'],
    configured: true,
    lab: 'vision-lab',
    domainAdmin: false,
    groupAdmin: ['ml'],
    systemPaths: [],
    ...patch,
  };
}

/** Ada's `~/.bashrc` at revision 3. */
export function summary(patch: Partial<DotfileSummary> = {}): DotfileSummary {
  return {
    scope: 'user',
    group: null,
    path: '.bashrc',
    mode: '644',
    bytes: 12,
    updatedAt: '2026-12-02T14:03:00.000Z',
    updatedBy: 'ada',
    revision: 3,
    ...patch,
  };
}

/** A file as an editor opens it. */
export function document(patch: Partial<DotfileDocument> = {}): DotfileDocument {
  return { ...summary(patch), content: 'alias ll=ls\n', ...patch };
}
