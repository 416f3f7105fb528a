import { spawn } from 'node:child_process';
import { toAppError } from '../../common/contract/result';
import {
  DOCTOR_STEPS,
  DOCTOR_TITLES,
  type DoctorReport,
  type DoctorStep,
} from '../../common/hosts/doctor-report';
import type { AgentClient } from '../agent/agent-client';
import { runProbe, type ProbeRunner } from '../agent/probe';
import { probeLocalDocker } from '../docker/docker-probe';
import { requestInventory } from '../gpus/agent-gpus';
import { fromProbe, nvidiaSmiOutcome } from './host-doctor';

type Outcome = Omit<DoctorStep, 'step' | 'title'>;

/** Runs the probe script with this computer's `sh`. */
const localRunner: ProbeRunner = (argv, stdin) =>
  new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }),
    );
    child.stdin.end(stdin);
  });

/**
 * Checks "This computer": no SSH steps; the probe runs locally, Docker is checked on its socket
 * (so the state matches the Hosts page), and the agent runs as a local child process.
 */
export async function checkLocalHost(
  env: NodeJS.ProcessEnv,
  agent: () => Promise<AgentClient>,
): Promise<DoctorReport> {
  const outcomes: Partial<Record<DoctorStep['step'], Outcome>> = {
    tcp: { status: 'pass', detail: 'This computer: no network needed.' },
    'host-key': { status: 'pass', detail: 'This computer: no SSH.' },
    authentication: { status: 'pass', detail: 'This computer: you are logged in.' },
  };
  try {
    Object.assign(outcomes, fromProbe(await runProbe(localRunner, 'none')));
  } catch (error) {
    outcomes.probe = { status: 'fail', detail: toAppError(error).message };
  }
  const docker = await probeLocalDocker(env);
  outcomes.docker =
    docker.state === 'reachable'
      ? { status: 'pass', detail: docker.message }
      : { status: 'fail', detail: docker.message, ...(docker.hint ? { fix: docker.hint } : {}) };
  try {
    const client = await agent();
    outcomes.agent = {
      status: 'pass',
      detail: `Agent ${client.hello.agentVersion} (pid ${client.hello.pid}).`,
    };
    outcomes['nvidia-smi'] = nvidiaSmiOutcome(await requestInventory(client));
  } catch (error) {
    const appError = toAppError(error);
    outcomes.agent = {
      status: 'fail',
      detail: appError.message,
      ...(appError.hint ? { fix: appError.hint } : {}),
    };
  }
  return {
    host: 'This computer',
    steps: DOCTOR_STEPS.map((step) => ({
      step,
      title: DOCTOR_TITLES[step],
      ...(outcomes[step] ?? { status: 'skip' as const, detail: 'Not checked.' }),
    })),
  };
}
