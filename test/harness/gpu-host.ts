import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { COMPUTE_APPS_FIELDS, GPU_QUERY_FIELDS } from '../../agent-bundle/gpu/nvidia-smi-query';
import {
  installFakeNvidiaSmi,
  readNvidiaSmiCapture,
  selectCaptureColumns,
} from './fake-nvidia-smi';
import { createTestUser, type TestUser } from './users';

const run = promisify(execFile);

/** A login that greets and then puts ~/bin first: the probe and the agent must not mind. */
export const NOISY_BASHRC =
  'echo "Welcome to the lab cluster! Quota: 93% used"\nexport PATH="$HOME/bin:$PATH"\n';

/** The agent's command line names its file under ~/.cache/labdeck/agent/ (not "labdeck-agent"). */
const AGENT_COMMAND_PATTERN = '/.cache/labdeck/agent/';

/** Stops every LabDeck agent daemon (and connect proxy) a test user runs. */
export async function stopAgents(username: string): Promise<void> {
  await run('pkill', ['-u', username, '-f', AGENT_COMMAND_PATTERN]).catch(() => undefined);
}

/** A test user set up like a researcher on a GPU server, with the GPUs it will report. */
export interface GpuTestUser extends TestUser {
  /** GPU names in index order, as the replayed capture has them. */
  readonly gpuNames: readonly string[];
  /** Kills the user's LabDeck agent daemons and removes what LabDeck left in their home. */
  cleanUp(): Promise<void>;
}

/** What a test user's `nvidia-smi` replays instead of the H100 default (see {@link createGpuTestUser}). */
export interface GpuTestCaptures {
  /** `--query-gpu` lines; default the H100 MIG capture. */
  readonly gpus?: string;
  /** `-L` output; default the H100 MIG capture's. */
  readonly list?: string;
  /** `--query-compute-apps` lines; default the H100's three processes. */
  readonly apps?: string;
}

/**
 * A test user whose PATH (through a noisy ~/.bashrc) has an `nvidia-smi` replaying a real H100
 * capture (or `captures`), with a clean LabDeck cache and no agent running. Needs root.
 */
export async function createGpuTestUser(
  name: string,
  captures: GpuTestCaptures = {},
): Promise<GpuTestUser> {
  const user = await createTestUser(name);
  const cleanUp = async (): Promise<void> => {
    await stopAgents(user.username);
    await rm(join(user.home, '.cache', 'labdeck'), { recursive: true, force: true });
  };
  await cleanUp();
  const bin = join(user.home, 'bin');
  await mkdir(bin, { recursive: true });
  const gpus =
    captures.gpus ??
    selectCaptureColumns(
      await readNvidiaSmiCapture('query-gpu-csv-allfields-h100-mig.txt'),
      GPU_QUERY_FIELDS,
    );
  await installFakeNvidiaSmi(bin, {
    gpus,
    list: captures.list ?? (await readNvidiaSmiCapture('L-mig-h100.txt')),
    apps:
      captures.apps ??
      selectCaptureColumns(
        await readNvidiaSmiCapture('query-compute-apps-csv-h100-mig.txt'),
        COMPUTE_APPS_FIELDS,
      ),
  });
  await writeFile(join(user.home, '.bashrc'), NOISY_BASHRC);
  await run('chown', ['-R', `${user.uid}:${user.gid}`, bin, join(user.home, '.bashrc')]);
  const gpuNames = gpus
    .trim()
    .split('\n')
    .map((line) => line.split(', ')[2] ?? '');
  return Object.assign(user, { gpuNames, cleanUp });
}
