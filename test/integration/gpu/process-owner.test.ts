import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gpuInventory } from '../../../agent-bundle/gpu/gpu-inventory';
import { GPU_QUERY_FIELDS } from '../../../agent-bundle/gpu/nvidia-smi-query';
import { readProcessOwners } from '../../../agent-bundle/gpu/process-owner';
import {
  describeWithParts,
  ensureTestImage,
  sharedDockerd,
  TEST_IMAGE,
  type DockerEngine,
} from '../../harness';
import {
  installFakeNvidiaSmi,
  readNvidiaSmiCapture,
  selectCaptureColumns,
} from '../../harness/fake-nvidia-smi';

describeWithParts(
  ['root', 'dockerd', 'busybox'],
  'GPU processes mapped to containers and users',
  () => {
    let engine: DockerEngine;
    let container: Dockerode.Container;
    let pid: number;
    let dir: string;

    beforeAll(async () => {
      engine = await sharedDockerd();
      await ensureTestImage(engine.docker);
      container = await engine.docker.createContainer({
        Image: TEST_IMAGE,
        name: `labdeck-owner-${process.pid}`,
        Cmd: ['sleep', '300'],
        Labels: { 'labdeck.user': 'ana' },
        HostConfig: { NetworkMode: 'none' },
      });
      await container.start();
      pid = (await container.inspect()).State.Pid;
      dir = await mkdtemp(join(tmpdir(), 'labdeck-owner-'));
    });
    afterAll(async () => {
      await container?.remove({ force: true });
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('finds the container of a process through /proc/<pid>/cgroup', async () => {
      const owner = (await readProcessOwners([pid])).get(pid);
      expect(owner).toMatchObject({ pid, containerId: container.id, uid: 0, user: 'root' });
      expect((await readProcessOwners([process.pid])).get(process.pid)?.containerId).toBeNull();
    });

    it('shows a GPU process with its container name and the LabDeck user from the label', async () => {
      const gpus = selectCaptureColumns(
        await readNvidiaSmiCapture('query-gpu-csv-allfields-h100-mig.txt'),
        GPU_QUERY_FIELDS,
      );
      const uuid = gpus.split(', ')[1]!;
      const nvidiaSmi = await installFakeNvidiaSmi(dir, {
        gpus,
        list: await readNvidiaSmiCapture('L-mig-h100.txt'),
        apps: `${uuid}, ${pid}, 1200, python train.py\n`,
      });
      const inventory = await gpuInventory({ nvidiaSmi, dockerSocket: engine.socketPath });
      expect(inventory.driverFailure).toBeNull();
      expect(inventory.gpus[0]?.processes).toEqual([
        {
          pid,
          usedMemoryMiB: 1200,
          container: { id: container.id, name: `labdeck-owner-${process.pid}` },
          user: 'ana',
          uid: 0,
          command: 'python train.py',
        },
      ]);
    });
  },
);
