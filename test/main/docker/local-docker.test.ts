import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerSocketPath, probeLocalDocker } from '../../../main/docker/local-docker';
import { tempHome } from '../../support/temp-home';

async function fakeInstall(dir: string, program: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, program), '#!/bin/sh\n');
  await chmod(join(dir, program), 0o755);
}

describe('dockerSocketPath', () => {
  it('uses DOCKER_HOST for unix sockets and the default otherwise', () => {
    expect(dockerSocketPath({})).toBe('/var/run/docker.sock');
    expect(dockerSocketPath({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).toBe(
      '/run/user/1000/docker.sock',
    );
    expect(dockerSocketPath({ DOCKER_HOST: 'tcp://10.0.0.1:2375' })).toBeUndefined();
  });
});

describe('probeLocalDocker', () => {
  it('says Docker is not installed when there is no socket and no docker program', async () => {
    const home = await tempHome();
    const status = await probeLocalDocker({
      PATH: home,
      DOCKER_HOST: `unix://${home}/docker.sock`,
    });
    expect(status).toMatchObject({ state: 'not-installed', version: null });
    expect(status.hint).toContain('apt-get install docker.io');
  });

  it('says the daemon is not running when docker is installed but the socket is missing', async () => {
    const home = await tempHome();
    await fakeInstall(join(home, 'bin'), 'dockerd');
    const status = await probeLocalDocker({
      PATH: join(home, 'bin'),
      DOCKER_HOST: `unix://${home}/docker.sock`,
    });
    expect(status).toMatchObject({ state: 'daemon-not-running' });
    expect(status.hint).toContain('systemctl start docker');
  });

  it('says the daemon is not running when the socket is stale', async () => {
    const home = await tempHome();
    const socket = join(home, 'docker.sock');
    const listener = createServer();
    await new Promise<void>((resolve) => listener.listen(socket, resolve));
    await new Promise<void>((resolve) => listener.close(() => resolve()));
    await writeFile(socket, ''); // a leftover file where the socket was: connecting is refused
    await fakeInstall(join(home, 'bin'), 'docker');
    const status = await probeLocalDocker({
      PATH: join(home, 'bin'),
      DOCKER_HOST: `unix://${socket}`,
    });
    expect(status.state).toBe('daemon-not-running');
  });

  it('explains a DOCKER_HOST it cannot use', async () => {
    const status = await probeLocalDocker({ DOCKER_HOST: 'tcp://127.0.0.1:2375' });
    expect(status).toMatchObject({
      state: 'error',
      message: expect.stringContaining('Unix socket'),
    });
  });
});
