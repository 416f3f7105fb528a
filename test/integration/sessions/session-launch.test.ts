import { appendFile, chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Session } from '../../../common/contract/sessions';
import {
  describeWithParts,
  startSessionHost,
  startSshd,
  TEST_IMAGE,
  until,
  type SessionHost,
  type SessionUser,
  execInContainer,
  cutSshConnections,
} from '../../harness';

const run = promisify(execFile);

/** Serves one page on 8080 from busybox's httpd, as a session's service. */
const SERVE_PAGE =
  'mkdir -p /www && echo "hello from the session" > /www/index.html && exec httpd -f -p 8080 -h /www';

/** `cmd`'s stdout inside the container, as the host's engine runs it (docker exec). */
async function execIn(host: SessionHost, containerId: string, cmd: string[]): Promise<string> {
  const docker = host.dockerd.docker;
  return (await execInContainer(docker, docker.getContainer(containerId), cmd)).stdout;
}

/** The GPU UUIDs the container's first process was given, from /proc/1/environ. */
async function visibleDevices(host: SessionHost, session: Session): Promise<string | undefined> {
  const environ = await execIn(host, session.containerId, ['cat', '/proc/1/environ']);
  return environ
    .split('\0')
    .find((entry) => entry.startsWith('NVIDIA_VISIBLE_DEVICES='))
    ?.slice('NVIDIA_VISIBLE_DEVICES='.length);
}

