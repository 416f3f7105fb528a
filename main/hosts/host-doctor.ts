import { nodeIsUsable, type ProbeReport } from '../../common/agent/probe-report';
import { toAppError, type Result } from '../../common/contract/result';
import type { GpuInventory } from '../../common/gpu/gpu';
import {
  DOCTOR_STEPS,
  DOCTOR_TITLES,
  type DoctorReport,
  type DoctorStep,
} from '../../common/hosts/doctor-report';
import type { DockerStatus } from '../../common/hosts/host-summary';
import type { AgentClient } from '../agent/agent-client';
import { requestInventory } from '../gpus/agent-gpus';
import { commandLine } from '../../common/shell/shell-quote';
import { codeSpan } from '../ssh/ssh-hint-commands';
import { setupOutcomes } from './setup-doctor';

/** A step of the doctor, by name. */
export type DoctorStepName = DoctorStep['step'];

/** What one step found. */
export type DoctorOutcome = Omit<DoctorStep, 'step' | 'title'>;

type StepName = DoctorStepName;
type Outcome = DoctorOutcome;

/**
 * What a host found while it was checked: the outcomes of its own steps (SSH: TCP, host key,
 * login; any step that failed), and the probe and agent the shared steps are read from.
 */
export interface DoctorFacts {
  readonly outcomes: Partial<Record<StepName, Outcome>>;
  readonly probe?: ProbeReport;
  readonly agent?: AgentClient;
}

/** A failed step from what was thrown, with its fix when the error names one. */
export function failedOutcome(thrown: unknown): Outcome {
  const error = toAppError(thrown);
  return { status: 'fail', detail: error.message, ...(error.hint ? { fix: error.hint } : {}) };
}

/** The Docker step from an engine's state as the Hosts page shows it. */
export function dockerOutcome(docker: DockerStatus): Outcome {
  return docker.state === 'reachable'
    ? { status: 'pass', detail: docker.message }
    : { status: 'fail', detail: docker.message, ...(docker.hint ? { fix: docker.hint } : {}) };
}

/**
 * How to turn project quotas on: XFS takes `prjquota` only when a volume is mounted, not on a
 * remount, so a data volume is unmounted and mounted again after the /etc/fstab edit, and `/`
 * needs the kernel's `rootflags` and a reboot. Each command in backticks is whole, to paste.
 */
