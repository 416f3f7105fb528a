import { describe, expect, it } from 'vitest';
import type { DoctorReport, DoctorStep } from '../../../../common/hosts/doctor-report';
import {
  doctorFixView,
  doctorStepView,
  doctorSummary,
  durationText,
} from '../../../../renderer/src/features/hosts/doctor-view';

/** Shaped as main/hosts/host-doctor.ts reports a user outside the docker group. */
const DOCKER: DoctorStep = {
  step: 'docker',
  title: 'Docker access',
  status: 'fail',
  detail: 'Docker runs, but you may not use /var/run/docker.sock.',
  fix: 'sudo usermod -aG docker ana (then log in again)',
};

describe('doctorStepView', () => {
  it('shows a failure with its icon and word, and the fix split into command and note', () => {
    expect(doctorStepView({ ...DOCKER, ms: 1234 })).toEqual({
      step: 'docker',
      title: 'Docker access',
      status: 'fail',
      statusView: { icon: 'failed', label: 'Failed', tone: 'danger' },
      detail: DOCKER.detail,
      time: '1.2 s',
      fix: { lead: null, commands: ['sudo usermod -aG docker ana'], note: 'then log in again' },
    });
  });

  it('gives every status its own icon and word, and a fix only to warnings and failures', () => {
    const views = (['pass', 'warn', 'fail', 'skip'] as const).map((status) =>
      doctorStepView({ ...DOCKER, status }),
    );
    expect(views.map((v) => [v.statusView.icon, v.statusView.label, v.statusView.tone])).toEqual([
      ['passed', 'Passed', 'ok'],
      ['warning', 'Warning', 'warning'],
      ['failed', 'Failed', 'danger'],
      ['skipped', 'Skipped', 'neutral'],
    ]);
    expect(views.map((v) => v.fix !== null)).toEqual([false, true, true, false]);
    expect(doctorStepView({ ...DOCKER, fix: undefined }).fix).toBeNull();
    expect(views[0]?.time).toBeNull();
  });
});

describe('doctorFixView', () => {
  it('takes the backtick spans of a sentence as the commands, keeping the sentence', () => {
    const fix = 'Check the address and that sshd runs there (`nc -vz gpu-7 22`).';
    expect(doctorFixView(fix)).toEqual({ lead: fix, commands: ['nc -vz gpu-7 22'], note: null });
  });

  it('takes a fix without spans as one command', () => {
    const fix = 'sudo apt-get install docker.io && sudo systemctl enable --now docker';
    expect(doctorFixView(fix)).toEqual({ lead: null, commands: [fix], note: null });
  });
});

describe('durationText and doctorSummary', () => {
  it('shows milliseconds under a second and tenths of seconds above', () => {
    expect(durationText(0)).toBe('0 ms');
    expect(durationText(85.4)).toBe('85 ms');
    expect(durationText(999)).toBe('999 ms');
    expect(durationText(2449)).toBe('2.4 s');
  });

  it('counts failures, warnings and skipped steps, or says all passed', () => {
    const pass: DoctorStep = { ...DOCKER, status: 'pass' };
    const report = (statuses: DoctorStep['status'][]): DoctorReport => ({
      host: 'gpu-7',
      steps: statuses.map((status) => ({ ...pass, status })),
    });
    expect(doctorSummary(report(['pass', 'pass']))).toBe('All 2 steps passed');
    expect(doctorSummary(report(['pass', 'fail', 'warn', 'warn', 'skip']))).toBe(
      '1 failed, 2 warnings, 1 skipped',
    );
  });
});
