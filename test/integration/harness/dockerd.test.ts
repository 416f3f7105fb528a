import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type Dockerode from 'dockerode';
import { afterEach, beforeAll, expect, it } from 'vitest';
import {
  describeWithParts,
  ensureTestImage,
  sharedDockerd,
  startDockerd,
  TEST_IMAGE,
  type DockerEngine,
  execInContainer,
} from '../../harness';

/** The stdout frames of a multiplexed (non-TTY) docker log, per the Engine API's stream format. */
function stdoutOf(logs: Buffer): string {
  let text = '';
  for (let at = 0; at + 8 <= logs.length; at += 8 + logs.readUInt32BE(at + 4)) {
    if (logs[at] === 1)
      text += logs.subarray(at + 8, at + 8 + logs.readUInt32BE(at + 4)).toString();
  }
  return text;
}

describeWithParts(['root', 'dockerd', 'busybox', 'tar'], 'harness dockerd', () => {
  let engine: DockerEngine;
  const containers: Dockerode.Container[] = [];

  /** Create a container from the test image with no network; removed after the test. */
  async function create(cmd: string[]): Promise<Dockerode.Container> {
    const container = await engine.docker.createContainer({
      Image: TEST_IMAGE,
      Cmd: cmd,
      HostConfig: { NetworkMode: 'none' },
    });
    containers.push(container);
    return container;
  }

  beforeAll(async () => {
    engine = await sharedDockerd();
    await ensureTestImage(engine.docker);
  });

  afterEach(async () => {
    await Promise.all(containers.splice(0).map((c) => c.remove({ force: true })));
  });

  it('is a private engine on its own socket, reused within the run', async () => {
    expect(engine.dockerHost).toBe(`unix://${engine.socketPath}`);
    expect(engine.socketPath).toMatch(/^\/tmp\/ld-dk-run-\d+\/docker\.sock$/);
    expect(await sharedDockerd()).toBe(engine);
    const info = await engine.docker.info();
    expect(info.DockerRootDir).toBe(`${dirname(engine.socketPath)}/data`);
  });

  it('builds the test image idempotently', async () => {
    expect(await ensureTestImage(engine.docker)).toBe('labdeck-test/busybox:1');
    const images = await engine.docker.listImages({ filters: { reference: [TEST_IMAGE] } });
    expect(images).toHaveLength(1);
  });

  it('runs a command in a container and reads what it printed', async () => {
    const container = await create(['sh', '-c', 'echo hello; id -un']);
    await container.start();
    expect(await container.wait()).toMatchObject({ StatusCode: 0 });
    const logs = await container.logs({ stdout: true, stderr: true, follow: false });
    expect(stdoutOf(logs)).toBe('hello\nroot\n');
  });

  it('serves a page from busybox httpd and lets tests exec into it', async () => {
    const serve =
      'mkdir /www && echo "labdeck page" > /www/index.html && exec httpd -f -p 8080 -h /www';
    const container = await create(['sh', '-c', serve]);
    await container.start();
    let page = { exitCode: null as number | null, stdout: '' };
    for (let attempt = 0; attempt < 20 && page.exitCode !== 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      page = await execInContainer(engine.docker, container, [
        'wget',
        '-q',
        '-O',
        '-',
        'http://127.0.0.1:8080/',
      ]);
    }
    expect(page).toEqual({ exitCode: 0, stdout: 'labdeck page\n' });
    const cat = await execInContainer(engine.docker, container, ['cat', '/www/index.html']);
    expect(cat).toEqual({ exitCode: 0, stdout: 'labdeck page\n' });
    const missing = await execInContainer(engine.docker, container, ['cat', '/www/nope']);
    expect(missing.exitCode).toBe(1);
  });

  it('stops a private engine and removes its directory', async () => {
    const own = await startDockerd();
    expect(own.socketPath).not.toBe(engine.socketPath);
    await expect(own.docker.ping()).resolves.toBeTruthy();
    await own.stop();
    await expect(own.docker.ping()).rejects.toThrow();
    expect(existsSync(dirname(own.socketPath))).toBe(false);
  });
});