export function xfsQuotaFix(mountPoints: readonly string[]): string {
  const data = mountPoints.filter((m) => m !== '/');
  const remount = (m: string): string =>
    codeSpan(`${commandLine(['sudo', 'umount', m])} && ${commandLine(['sudo', 'mount', m])}`);
  const parts = [
    data.length > 0
      ? `add prjquota to the options of ${data.join(', ')} in /etc/fstab, then mount again: ${data.map(remount).join(' and ')}`
      : undefined,
    mountPoints.includes('/')
      ? `for /, add rootflags=prjquota to GRUB_CMDLINE_LINUX in /etc/default/grub, run ${codeSpan('sudo update-grub')} and reboot`
      : undefined,
  ].filter((part) => part !== undefined);
  const text = parts.join('; ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** What the probe tells about the steps it covers. */
export function fromProbe(probe: ProbeReport): Partial<Record<StepName, Outcome>> {
  const xfs = probe.xfsMounts;
  const quota = xfs.filter((m) => m.projectQuota);
  return {
    probe: {
      status: 'pass',
      detail: `${probe.os} ${probe.arch}, user ${probe.user}, ${probe.cacheFreeKiB === null ? 'free space unknown' : `${Math.round(probe.cacheFreeKiB / 1024)} MiB free in ~/.cache`}.`,
    },
    'node-runtime': nodeIsUsable(probe.nodeVersion)
      ? { status: 'pass', detail: `Node ${probe.nodeVersion} at ${probe.nodePath}.` }
      : probe.cachedNodePath
        ? { status: 'pass', detail: `Node pushed by LabDeck at ${probe.cachedNodePath}.` }
        : {
            status: 'fail',
            detail: `No Node.js 18+ (${probe.nodeVersion ?? 'none on PATH'}).`,
            fix: 'Install Node.js 18 or newer on the host (`sudo apt-get install nodejs`).',
          },
    docker:
      probe.docker === 'writable'
        ? { status: 'pass', detail: 'The Docker socket is usable by you.' }
        : probe.docker === 'not-writable'
          ? {
              status: 'fail',
              detail: 'Docker runs, but you may not use /var/run/docker.sock.',
              fix: `${commandLine(['sudo', 'usermod', '-aG', 'docker', probe.user])} (then log in again)`,
            }
          : {
              status: 'fail',
              detail: 'No Docker socket at /var/run/docker.sock.',
              fix: 'sudo apt-get install docker.io && sudo systemctl enable --now docker',
            },
    'nvidia-container-runtime': probe.nvidiaContainerRuntime
      ? { status: 'pass', detail: `Found ${probe.nvidiaContainerRuntime}.` }
      : {
          status: 'warn',
          detail: 'No NVIDIA Container Toolkit: containers cannot be given GPUs.',
          fix: 'sudo apt-get install nvidia-container-toolkit && sudo nvidia-ctk runtime configure --runtime=docker && sudo systemctl restart docker',
        },
    'xfs-project-quota':
      quota.length > 0
        ? {
            status: 'pass',
            detail: `Project quotas on ${quota.map((m) => m.mountPoint).join(', ')}.`,
          }
        : xfs.length > 0
          ? {
              status: 'warn',
              detail: `XFS at ${xfs.map((m) => m.mountPoint).join(', ')} is mounted without project quotas.`,
              fix: xfsQuotaFix(xfs.map((m) => m.mountPoint)),
            }
          : {
              status: 'warn',
              detail: 'No XFS volumes: folders work, but without quotas.',
              fix: 'Put lab storage on an XFS volume mounted with the prjquota option to enforce folder quotas.',
            },
  };
}

/**
 * The nvidia-smi step from the agent's GPU list: no nvidia-smi at all is a warning (a host
 * without NVIDIA GPUs works), any other driver failure is a failure with its fix.
 */
export function nvidiaSmiOutcome(inventory: Result<GpuInventory>): Outcome {
  const failure = inventory.ok ? inventory.value.driverFailure : inventory.error;
  if (failure) {
    return {
      status: failure.code === 'gpu-nvidia-smi-not-found' ? 'warn' : 'fail',
      detail: failure.message,
      ...(failure.hint ? { fix: failure.hint } : {}),
    };
  }
  const gpus = inventory.ok ? inventory.value.gpus : [];
  const names = [...new Set(gpus.map((g) => g.name))].join(', ') || 'none';
  return { status: 'pass', detail: `${gpus.length} GPU(s): ${names}.` };
}

/**
 * The doctor's report for a host from what the host found: the shared steps (probe, Node,
 * Docker access, NVIDIA runtime, XFS quotas from the probe; agent, nvidia-smi and host setup from
 * the agent)
 * under the host's own outcomes, and every step nobody reached marked skipped.
 */
export async function doctorReport(host: string, facts: DoctorFacts): Promise<DoctorReport> {
  const outcomes: Partial<Record<StepName, Outcome>> = {
    ...(facts.probe ? fromProbe(facts.probe) : {}),
    ...facts.outcomes,
  };
  if (facts.agent) {
    const { hello } = facts.agent;
    outcomes.agent ??= {
      status: 'pass',
      detail: `Agent ${hello.agentVersion} (pid ${hello.pid}, Node ${hello.node}).`,
    };
    outcomes['nvidia-smi'] ??= nvidiaSmiOutcome(await requestInventory(facts.agent));
    const setup = setupOutcomes(host, await facts.agent.call('setup.status', {}));
    for (const [step, outcome] of Object.entries(setup))
      outcomes[step as keyof typeof setup] ??= outcome;
  }
  return {
    host,
    steps: DOCTOR_STEPS.map((step) => ({
      step,
      title: DOCTOR_TITLES[step],
      ...(outcomes[step] ?? {
        status: 'skip' as const,
        detail: 'Not checked: an earlier step failed.',
      }),
    })),
  };
}
