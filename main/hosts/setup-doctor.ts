import type { Result } from '../../common/contract/result';
import { LABDECK_GROUP } from '../../common/host-setup/sudoers-rule';
import type { SetupStatus } from '../../common/host-setup/setup-status';
import { commandLine } from '../../common/shell/shell-quote';
import { codeSpan } from '../ssh/ssh-hint-commands';
import type { DoctorOutcome, DoctorStepName } from './host-doctor';
import { xfsQuotaFix } from './host-doctor';

type SetupStep = Extract<DoctorStepName, `setup-${string}`>;

/** The Doctor's host-setup steps from the agent's `setup.status` (issue 11). */
export function setupOutcomes(
  hostName: string,
  answer: Result<SetupStatus>,
): Partial<Record<SetupStep, DoctorOutcome>> {
  const setup = commandLine(['labdeck', 'host', 'setup', hostName]);
  if (!answer.ok)
    return {
      'setup-helper': {
        status: 'fail',
        detail: answer.error.message,
        fix: answer.error.hint ?? 'Connect again so the host runs this LabDeck’s agent.',
      },
    };
  const status = answer.value;
  const runSetup = `${setup} (once, by someone who can sudo on the host)`;
  const helper: DoctorOutcome =
    status.helper.state === 'installed'
      ? { status: 'pass', detail: status.helper.detail }
      : {
          status: status.helper.state === 'invalid' ? 'fail' : 'warn',
          detail: status.helper.detail,
          fix: runSetup,
        };
  const rule = ruleOutcome(status, setup);
  const config: DoctorOutcome =
    status.config.state === 'ok'
      ? { status: 'pass', detail: status.config.detail }
      : {
          status: status.config.state === 'invalid' ? 'fail' : 'warn',
          detail: status.config.detail,
          fix:
            status.config.state === 'invalid'
              ? `Correct the file by hand, or move it away and run ${codeSpan(setup)}.`
              : runSetup,
        };
  return {
    'setup-helper': helper,
    ...(rule ? { 'setup-sudo-rule': rule } : {}),
    'setup-config': config,
    ...(status.config.state === 'ok' ? { 'setup-volumes': volumesOutcome(status, setup) } : {}),
  };
}

function ruleOutcome(status: SetupStatus, setup: string): DoctorOutcome | undefined {
  const { rule } = status;
  switch (rule.state) {
    case 'ok':
      return { status: 'pass', detail: rule.detail };
    case 'no-helper':
      return undefined;
    case 'not-member':
      return {
        status: 'warn',
        detail: rule.detail,
        fix: `Ask an administrator of the host to run ${codeSpan(commandLine(['sudo', 'usermod', '-aG', LABDECK_GROUP, status.user]))}, then connect again.`,
      };
    case 'denied':
    case 'failed':
      return {
        status: 'fail',
        detail: rule.detail,
        fix: `Run ${codeSpan(setup)} again: it reinstalls the helper and its sudo rule.`,
      };
  }
}

function volumesOutcome(status: SetupStatus, setup: string): DoctorOutcome {
  const { volumes } = status;
  if (volumes.length === 0)
    return {
      status: 'warn',
      detail: 'No storage volume is declared: folders need one.',
      fix: `${setup} --volume NAME=PATH`,
    };
  const missing = volumes.filter((volume) => volume.state === 'missing');
  const degraded = volumes.filter((volume) => volume.state === 'degraded');
  const each = volumes.map((volume) => `${volume.name}: ${volume.detail}`).join(' ');
  if (missing.length > 0)
    return {
      status: 'fail',
      detail: each,
      fix: `Mount ${missing.map((volume) => volume.path).join(', ')} again, or declare the volume's new place: ${codeSpan(`${setup} --volume NAME=PATH`)}`,
    };
  if (degraded.length > 0)
    return {
      status: 'warn',
      detail: each,
      fix: xfsQuotaFix([
        ...new Set(degraded.flatMap((volume) => (volume.mountPoint ? [volume.mountPoint] : []))),
      ]),
    };
  return { status: 'pass', detail: each };
}