describeWithParts(
  ['root', 'sshd', 'dockerd', 'busybox'],
  'sessions launched over SSH on a GPU host',
  () => {
    let host: SessionHost;
    let ada: SessionUser;
    let grace: SessionUser;

    beforeAll(async () => {
      host = await startSessionHost(2);
      [ada, grace] = await Promise.all([host.addUser('sess-ada'), host.addUser('sess-grace')]);
    });

    afterAll(async () => {
      await host?.stop();
      if (sharing) await rm(sharing, { recursive: true, force: true });
    });
    let sharing: string | undefined;
    /** The local address of the first test's forward, which a disconnect must close. */
    let webUrl: string | undefined;

    it('starts a session serving http, forwards it to the laptop, and the page comes through', async () => {
      const started = await ada.client.request('sessions:start', {
        hostId: 'lab',
        image: TEST_IMAGE,
        ports: 'web:http:8080',
        command: SERVE_PAGE,
        name: 'web',
      });
      expect(started).toMatchObject({
        ok: true,
        value: {
          name: 'web',
          host: 'lab',
          owner: ada.user.username,
          mine: true,
          status: 'running',
        },
      });
      if (!started.ok) return;
      expect(started.value.ports).toEqual([
        { name: 'web', protocol: 'http', containerPort: 8080, localUrl: null },
      ]);
      // Published on the host's loopback only, at a port Docker picked.
      const inspected = await host.dockerd.docker.getContainer(started.value.containerId).inspect();
      const bindings = inspected.NetworkSettings.Ports['8080/tcp'];
      expect(bindings?.map((b) => b.HostIp)).toEqual(['127.0.0.1']);

      const forward = await ada.client.request('sessions:wait-service', {
        session: 'web',
        name: 'web',
      });
      expect(forward).toMatchObject({ ok: true, value: { name: 'web' } });
      if (!forward.ok) return;
      expect(forward.value.localUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      webUrl = forward.value.localUrl;
      const page = await fetch(forward.value.localUrl).then((r) => r.text());
      expect(page).toBe('hello from the session\n');
      const listed = await ada.client.request('sessions:list', { hostId: 'lab' });
      expect(
        listed.ok && listed.value.sessions.find((s) => s.name === 'web')?.ports[0]?.localUrl,
      ).toBe(forward.value.localUrl);
    });

    it('gives GPU shares evenly and hands the container exactly those UUIDs', async () => {
      const [first, second] = host.uuids;
      const one = await ada.client.request('sessions:start', {
        hostId: 'lab',
        image: TEST_IMAGE,
        gpus: '1.5',
        name: 'train',
      });
      expect(one).toMatchObject({
        ok: true,
        value: { gpuShares: { [first!]: '0.75', [second!]: '0.75' }, enforcement: 'none' },
      });
      if (!one.ok) return;
      expect(await visibleDevices(host, one.value)).toBe(`${first},${second}`);
      const inspected = await host.dockerd.docker.getContainer(one.value.containerId).inspect();
      expect(inspected.HostConfig.DeviceRequests).toMatchObject([
        { Driver: 'nvidia', DeviceIDs: [first, second], Capabilities: [['gpu']] },
      ]);

      // 0.25 fits on one GPU: it goes there whole, not split.
      const small = await ada.client.request('sessions:start', {
        hostId: 'lab',
        image: TEST_IMAGE,
        gpus: '0.25',
      });
      expect(small).toMatchObject({ ok: true, value: { gpuShares: { [first!]: '0.25' } } });
      if (small.ok) expect(await visibleDevices(host, small.value)).toBe(first);

      // What is left (0 + 0.25) cannot hold 1: refused, naming what is free, nothing created.
      const before = (await host.dockerd.docker.listContainers({ all: true })).length;
      const refused = await ada.client.request('sessions:start', {
        hostId: 'lab',
        image: TEST_IMAGE,
        gpus: '1',
      });
      expect(refused).toMatchObject({ ok: false, error: { code: 'insufficient' } });
      expect((await host.dockerd.docker.listContainers({ all: true })).length).toBe(before);

      for (const ref of ['train', small.ok ? small.value.id : ''])
        expect(await ada.client.request('sessions:remove', { session: ref })).toMatchObject({
          ok: true,
        });
    });

    it('gives a session without GPUs none, even when the image would ask for all', async () => {
      const started = await ada.client.request('sessions:start', {
        hostId: 'lab',
        image: TEST_IMAGE,
        name: 'cpu-only',
      });
      expect(started).toMatchObject({
        ok: true,
        value: { gpuShares: {}, enforcement: null, status: 'running' },
      });
      if (!started.ok) return;
      expect(await visibleDevices(host, started.value)).toBe('void');
      await ada.client.request('sessions:remove', { session: 'cpu-only' });
    });

    it('refuses a bad form field by field and starts nothing', async () => {
      const before = (await host.dockerd.docker.listContainers({ all: true })).length;
      const refused = await ada.client.request('sessions:start', {
        hostId: 'lab',
        image: TEST_IMAGE,
        gpus: '0.333',
        memory: 'lots',
        ports: 'jupyter:http:80,jupyter:tcp:2200',
      });
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-session' } });
      if (refused.ok) return;
      expect(refused.error.message).toMatch(/memory: "lots" is not a size/);
      expect(refused.error.message).toMatch(/ports: .*80.*1025/);
      expect(refused.error.message).toMatch(/2200/);
      expect((await host.dockerd.docker.listContainers({ all: true })).length).toBe(before);
      const missing = await ada.client.request('sessions:start', {
        hostId: 'lab',
        image: 'labdeck-test/absent:1',
      });
      expect(missing).toMatchObject({
        ok: false,
        error: {
          code: 'image-not-on-host',
          hint: expect.stringContaining('labdeck session pull lab labdeck-test/absent:1'),
        },
      });
    });

    it("shows another user's session read-only", async () => {
      const theirs = await grace.client.request('sessions:start', {
        hostId: 'lab',
        image: TEST_IMAGE,
        name: 'graces',
      });
      expect(theirs).toMatchObject({ ok: true, value: { owner: grace.user.username } });
      await ada.client.request('hosts:connect', { hostId: 'lab' });
      const listed = await ada.client.request('sessions:list', {});
      const seen = listed.ok ? listed.value.sessions.find((s) => s.name === 'graces') : undefined;
      expect(listed.ok && listed.value.unreachable).toEqual([]);
      expect(seen).toMatchObject({ owner: grace.user.username, mine: false, host: 'lab' });
      const stop = await ada.client.request('sessions:stop', { session: 'graces' });
      expect(stop).toMatchObject({ ok: false, error: { code: 'session-not-yours' } });
      expect(stop.ok ? '' : stop.error.message).toMatch(/belongs to labdeck-test-sess-grace/);
      // Nor is their output theirs to read, or their service ever exposed on this laptop.
      const output = await new Promise<{ code?: string }>((resolve) =>
        ada.client.openStream(
          'sessions:logs',
          { session: 'graces' },
          { data: () => undefined, end: (error) => resolve({ code: error?.code }) },
        ),
      );
      expect(output).toEqual({ code: 'session-not-yours' });
      const forward = await ada.client.request('sessions:forward', {
        session: 'graces',
        name: 'web',
      });
      expect(forward).toMatchObject({ ok: false, error: { code: 'session-not-yours' } });
      expect(await grace.client.request('sessions:remove', { session: 'graces' })).toMatchObject({
        ok: true,
      });
    });

    it('keeps running while the laptop is disconnected, and is listed again after', async () => {
      const started = await ada.client.request('sessions:start', {
        hostId: 'lab',
        image: TEST_IMAGE,
        name: 'durable',
      });
      expect(started).toMatchObject({ ok: true });
      await ada.client.request('hosts:disconnect', { hostId: 'lab' });
      await until('the SSH connection is gone', async () => {
        const listed = await ada.client.request('hosts:list', {});
        return (
          listed.ok && listed.value.find((h) => h.name === 'lab')?.connection.phase !== 'connected'
        );
      });
      // Disconnecting closes this laptop's forwards to the host: nothing connects it again.
      await expect(fetch(webUrl!)).rejects.toThrow();
      const onHost = await host.dockerd.docker.listContainers({
        filters: { label: ['labdeck.name=durable'] },
      });
      expect(onHost.map((c) => c.State)).toEqual(['running']);
      const again = await ada.client.request('sessions:list', { hostId: 'lab' });
      expect(again.ok && again.value.sessions.find((s) => s.name === 'durable')?.status).toBe(
        'running',
      );
    });

    it('stops, restarts and removes a session, its shares following its state', async () => {
      const started = await ada.client.request('sessions:start', {
        hostId: 'lab',
        image: TEST_IMAGE,
        gpus: '1',
        name: 'cycle',
      });
      expect(started).toMatchObject({ ok: true });
      const stopped = await ada.client.request('sessions:stop', { session: 'cycle' });
      expect(stopped).toMatchObject({ ok: true, value: { status: 'exited' } });
      const restarted = await ada.client.request('sessions:restart', { session: 'cycle' });
      expect(restarted).toMatchObject({ ok: true, value: { status: 'running' } });
      const removed = await ada.client.request('sessions:remove', { session: 'cycle' });
      expect(removed).toMatchObject({ ok: true });
      const after = await ada.client.request('sessions:list', { hostId: 'lab' });
      expect(after.ok && after.value.sessions.some((s) => s.name === 'cycle')).toBe(false);
    });

    it('enforces fractions as the host allows: HAMi-core, CUDA MPS, or whole GPUs exclusive', async () => {
      sharing = await mkdtemp('/tmp/labdeck-sharing-');
      await chmod(sharing, 0o755);
      const library = join(sharing, 'libvgpu.so');
      await writeFile(library, 'stand-in for HAMi-core\n', { mode: 0o644 });
      const pipes = join(sharing, 'mps');
      await mkdir(pipes, { mode: 0o755 });
      // The MPS control daemon's pipe is a FIFO (a plain file, as another user could plant, is not).
      await run('mkfifo', ['-m', '0644', join(pipes, 'control')]);
      const hami = await host.addUser('sess-hami');
      await appendFile(join(hami.user.home, '.bashrc'), `export LABDECK_HAMI_LIBRARY=${library}\n`);
      const mps = await host.addUser('sess-mps');
      await appendFile(join(mps.user.home, '.bashrc'), `export CUDA_MPS_PIPE_DIRECTORY=${pipes}\n`);

      const limited = await hami.client.request('sessions:start', {
        hostId: 'lab',
        image: TEST_IMAGE,
        gpus: '0.5',
      });
      expect(limited).toMatchObject({ ok: true, value: { enforcement: 'hami' } });
      if (!limited.ok) return;
      const inspected = await host.dockerd.docker.getContainer(limited.value.containerId).inspect();
      expect(inspected.Config.Env).toEqual(
        expect.arrayContaining([
          'LD_PRELOAD=/usr/local/vgpu/libvgpu.so',
          'CUDA_DEVICE_SM_LIMIT=50',
          // Half of the H100's 81 559 MiB.
          'CUDA_DEVICE_MEMORY_LIMIT_0=40779m',
        ]),
      );
      expect(
        await execIn(host, limited.value.containerId, ['cat', '/usr/local/vgpu/libvgpu.so']),
      ).toBe('stand-in for HAMi-core\n');

      const capped = await mps.client.request('sessions:start', {
        hostId: 'lab',
        image: TEST_IMAGE,
        gpus: '0.25',
      });
      expect(capped).toMatchObject({ ok: true, value: { enforcement: 'mps' } });
      if (!capped.ok) return;
      const mpsContainer = await host.dockerd.docker
        .getContainer(capped.value.containerId)
        .inspect();
      expect(mpsContainer.HostConfig.IpcMode).toBe('host');
      expect(mpsContainer.Config.Env).toEqual(
        expect.arrayContaining([
          `CUDA_MPS_PIPE_DIRECTORY=${pipes}`,
          'CUDA_MPS_ACTIVE_THREAD_PERCENTAGE=25',
        ]),
      );
      expect(await execIn(host, capped.value.containerId, ['ls', pipes])).toBe('control\n');

      // What is left is 0.25 + 0.5: a whole GPU does not fit, so remove them and take one whole.
      await hami.client.request('sessions:remove', { session: limited.value.id });
      await mps.client.request('sessions:remove', { session: capped.value.id });
      const whole = await mps.client.request('sessions:start', {
        hostId: 'lab',
        image: TEST_IMAGE,
        gpus: '1',
      });
      expect(whole).toMatchObject({ ok: true, value: { enforcement: 'exclusive' } });
      if (whole.ok) await mps.client.request('sessions:remove', { session: whole.value.id });
    });

    it('previews the shares and GiB a request would get, and why one cannot be given', async () => {
      const [first, second] = host.uuids;
      const preview = await ada.client.request('sessions:preview', { hostId: 'lab', gpus: '1.5' });
      expect(preview).toMatchObject({
        ok: true,
        value: {
          shares: { [first!]: '0.75', [second!]: '0.75' },
          memoryGiB: { [first!]: 59.7, [second!]: 59.7 },
          enforcement: 'none',
          error: null,
        },
      });
      expect(preview.ok && preview.value.gpus.map((g) => [g.index, g.free])).toEqual([
        [0, '1'],
        [1, '1'],
      ]);
      const tooMuch = await ada.client.request('sessions:preview', { hostId: 'lab', gpus: '3' });
      expect(tooMuch).toMatchObject({
        ok: true,
        value: { shares: null, error: { code: 'insufficient' } },
      });
      const odd = await ada.client.request('sessions:preview', { hostId: 'lab', gpus: '0.333' });
      expect(odd).toMatchObject({
        ok: true,
        value: { error: { code: 'not-multiple-of-quantum' } },
      });
    });

    it('survives a dropped SSH connection: the session runs on and its forward works again', async () => {
      const drop = await host.addUser('sess-drop');
      const started = await drop.client.request('sessions:start', {
        hostId: 'lab',
        image: TEST_IMAGE,
        ports: 'web:http:8080',
        command: SERVE_PAGE,
        forward: true,
      });
      expect(started).toMatchObject({ ok: true });
      if (!started.ok) return;
      const url = started.value.ports[0]?.localUrl;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = () =>
        until(
          'the page through the forward',
          async () => {
            const response = await fetch(url!, { signal: AbortSignal.timeout(5_000) }).catch(
              () => undefined,
            );
            return response?.ok ? response.text() : undefined;
          },
          30_000,
        );
      expect(await page()).toBe('hello from the session\n');

      // Kill the server side of the user's SSH connection, as a dropped Wi-Fi ends it.
      await cutSshConnections(drop.user.username);

      // The same local address answers again once LabDeck has reconnected by itself.
      expect(await page()).toBe('hello from the session\n');
      const after = await drop.client.request('sessions:list', { hostId: 'lab' });
      expect(after.ok && after.value.sessions.find((s) => s.id === started.value.id)).toMatchObject(
        {
          status: 'running',
          ports: [{ localUrl: url }],
        },
      );
      await drop.client.request('sessions:remove', { session: started.value.id });
      await expect(fetch(url!)).rejects.toThrow();
    });

    it('follows a quiet session and stops one that ignores SIGTERM: no request is cut short', async () => {
      const started = await ada.client.request('sessions:start', {
        hostId: 'lab',
        image: TEST_IMAGE,
        // `sleep` as PID 1 ignores SIGTERM: docker stop waits its 10 s, then kills it.
        command: 'echo first; sleep 7; echo second; exec sleep 100000',
        name: 'quiet',
      });
      expect(started).toMatchObject({ ok: true });
      let output = '';
      const ended = new Promise<string | undefined>((resolve) => {
        const control = ada.client.openStream(
          'sessions:logs',
          { session: 'quiet', follow: true },
          {
            data: (bytes) => {
              output += Buffer.from(bytes).toString();
              control.ack(bytes.length);
              if (output.includes('second')) {
                control.close();
                resolve(undefined);
              }
            },
            end: (error) => resolve(error?.code ?? 'ended'),
          },
        );
      });
      expect(await ended).toBeUndefined();
      expect(output).toBe('first\nsecond\n');
      const stopped = await ada.client.request('sessions:stop', { session: 'quiet' });
      expect(stopped).toMatchObject({ ok: true, value: { status: 'exited' } });
      await ada.client.request('sessions:remove', { session: 'quiet' });
    }, 60_000);

    it("says at once when the host's SSH server forbids forwarding, instead of waiting", async () => {
      const strict = await startSshd({ config: { AllowTcpForwarding: 'no' } });
      try {
        const user = await host.addUser('sess-strict');
        await user.client.request('hosts:add', {
          name: 'strict',
          user: user.user.username,
          hostname: strict.host,
          port: strict.port,
          identityFile: user.user.privateKeyPath,
        });
        const started = await user.client.request('sessions:start', {
          hostId: 'strict',
          image: TEST_IMAGE,
          ports: 'web:http:8080',
          command: SERVE_PAGE,
        });
        expect(started).toMatchObject({ ok: true });
        if (!started.ok) return;
        const before = Date.now();
        const open = await user.client.request('sessions:wait-service', {
          session: started.value.id,
          name: 'web',
        });
        expect(open).toMatchObject({ ok: false, error: { code: 'forward-refused' } });
        expect(open.ok ? '' : open.error.hint).toMatch(/AllowTcpForwarding/);
        expect(Date.now() - before).toBeLessThan(15_000);
        await user.client.request('sessions:remove', { session: started.value.id });
      } finally {
        await strict.stop();
      }
    });

    it('names a connected host whose sessions cannot be listed, instead of showing none', async () => {
      await ada.client.request('hosts:connect', { hostId: 'lab' });
      await chmod(host.dockerd.socketPath, 0o600);
      try {
        const listed = await ada.client.request('sessions:list', {});
        expect(listed).toMatchObject({
          ok: true,
          value: {
            unreachable: [
              {
                host: 'lab',
                message: expect.stringMatching(
                  /Docker engine did not answer .*labdeck host check lab/,
                ),
              },
            ],
          },
        });
      } finally {
        await chmod(host.dockerd.socketPath, 0o660);
      }
      const again = await ada.client.request('sessions:list', {});
      expect(again.ok && again.value.unreachable).toEqual([]);
    });
  },
);
