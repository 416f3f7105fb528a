import { describe, expect, it } from 'vitest';
import type { ProbeReport } from '../../../common/agent/probe-report';
import { AppFailure } from '../../../common/contract/result';
import {
  dockerOutcome,
  doctorReport,
  failedOutcome,
  fromProbe,
} from '../../../main/hosts/host-doctor';
import { describeWithParts } from '../../harness';
import { argvFor, hintCommands } from '../../support/hint-commands';

const PROBE = {
  os: 'Linux',
  arch: 'x86_64',
  user: 'ana',
  cacheFreeKiB: 2048,
  nodePath: '/usr/bin/node',
  nodeVersion: 'v20.11.0',
  cachedNodePath: null,
  docker: 'missing',
  dockerSocket: '/var/run/docker.sock',
  nvidiaContainerRuntime: null,
  xfsMounts: [],
} as unknown as ProbeReport;

describe('doctorReport', () => {
  it('reads the shared steps from the probe under the host’s own outcomes', async () => {
    const report = await doctorReport('gpu-7', {
      outcomes: {
        tcp: { status: 'pass', detail: 'ok' },
        docker: dockerOutcome({
          state: 'reachable',
          socket: '/run/docker.sock',
          version: '27.0',
          message: 'Docker 27.0 is running.',
          checkedAt: '2025-01-01T00:00:00Z',
        }),
      },
      probe: PROBE,
    });
    const step = (name: string) => report.steps.find((s) => s.step === name);
    expect(report.host).toBe('gpu-7');
    expect(step('tcp')?.status).toBe('pass');
    expect(step('docker')).toMatchObject({ status: 'pass', detail: 'Docker 27.0 is running.' });
    expect(step('node-runtime')).toMatchObject({ status: 'pass' });
    expect(step('xfs-project-quota')).toMatchObject({ status: 'warn' });
    expect(step('agent')?.status).toBe('skip');
    expect(step('nvidia-smi')?.status).toBe('skip');
  });

  it('takes the Docker step from the probe when the host gives none, and keeps a failure’s fix', async () => {
    const report = await doctorReport('gpu-7', {
      outcomes: {
        agent: failedOutcome(new AppFailure({ code: 'x', message: 'no agent', hint: 'do y' })),
      },
      probe: PROBE,
    });
    const step = (name: string) => report.steps.find((s) => s.step === name);
    expect(step('docker')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('docker.io'),
    });
    expect(step('agent')).toMatchObject({ status: 'fail', detail: 'no agent', fix: 'do y' });
  });
});

describeWithParts(['ssh-keygen'], 'the fixes the probe steps suggest', () => {
  const xfs = (mountPoint: string) => ({ mountPoint, projectQuota: false });

  it('offers for XFS without quotas whole commands that bash runs as meant, never a lone option', async () => {
    const probe = { ...PROBE, xfsMounts: [xfs('/data'), xfs('/srv/lab data'), xfs('/')] };
    const fix = fromProbe(probe as ProbeReport)['xfs-project-quota']?.fix ?? '';
    const commands = hintCommands(fix);
    expect(commands).toEqual([
      'sudo umount /data && sudo mount /data',
      "sudo umount '/srv/lab data' && sudo mount '/srv/lab data'",
      'sudo update-grub',
    ]);
    expect(await argvFor(commands[1] ?? '', 'sudo')).toEqual([
      'umount',
      '/srv/lab data',
      'mount',
      '/srv/lab data',
    ]);
    expect(fix).toContain('prjquota');
    expect(commands).not.toContain('prjquota');
  });

  it('offers no command at all where there is no XFS volume to change', () => {
    const fix = fromProbe(PROBE)['xfs-project-quota']?.fix;
    expect(fix).toContain('prjquota');
    expect(hintCommands(fix)).toEqual([]);
  });

  it('quotes the user in the Docker group fix', async () => {
    const probe = { ...PROBE, user: 'pc$', docker: 'not-writable' } as unknown as ProbeReport;
    const fix = fromProbe(probe).docker?.fix ?? '';
    const command = fix.replace(/\s+\(then log in again\)$/, '');
    expect(await argvFor(command, 'sudo')).toEqual(['usermod', '-aG', 'docker', 'pc$']);
  });
});
