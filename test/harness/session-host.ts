import { execFile } from 'node:child_process';
import { appendFile, chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Client } from '../../common/contract/client';
import type { Services } from '../../main/services';
import { startDockerd, type DockerDaemon } from './dockerd';
import { readNvidiaSmiCapture } from './fake-nvidia-smi';
import { createGpuTestUser, type GpuTestUser } from './gpu-host';
import { ensureBuilt } from './labdeck-build';
import { queryCsvFromTextReport } from './nvidia-smi-text-report';
import { startSshd, type Sshd } from './sshd';
import { testServices } from './test-services';
import { ensureTestImage } from './test-image';

const run = promisify(execFile);

/** The group that may use the test engine's socket, as `docker` is on a real host. */
export const SESSION_DOCKER_GROUP = 'labdeck-test-docker';

/** The first `count` GPUs of the real 8×H100 report, all idle: a host to launch sessions on. */
export async function h100Captures(count: number): Promise<{ gpus: string; list: string }> {
  const gpus = queryCsvFromTextReport(await readNvidiaSmiCapture('q-text-8xh100.txt'))
    .split('\n')
    .slice(0, count)
    .map((line) => `${line}\n`)
    .join('');
  const list = gpus
    .trim()
    .split('\n')
    .map((line) => {
      const [index, uuid, name] = line.split(', ');
      return `GPU ${index}: ${name} (UUID: ${uuid})\n`;
    })
    .join('');
  return { gpus, list };
}

/** The UUIDs, in index order, of a `--query-gpu` capture. */
export function captureUuids(gpus: string): string[] {
  return gpus
    .trim()
    .split('\n')
    .map((line) => line.split(', ')[1]!);
}

/** A researcher on the session host, with LabDeck's services on their laptop. */
export interface SessionUser {
  readonly user: GpuTestUser;
  readonly home: string;
  readonly services: Services;
  readonly client: Client;
  /** The LabDeck host name they added the server as. */
  readonly hostName: string;
}

/** A GPU server reached over SSH whose Docker engine sessions run on. */
export interface SessionHost {
  readonly sshd: Sshd;
  readonly dockerd: DockerDaemon;
  /** The UUIDs of its GPUs, index order. */
  readonly uuids: readonly string[];
  /** Adds a researcher (a Unix user with Docker access) and their laptop's services. */
  addUser(name: string): Promise<SessionUser>;
  /** Another laptop of an existing researcher: fresh services, the same Unix user. */
  addLaptop(of: SessionUser, label: string): Promise<SessionUser>;
  stop(): Promise<void>;
}

/**
 * An SSH server with a private Docker engine (stand-in nvidia hook, own bridge), the busybox test
 * image, and a replayed `nvidia-smi` of `gpuCount` idle H100s for every user added. Users reach
 * the engine as members of its socket's group, the socket named by DOCKER_HOST in their login.
 */
export async function startSessionHost(gpuCount = 2): Promise<SessionHost> {
  await ensureBuilt();
  const [sshd, dockerd] = await Promise.all([startSshd(), startDockerd()]);
  await ensureTestImage(dockerd.docker);
  await run('groupadd', ['-f', SESSION_DOCKER_GROUP]);
  await chmod(dirname(dockerd.socketPath), 0o711);
  await run('chgrp', [SESSION_DOCKER_GROUP, dockerd.socketPath]);
  await chmod(dockerd.socketPath, 0o660);
  const captures = await h100Captures(gpuCount);
  const users: SessionUser[] = [];
  const homes: string[] = [];

  const laptop = async (user: GpuTestUser, label: string): Promise<SessionUser> => {
    const home = await mkdtemp(join(tmpdir(), `labdeck-sessions-${label}-`));
    homes.push(home);
    const { services, client } = testServices(home);
    const hostName = 'lab';
    const added = await client.request('hosts:add', {
      name: hostName,
      user: user.username,
      hostname: sshd.host,
      port: sshd.port,
      identityFile: user.privateKeyPath,
    });
    if (!added.ok) throw new Error(added.error.message);
    const made = { user, home, services, client, hostName };
    users.push(made);
    return made;
  };

  return {
    sshd,
    dockerd,
    uuids: captureUuids(captures.gpus),
    async addUser(name) {
      const user = await createGpuTestUser(name, { ...captures, apps: '' });
      await run('usermod', ['-aG', SESSION_DOCKER_GROUP, user.username]);
      await appendFile(
        join(user.home, '.bashrc'),
        `export DOCKER_HOST=unix://${dockerd.socketPath}\n`,
      );
      return laptop(user, name);
    },
    addLaptop: (of, label) => laptop(of.user, label),
    async stop() {
      await Promise.all(users.map((u) => u.services.dispose()));
      const owners = new Set(users.map((u) => u.user));
      for (const user of owners) {
        await user.cleanUp();
        await user.dispose();
      }
      await Promise.all([sshd.stop(), dockerd.stop()]);
      await Promise.all(homes.map((home) => rm(home, { recursive: true, force: true })));
    },
  };
}
