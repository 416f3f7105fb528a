import { execFile } from 'node:child_process';
import { appendFile, chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Client } from '../../../common/contract/client';
import type { Services } from '../../../main/services';
import {
  createGpuTestUser,
  describeWithParts,
  ensureBuilt,
  startDockerd,
  startSshd,
  testServices,
  type DockerDaemon,
  type GpuTestUser,
  type Sshd,
} from '../../harness';

const run = promisify(execFile);
/** The group that may use the test engine's socket, as `docker` is on a real host. */
const DOCKER_GROUP = 'labdeck-test-docker';

describeWithParts(
  ['root', 'sshd', 'dockerd'],
  "an SSH host's Docker engine, over the host's one connection",
  () => {
    let sshd: Sshd;
    let dockerd: DockerDaemon;
    let user: GpuTestUser;
    let home: string;
    let services: Services;
    let client: Client;

    beforeAll(async () => {
      await ensureBuilt();
      [sshd, dockerd] = await Promise.all([startSshd(), startDockerd()]);
      // Not 'docker': the user labdeck-test-docker would clash with the engines' socket group of that name.
      user = await createGpuTestUser('sshdock');
      await run('groupadd', ['-f', DOCKER_GROUP]);
      await run('usermod', ['-aG', DOCKER_GROUP, user.username]);
      await chmod(dirname(dockerd.socketPath), 0o711);
      await run('chgrp', [DOCKER_GROUP, dockerd.socketPath]);
      await chmod(dockerd.socketPath, 0o660);
      // As users of rootless or non-default engines do: the login names the socket.
      await appendFile(
        join(user.home, '.bashrc'),
        `export DOCKER_HOST=unix://${dockerd.socketPath}\n`,
      );
      home = await mkdtemp(join(tmpdir(), 'labdeck-ssh-docker-'));
      ({ services, client } = testServices(home));
      await client.request('hosts:add', {
        name: 'dock',
        user: user.username,
        hostname: sshd.host,
        port: sshd.port,
        identityFile: user.privateKeyPath,
      });
    });

    afterAll(async () => {
      await services?.dispose();
      await sshd?.stop();
      await dockerd?.stop();
      await user?.cleanUp();
      await user?.dispose();
      if (home) await rm(home, { recursive: true, force: true });
    });

    it('reports the engine reachable with its version, asked through a forwarded socket channel', async () => {
      const logBefore = (await sshd.readLog()).length;
      expect(await client.request('hosts:connect', { hostId: 'dock' })).toMatchObject({ ok: true });
      const refreshed = await client.request('hosts:refresh', { hostId: 'dock' });
      expect(refreshed).toMatchObject({
        ok: true,
        value: {
          docker: {
            state: 'reachable',
            version: (await dockerd.docker.version()).Version,
            socket: dockerd.socketPath,
          },
        },
      });
      const log = (await sshd.readLog()).slice(logBefore);
      expect(log.match(/Accepted publickey/g)).toHaveLength(1); // one handshake carried it all
    });

    it('falls back to `docker system dial-stdio` where the server forbids socket forwarding', async () => {
      const strict = await startSshd({ config: { AllowStreamLocalForwarding: 'no' } });
      try {
        await client.request('hosts:add', {
          name: 'strict',
          user: user.username,
          hostname: strict.host,
          port: strict.port,
          identityFile: user.privateKeyPath,
        });
        expect(await client.request('hosts:connect', { hostId: 'strict' })).toMatchObject({
          ok: true,
        });
        const refreshed = await client.request('hosts:refresh', { hostId: 'strict' });
        expect(refreshed).toMatchObject({
          ok: true,
          value: {
            docker: { state: 'reachable', version: (await dockerd.docker.version()).Version },
          },
        });
        expect(await strict.readLog()).toMatch(/refused|prohibited|not permitted|disabled/i);
      } finally {
        await client.request('hosts:remove', { hostId: 'strict' });
        await strict.stop();
      }
    });

    it('reports permission denied, with the fix, when the user may not use the socket', async () => {
      await chmod(dockerd.socketPath, 0o600);
      await client.request('hosts:disconnect', { hostId: 'dock' });
      const connected = await client.request('hosts:connect', { hostId: 'dock' });
      expect(connected).toMatchObject({
        ok: true,
        value: {
          docker: {
            state: 'permission-denied',
            hint: expect.stringContaining('usermod -aG docker'),
          },
        },
      });
    });
  },
);
