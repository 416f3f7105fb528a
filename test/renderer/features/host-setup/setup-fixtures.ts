import type { HostSetupReport } from '../../../../common/host-setup/setup-report';
import type { SetupStatus } from '../../../../common/host-setup/setup-status';

/** A host that was never set up, seen by a user who may sudo with a password. */
export function notSetUp(patch: Partial<SetupStatus> = {}): SetupStatus {
  return {
    version: '1.4.0',
    root: '/',
    user: 'ana',
    sudo: 'password',
    helper: { state: 'missing', installedVersions: [], detail: 'no helper under /opt/labdeck' },
    rule: { state: 'no-helper', detail: 'no helper to reach' },
    config: { state: 'missing', detail: '/etc/labdeck/config.json does not exist' },
    volumes: [],
    ...patch,
  };
}

/** A host set up for 1.4.0, lab "vision", one plain volume. */
export function setUp(patch: Partial<SetupStatus> = {}): SetupStatus {
  return notSetUp({
    helper: { state: 'installed', installedVersions: ['1.4.0'], detail: 'LabDeck 1.4.0' },
    rule: { state: 'ok', detail: 'the helper answered' },
    config: { state: 'ok', detail: 'valid', lab: 'vision' },
    volumes: [
      { name: 'scratch', path: '/data/scratch', kind: 'plain', state: 'ok', detail: 'mounted' },
    ],
    ...patch,
  });
}

/** A report of `mode` with the given changes and no checks. */
export function report(
  mode: HostSetupReport['mode'],
  changes: HostSetupReport['changes'],
  patch: Partial<HostSetupReport> = {},
): HostSetupReport {
  return {
    mode,
    root: '/',
    version: '1.4.0',
    changed: mode !== 'dry-run' && changes.some((c) => c.status !== 'unchanged'),
    changes,
    checks: [],
    ...patch,
  };
}
