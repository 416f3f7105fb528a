import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { toAppError, type AppError } from '../../common/contract/result';
import { DOCTOR_STEPS } from '../../common/hosts/doctor-report';
import type { SshHostConfig } from '../../common/hosts/host-config';
import type { AgentClient } from '../agent/agent-client';
import type { ProbeReport } from '../../common/agent/probe-report';
import {
  failedOutcome,
  fromProbe,
  type DoctorFacts,
  type DoctorOutcome as Outcome,
  type DoctorStepName as StepName,
} from './host-doctor';
/** How long the bare TCP check waits. */
const TCP_TIMEOUT_MS = 5_000;

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

/** What an SSH host gives the doctor: its connection so far, and how to make it answer. */
export interface SshDoctorSubject {
  readonly config: SshHostConfig;
  readonly probe: ProbeReport | undefined;
  agent(): Promise<AgentClient>;
}

/**
 * An SSH host's own doctor steps — TCP, host key, login, and where connecting failed — and the
 * probe and agent the shared steps read. Steps after a failed connection step are not reached.
 */
export async function sshDoctorFacts(host: SshDoctorSubject): Promise<DoctorFacts> {
  const outcomes: Partial<Record<StepName, Outcome>> = {};
  const first = host.config.jump[0] ?? { hostname: host.config.hostname, port: host.config.port };
  outcomes.tcp = await tcpCheck(first.hostname, first.port);
  if (outcomes.tcp.status !== 'pass') return { outcomes };
  const start = performance.now();
  try {
    const agent = await host.agent();
    const ms = Math.round(performance.now() - start);
    outcomes['host-key'] = {
      status: 'pass',
      detail: 'The server’s key matches the one you trusted.',
    };
    outcomes.authentication = { status: 'pass', detail: `Logged in as ${host.config.user}.`, ms };
    return { outcomes, agent, ...(host.probe ? { probe: host.probe } : {}) };
  } catch (thrown) {
    const failed = stepOf(toAppError(thrown));
    const probeSeen = DOCTOR_STEPS.indexOf(failed) > DOCTOR_STEPS.indexOf('probe');
    const probe = probeSeen ? host.probe : undefined;
    // Steps before the failed one passed; those the probe covers say what it found instead.
    const probed = probe ? fromProbe(probe) : {};
    for (const step of DOCTOR_STEPS.slice(1, DOCTOR_STEPS.indexOf(failed)))
      if (!(step in probed)) outcomes[step] ??= { status: 'pass', detail: 'Passed.' };
    outcomes[failed] = failedOutcome(thrown);
    return { outcomes, ...(probe ? { probe } : {}) };
  }
}
