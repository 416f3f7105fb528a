import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Client } from '../../../common/contract/client';
import type { Services } from '../../../main/services';
import {
  captureUuids,
  describeWithParts,
  ensureBuilt,
  ensureTestImage,
  h100Captures,
  sharedDockerd,
  TEST_IMAGE,
  testServices,
  until,
  type DockerEngine,
} from '../../harness';
import { installFakeNvidiaSmi } from '../../harness/fake-nvidia-smi';

describeWithParts(['root', 'dockerd', 'busybox'], 'sessions on "This computer"', () => {
  let engine: DockerEngine;
  let dir: string;
  let services: Services;
  let client: Client;
  let uuids: string[];

  beforeAll(async () => {
    await ensureBuilt();
    engine = await sharedDockerd();
    await ensureTestImage(engine.docker);
    dir = await mkdtemp(join(tmpdir(), 'labdeck-local-sessions-'));
    const captures = await h100Captures(2);
    uuids = captureUuids(captures.gpus);
    const bin = join(dir, 'bin');
    await installFakeNvidiaSmi(bin, { ...captures, apps: '' });
    const runtime = join(dir, 'run');
    await mkdir(runtime, { mode: 0o700 });
    // The laptop's own engine and GPUs, as the local agent and Docker client find them; a runtime
    // directory of its own gives this test a local agent daemon started with this PATH.
    ({ services, client } = testServices(join(dir, 'home'), {
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        DOCKER_HOST: engine.dockerHost,
        XDG_RUNTIME_DIR: runtime,
        LABDECK_AGENT_IDLE_MS: '1000',
      },
    }));
  });

  afterAll(async () => {
    await services?.dispose();
    const left = await engine?.docker.listContainers({
      all: true,
      filters: { label: ['labdeck.name=local-web'] },
    });
    await Promise.all(
      (left ?? []).map((c) => engine.docker.getContainer(c.Id).remove({ force: true })),
    );
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('launches with GPU shares on the local socket, forwards its service and removes it', async () => {
    const started = await client.request('sessions:start', {
      hostId: 'local',
      image: TEST_IMAGE,
      gpus: '0.5',
      ports: 'web:http:8080',
      command: 'mkdir -p /w && echo local > /w/index.html && exec httpd -f -p 8080 -h /w',
      name: 'local-web',
      forward: true,
    });
    expect(started).toMatchObject({
      ok: true,
      value: { host: 'This computer', gpuShares: { [uuids[0]!]: '0.5' }, mine: true },
    });
    if (!started.ok) return;
    const url = started.value.ports[0]!.localUrl!;
    const page = await until('the page', async () => {
      const response = await fetch(url).catch(() => undefined);
      return response?.ok ? response.text() : undefined;
    });
    expect(page).toBe('local\n');
    const listed = await client.request('sessions:list', {});
    expect(listed.ok && listed.value.sessions.map((s) => s.name)).toContain('local-web');
    expect(await client.request('sessions:remove', { session: 'local-web' })).toMatchObject({
      ok: true,
    });
  });
});
