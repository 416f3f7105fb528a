import { describe, expect, it } from 'vitest';
import { ok, fail } from '../../../common/contract/result';
import type { SetupStatus } from '../../../common/host-setup/setup-status';
import { setupOutcomes } from '../../../main/hosts/setup-doctor';

const SET_UP: SetupStatus = {
  version: '0.1.0',
  root: '/',
  user: 'ada',
  sudo: 'password',
  helper: { state: 'installed', installedVersions: ['0.1.0'], detail: 'installed at /opt/…' },
  rule: { state: 'ok', detail: 'sudo -n runs the helper' },
  config: { state: 'ok', detail: 'Lab "vision"', lab: 'vision' },
  volumes: [
    {
      name: 'scratch',
      path: '/data',
      kind: 'xfs-prjquota',
      mountPoint: '/data',
      state: 'ok',
      detail: 'xfs at /data',
    },
  ],
};

describe('the Doctor’s host-setup steps', () => {
  it('pass on a host set up for this version', () => {
    const steps = setupOutcomes('gpu-lab', ok(SET_UP));
    expect(Object.values(steps).map((step) => step?.status)).toEqual([
      'pass',
      'pass',
      'pass',
      'pass',
    ]);
  });

  it('warn on a host never set up, naming the command, and check nothing that needs setup', () => {
    const steps = setupOutcomes(
      'gpu-lab',
      ok({
        ...SET_UP,
        helper: { state: 'missing', installedVersions: [], detail: 'not set up' },
        rule: { state: 'no-helper', detail: '' },
        config: { state: 'missing', detail: 'No /etc/labdeck/config.json' },
        volumes: [],
      }),
    );
    expect(steps['setup-helper']).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('labdeck host setup gpu-lab'),
    });
    expect(steps['setup-sudo-rule']).toBeUndefined();
    expect(steps['setup-volumes']).toBeUndefined();
  });

  it('tell a user outside the group the exact command an admin runs for them', () => {
    const steps = setupOutcomes(
      'gpu-lab',
      ok({ ...SET_UP, rule: { state: 'not-member', detail: 'ada is not in the labdeck group' } }),
    );
    expect(steps['setup-sudo-rule']).toMatchObject({ status: 'warn' });
    expect(steps['setup-sudo-rule']?.fix).toContain('`sudo usermod -aG labdeck ada`');
  });

  it('fail when a declared volume is gone, and warn when its quota went', () => {
    const gone = setupOutcomes(
      'gpu-lab',
      ok({
        ...SET_UP,
        volumes: [{ ...SET_UP.volumes[0]!, state: 'missing', detail: '/data does not exist.' }],
      }),
    );
    expect(gone['setup-volumes']).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('--volume NAME=PATH'),
    });
    const degraded = setupOutcomes(
      'gpu-lab',
      ok({
        ...SET_UP,
        volumes: [{ ...SET_UP.volumes[0]!, state: 'degraded', detail: 'no prjquota' }],
      }),
    );
    expect(degraded['setup-volumes']).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('sudo umount /data'),
    });
  });

  it('fail with the agent’s own words when it cannot say (an older agent)', () => {
    const steps = setupOutcomes(
      'gpu-lab',
      fail({
        code: 'agent-unknown-method',
        message: 'unknown method setup.status',
        hint: 'Connect again.',
      }),
    );
    expect(steps['setup-helper']).toEqual({
      status: 'fail',
      detail: 'unknown method setup.status',
      fix: 'Connect again.',
    });
  });
});
