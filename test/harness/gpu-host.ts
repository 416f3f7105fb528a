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

/** A test user set up like a researcher on a GPU server, with the GPUs it will report. */
export interface GpuTestUser extends TestUser {
  /** GPU names in index order, as the replayed capture has them. */
  readonly gpuNames: readonly string[];
  /** Kills the user's LabDeck agent daemons and removes what LabDeck left in their home. */
  cleanUp(): Promise<void>;
}

/**
 * A test user whose PATH (through a noisy ~/.bashrc) has an `nvidia-smi` replaying a real H100
 * capture, with a clean LabDeck cache and no agent running. Needs root.
 */
export async function createGpuTestUser(name: string): Promise<GpuTestUser> {
  const user = await createTestUser(name);
  const cleanUp = async (): Promise<void> => {
    await run('pkill', ['-u', user.username, '-f', 'labdeck-agent']).catch(() => undefined);
    await rm(join(user.home, '.cache', 'labdeck'), { recursive: true, force: true });
  };
  await cleanUp();
  const bin = join(user.home, 'bin');
  await mkdir(bin, { recursive: true });
  const gpus = selectCaptureColumns(
    await readNvidiaSmiCapture('query-gpu-csv-allfields-h100-mig.txt'),
    GPU_QUERY_FIELDS,
  );
  await installFakeNvidiaSmi(bin, {
    gpus,
    list: await readNvidiaSmiCapture('L-mig-h100.txt'),
    apps: selectCaptureColumns(
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
