import { constants } from 'node:fs';
import { access, lstat, readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { SetupCheck } from '../../common/host-setup/setup-report';

/** Where Docker's engine listens unless DOCKER_HOST says otherwise. */
const DOCKER_SOCKET = '/var/run/docker.sock';
const NVIDIA_TOOLKIT_GUIDE =
  'https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html';

/** The first executable `name` on PATH, or undefined. */
export async function onPath(
  name: string,
  path = process.env.PATH ?? '',
): Promise<string | undefined> {
  for (const dir of path.split(delimiter).filter((entry) => entry.startsWith('/'))) {
    try {
      await access(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

/** Which package manager's words the fixes use: from /etc/os-release. */
async function packageFamily(): Promise<'debian' | 'redhat' | 'other'> {
  let text: string;
  try {
    text = await readFile('/etc/os-release', 'utf8');
  } catch {
    return 'other';
  }
  const ids = /^ID(_LIKE)?=(.*)$/gm;
  const words = [...text.matchAll(ids)].flatMap((match) =>
    (match[2] ?? '').replace(/"/g, '').split(' '),
  );
  if (words.some((word) => ['debian', 'ubuntu'].includes(word))) return 'debian';
  if (words.some((word) => ['rhel', 'fedora', 'centos'].includes(word))) return 'redhat';
  return 'other';
}

/** The words that install a package on this host's distribution, else where to read how. */
async function installCommand(packages: {
  readonly debian: string;
  readonly redhat: string;
  readonly elsewhere: string;
}): Promise<string> {
  const family = await packageFamily();
  if (family === 'debian') return `sudo apt-get install ${packages.debian}`;
  if (family === 'redhat') return `sudo dnf install ${packages.redhat}`;
  return packages.elsewhere;
}

function dockerSocketPath(): string {
  const host = process.env.DOCKER_HOST ?? '';
  return host.startsWith('unix://') ? host.slice('unix://'.length) : DOCKER_SOCKET;
}

/** Docker's engine: running (its socket is there), installed but stopped, or missing. */
export async function checkDocker(): Promise<SetupCheck> {
  const title = 'Docker engine';
  const socket = dockerSocketPath();
  try {
    if ((await lstat(socket)).isSocket())
      return { check: 'docker', title, status: 'pass', detail: `the engine listens on ${socket}` };
  } catch {
    // No socket: stopped or not installed, told apart below.
  }
  if (await onPath('dockerd'))
    return {
      check: 'docker',
      title,
      status: 'fail',
      detail: `Docker is installed but its engine is not running (no socket at ${socket})`,
      fix: 'sudo systemctl enable --now docker',
    };
  const install = await installCommand({
    debian: 'docker.io',
    redhat: 'moby-engine',
    elsewhere: 'install Docker Engine (https://docs.docker.com/engine/install/)',
  });
  return {
    check: 'docker',
    title,
    status: 'fail',
    detail: 'Docker is not installed: sessions cannot start on this host',
    fix: `${install} && sudo systemctl enable --now docker`,
  };
}

/** The NVIDIA container toolkit, which lets Docker hand GPUs to containers. */
export async function checkNvidiaToolkit(): Promise<SetupCheck> {
  const title = 'NVIDIA container toolkit';
  const toolkit = (await onPath('nvidia-container-runtime-hook')) ?? (await onPath('nvidia-ctk'));
  if (toolkit)
    return { check: 'nvidia-toolkit', title, status: 'pass', detail: `found ${toolkit}` };
  if (!(await onPath('nvidia-smi')))
    return {
      check: 'nvidia-toolkit',
      title,
      status: 'warn',
      detail: 'no NVIDIA driver on this host (no nvidia-smi): sessions run without GPUs',
      fix: 'install the NVIDIA driver for the GPUs (Ubuntu: sudo ubuntu-drivers install), then the container toolkit',
    };
  const install = await installCommand({
    debian: 'nvidia-container-toolkit',
    redhat: 'nvidia-container-toolkit',
    elsewhere: 'install nvidia-container-toolkit',
  });
  return {
    check: 'nvidia-toolkit',
    title,
    status: 'fail',
    detail: `the GPUs have a driver but Docker cannot give them to containers (no NVIDIA container toolkit; its package repository: ${NVIDIA_TOOLKIT_GUIDE})`,
    fix: `${install} && sudo nvidia-ctk runtime configure --runtime=docker && sudo systemctl restart docker`,
  };
}
