import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { nodeIsUsable, type ProbeReport } from '../../common/agent/probe-report';
import { toAppError, type AppError, type Result } from '../../common/contract/result';
import type { GpuInventory } from '../../common/gpu/gpu';
import {
  DOCTOR_STEPS,
  DOCTOR_TITLES,
  type DoctorReport,
  type DoctorStep,
} from '../../common/hosts/doctor-report';
import { requestInventory } from '../gpus/agent-gpus';
import type { SshHost } from './ssh-host';

/** How long the bare TCP check waits. */
const TCP_TIMEOUT_MS = 5_000;

type StepName = DoctorStep['step'];
type Outcome = Omit<DoctorStep, 'step' | 'title'>;

function tcpCheck(host: string, port: number): Promise<Outcome> {
  const start = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: TCP_TIMEOUT_MS });
    const done = (outcome: Outcome): void => {
      socket.destroy();
      resolve({ ...outcome, ms: Math.round(performance.now() - start) });
    };
    socket.once('connect', () =>
      done({ status: 'pass', detail: `${host}:${port} accepts connections.` }),
    );
    socket.once('timeout', () =>
      done({
        status: 'fail',
        detail: `${host}:${port} did not answer within ${TCP_TIMEOUT_MS / 1000} s.`,
        fix: `Check the network path, e.g. \`nc -vz ${host} ${port}\`.`,
      }),
    );
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done({
        status: 'fail',
        detail: `${host}:${port}: ${error.code ?? error.message}.`,
        fix: `Check the address and that sshd runs there (\`nc -vz ${host} ${port}\`).`,
      }),
    );
  });
}

/** Which step a connection error belongs to, by its code. */
function stepOf(error: AppError): StepName {
  if (error.code.startsWith('host-key') || error.code === 'known-hosts-unreadable')
    return 'host-key';
  if (error.code.startsWith('ssh-auth') || error.code.startsWith('ssh-key'))
    return 'authentication';
  if (error.code.startsWith('probe')) return 'probe';
  if (error.code === 'node-missing') return 'node-runtime';
  if (error.code === 'ssh-unreachable') return 'tcp';
  return 'agent';
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
              fix: `sudo usermod -aG docker ${probe.user} (then log in again)`,
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
              fix: 'Add `prjquota` to the mount options in /etc/fstab and remount (needs a reboot for /).',
            }
          : {
              status: 'warn',
              detail: 'No XFS volumes: folders work, but without quotas.',
              fix: 'Put lab storage on an XFS volume mounted with `prjquota` to enforce folder quotas.',
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
 * Checks an SSH host step by step — TCP, host key, login, probe, Node, agent, Docker,
 * nvidia-smi, NVIDIA container runtime, XFS quotas — and says for each what it found and, when
 * it failed, the command that fixes it. Steps after a failed connection step are skipped.
 */
export async function checkSshHost(host: SshHost): Promise<DoctorReport> {
  const outcomes: Partial<Record<StepName, Outcome>> = {};
  const first = host.config.jump[0] ?? { hostname: host.config.hostname, port: host.config.port };
  outcomes.tcp = await tcpCheck(first.hostname, first.port);
  if (outcomes.tcp.status === 'pass') {
    const start = performance.now();
    try {
      const agent = await host.agentClient();
      const ms = Math.round(performance.now() - start);
      outcomes['host-key'] = {
        status: 'pass',
        detail: 'The server’s key matches the one you trusted.',
      };
      outcomes.authentication = { status: 'pass', detail: `Logged in as ${host.config.user}.`, ms };
      Object.assign(outcomes, host.probe ? fromProbe(host.probe) : {});
      outcomes.agent = {
        status: 'pass',
        detail: `Agent ${agent.hello.agentVersion} (pid ${agent.hello.pid}, Node ${agent.hello.node}).`,
      };
      outcomes['nvidia-smi'] = nvidiaSmiOutcome(await requestInventory(agent));
    } catch (thrown) {
      const error = toAppError(thrown);
      const failed = stepOf(error);
      for (const step of DOCTOR_STEPS.slice(1, DOCTOR_STEPS.indexOf(failed)))
        outcomes[step] ??= { status: 'pass', detail: 'Passed.' };
      const probeSeen = DOCTOR_STEPS.indexOf(failed) > DOCTOR_STEPS.indexOf('probe');
      if (host.probe && probeSeen) Object.assign(outcomes, fromProbe(host.probe));
      outcomes[failed] = {
        status: 'fail',
        detail: error.message,
        ...(error.hint ? { fix: error.hint } : {}),
      };
    }
  }
  return {
    host: host.config.name,
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
