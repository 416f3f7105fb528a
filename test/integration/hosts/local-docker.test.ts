import { chown, chmod, stat } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeWithParts,
  ensureBuilt,
  runLabdeck,
  sharedDockerd,
  type DockerEngine,
} from '../../harness';

/** Runs a command as root but without capabilities, so file permissions apply to it as to a user. */
const WITHOUT_PRIVILEGES = ['setpriv', '--bounding-set=-all', '--inh-caps=-all'] as const;
const NOBODY_UID = 65534;

interface HostJson {
  name: string;
  kind: string;
  docker: { state: string; version: string | null; hint: string | null; socket: string };
}

describeWithParts(['root', 'dockerd'], '"This computer" against a real Docker engine', () => {
  let engine: DockerEngine;
  let home: string;

  beforeAll(async () => {
    await ensureBuilt();
    engine = await sharedDockerd();
    home = await mkdtemp(join(tmpdir(), 'labdeck-cli-'));
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  const env = (dockerHost: string) => ({
    PATH: process.env.PATH,
    LABDECK_HOME: home,
    DOCKER_HOST: dockerHost,
  });

  it('`labdeck host ls --json` reports the engine reachable with its version', async () => {
    const result = await runLabdeck(['host', 'ls', '--json'], env(engine.dockerHost));
    expect(result.code).toBe(0);
    const [local] = JSON.parse(result.stdout) as HostJson[];
    expect(local).toMatchObject({
      name: 'This computer',
      kind: 'local',
      docker: { state: 'reachable', hint: null },
    });
    expect(local?.docker.version).toBe((await engine.docker.version()).Version);
  });

  it('reports permission denied, with the docker-group fix, when the socket is not ours', async () => {
    const before = await stat(engine.socketPath);
    await chown(engine.socketPath, NOBODY_UID, NOBODY_UID);
    await chmod(engine.socketPath, 0o600);
    try {
      const result = await runLabdeck(
        ['host', 'ls', '--json'],
        env(engine.dockerHost),
        WITHOUT_PRIVILEGES,
      );
      expect(result.code).toBe(0);
      const [local] = JSON.parse(result.stdout) as HostJson[];
      expect(local?.docker.state).toBe('permission-denied');
      expect(local?.docker.hint).toContain('usermod -aG docker');
    } finally {
      await chown(engine.socketPath, before.uid, before.gid);
      await chmod(engine.socketPath, before.mode & 0o777);
    }
  });

  it('reports the daemon not running when dockerd is installed but nothing answers', async () => {
    const result = await runLabdeck(['host', 'ls'], env(`unix://${home}/stopped-docker.sock`));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/This computer\s+local\s+-\s+connected\s+daemon not running/);
    expect(result.stdout).toContain('sudo systemctl start docker');
  });
});
