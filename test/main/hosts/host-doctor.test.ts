import { describe, expect, it } from 'vitest';
import type { ProbeReport } from '../../../common/agent/probe-report';
import { AppFailure } from '../../../common/contract/result';
import { dockerOutcome, doctorReport, failedOutcome } from '../../../main/hosts/host-doctor';

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
