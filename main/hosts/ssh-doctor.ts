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
import { hostPortLabel } from '../ssh/ssh-endpoint';
import {
  codeSpan,
  sshVerboseCommand,
  tcpCheckCommand,
  type HintEndpoint,
} from '../ssh/ssh-hint-commands';

/** How long the bare TCP check waits. */
const TCP_TIMEOUT_MS = 5_000;

/** What a step that passed on the way to a later failure found, in its own words. */
function passedDetail(step: StepName, user: string): string {
  switch (step) {
    case 'host-key':
      return 'The server’s key matches the one you trusted.';
    case 'authentication':
      return `Logged in as ${user}.`;
    case 'agent':
      return 'The agent answered.';
    default:
      return 'No problem found.';
  }
}

/** The TCP step: does anything accept connections on the first hop's address and port? */
function tcpCheck(first: HintEndpoint): Promise<Outcome> {
  const { host, port } = first;
  const where = hostPortLabel(host, port);
  const tryIt = `${codeSpan(tcpCheckCommand(host, port))}, or try the login with ${codeSpan(sshVerboseCommand(first))}`;
  const start = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: TCP_TIMEOUT_MS });
    const done = (outcome: Outcome): void => {
      socket.destroy();
      resolve({ ...outcome, ms: Math.round(performance.now() - start) });
    };
    socket.once('connect', () => done({ status: 'pass', detail: `${where} accepts connections.` }));
    socket.once('timeout', () =>
      done({
        status: 'fail',
        detail: `${where} did not answer within ${TCP_TIMEOUT_MS / 1000} s.`,
        fix: `Check the network path (VPN, firewall): ${tryIt}.`,
      }),
    );
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done({
        status: 'fail',
        detail:
          error.code === 'ECONNREFUSED'
            ? `Nothing listens on ${where} (ECONNREFUSED).`
            : `${where}: ${error.code ?? error.message}.`,
        fix: `Check the address and port, and that sshd runs there: ${tryIt}.`,
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
  const first = host.config.jump[0] ?? host.config;
  outcomes.tcp = await tcpCheck({ host: first.hostname, port: first.port, user: first.user });
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
      if (!(step in probed))
        outcomes[step] ??= { status: 'pass', detail: passedDetail(step, host.config.user) };
    outcomes[failed] = failedOutcome(thrown);
    return { outcomes, ...(probe ? { probe } : {}) };
  }
}
