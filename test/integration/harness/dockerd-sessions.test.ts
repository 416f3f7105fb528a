import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { promisify } from 'node:util';
import type Dockerode from 'dockerode';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { localDocker } from '../../../main/docker/local-docker';
import {
  BRIDGE_ALIAS_TAG,
  BRIDGE_PREFIX,
  describeWithParts,
  ensureTestImage,
  sharedDockerd,
  startDockerd,
  TEST_IMAGE,
  until,
  type DockerEngine,
  execInContainer,
} from '../../harness';

const execFileAsync = promisify(execFile);

/** Two GPU UUIDs in nvidia-smi's form; no such GPUs exist here, the stand-in hook needs none. */
const GPU_UUIDS = [
  'GPU-aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa',
  'GPU-bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb',
] as const;

/** One GPU DeviceRequest for exactly `uuids`, as a session asks Docker for its shares. */
function gpuRequest(uuids: readonly string[]): Dockerode.DeviceRequest[] {
  return [{ Driver: 'nvidia', DeviceIDs: [...uuids], Capabilities: [['gpu']] }];
}

/** The addresses listening on TCP `port` on this machine, from /proc/net/tcp and tcp6. */
async function listenersOn(port: number): Promise<string[]> {
  const listeners: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const rows = (await readFile(file, 'utf8')).trim().split('\n').slice(1);
    for (const row of rows) {
      const [, local = '', , state] = row.trim().split(/\s+/);
      const [addressHex = '', portHex = ''] = local.split(':');
      if (state !== '0A' || Number.parseInt(portHex, 16) !== port) continue;
      // IPv4 is one little-endian word: 0100007F is 127.0.0.1. IPv6 is shown as the kernel writes it.
      const v4 = addressHex.length === 8 ? addressHex.match(/../g)?.reverse() : undefined;
      listeners.push(
        v4 ? v4.map((byte) => Number.parseInt(byte, 16)).join('.') : `[${addressHex}]`,
      );
    }
  }
  return listeners;
}

/** 'connected', or the error code of a TCP connect to `host`:`port`. */
function connectOutcome(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** The machine's bridges named like the harness's, with their aliases. */
async function harnessBridges(): Promise<Map<string, string>> {
  const { stdout } = await execFileAsync('/usr/sbin/ip', [
    '-json',
    'link',
    'show',
    'type',
    'bridge',
  ]);
  const links = JSON.parse(stdout || '[]') as { ifname: string; ifalias?: string }[];
  return new Map(
    links
      .filter((link) => link.ifname.startsWith(BRIDGE_PREFIX))
      .map((link) => [link.ifname, link.ifalias ?? '']),
  );
}

/** The pid of a process that has exited: a watchdog that is gone. */
async function deadPid(): Promise<number> {
  const child = spawn('/bin/true');
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describeWithParts(
  ['root', 'dockerd', 'busybox', 'tar'],
  'harness dockerd: GPU requests and published ports',
  () => {
    let engine: DockerEngine;
    let docker: Dockerode;
    const containers: Dockerode.Container[] = [];

    beforeAll(async () => {
      engine = await sharedDockerd();
      await ensureTestImage(engine.docker);
      // LabDeck's own client for a local engine, pointed at the harness's socket.
      docker = await localDocker({ DOCKER_HOST: engine.dockerHost });
    });

    afterEach(async () => {
      await Promise.all(containers.splice(0).map((c) => c.remove({ force: true })));
    });

    it('accepts an nvidia DeviceRequest and hands the container exactly the requested UUIDs', async () => {
      const container = await docker.createContainer({
        Image: TEST_IMAGE,
        Cmd: ['sleep', '300'],
        HostConfig: { NetworkMode: 'none', DeviceRequests: gpuRequest(GPU_UUIDS) },
      });
      containers.push(container);
      await container.start();
      const environ = await execInContainer(docker, container, ['cat', '/proc/1/environ']);
      expect(environ.exitCode).toBe(0);
      const visible = environ.stdout
        .split('\0')
        .filter((entry) => entry.startsWith('NVIDIA_VISIBLE_DEVICES='));
      expect(visible).toEqual([`NVIDIA_VISIBLE_DEVICES=${GPU_UUIDS.join(',')}`]);
      const inspected = await container.inspect();
      expect(inspected.HostConfig.DeviceRequests).toMatchObject(gpuRequest(GPU_UUIDS));
    });

    it('publishes a container port on 127.0.0.1 only, on a port Docker picks', async () => {
      const serve =
        'mkdir /www && echo "labdeck page" > /www/index.html && exec httpd -f -p 8080 -h /www';
      const container = await docker.createContainer({
        Image: TEST_IMAGE,
        Cmd: ['sh', '-c', serve],
        ExposedPorts: { '8080/tcp': {} },
        HostConfig: { PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
      });
      containers.push(container);
      await container.start();
      const { NetworkSettings } = await container.inspect();
      expect(NetworkSettings.Networks.bridge?.Gateway).toBe(engine.bridge.gateway);
      const bindings = NetworkSettings.Ports['8080/tcp'];
      expect(bindings).toHaveLength(1);
      expect(bindings?.[0]?.HostIp).toBe('127.0.0.1');
      const port = Number(bindings?.[0]?.HostPort);
      expect(port).toBeGreaterThan(1024);

      const page = await until('the page through the published port', async () => {
        const response = await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined);
        return response?.ok ? response.text() : undefined;
      });
      expect(page).toBe('labdeck page\n');

      // Only loopback listens on the port; the bridge's and the machine's other addresses refuse.
      expect(await listenersOn(port)).toEqual(['127.0.0.1']);
      const others = Object.values(networkInterfaces())
        .flat()
        .filter((address) => address?.family === 'IPv4' && !address.internal)
        .map((address) => address!.address);
      expect(others).toContain(engine.bridge.gateway);
      for (const address of new Set(others)) {
        expect([address, await connectOutcome(address, port)]).toEqual([address, 'ECONNREFUSED']);
      }
    });

    it('gives each engine a bridge of its own and deletes it on stop', async () => {
      expect(engine.bridge.name.startsWith(BRIDGE_PREFIX)).toBe(true);
      expect(engine.bridge.subnet).toMatch(/^10\.213\.\d+\.0\/24$/);
      const own = await startDockerd();
      try {
        expect(own.bridge.name).not.toBe(engine.bridge.name);
        expect(own.bridge.subnet).not.toBe(engine.bridge.subnet);
        expect((await harnessBridges()).has(own.bridge.name)).toBe(true);
      } finally {
        await own.stop();
      }
      const after = await harnessBridges();
      expect(after.has(own.bridge.name)).toBe(false);
      expect(after.has(engine.bridge.name)).toBe(true);
    });

    it('deletes the bridge of a killed run when an engine starts, and keeps live ones', async () => {
      const taken = await harnessBridges();
      // The last free name, far from those engines take first.
      const index = [...Array(256).keys()].reverse().find((n) => !taken.has(BRIDGE_PREFIX + n));
      const name = `${BRIDGE_PREFIX}${index}`;
      const alias = `${BRIDGE_ALIAS_TAG} ${await deadPid()} /tmp/ld-dk-killed`;
      await execFileAsync('/usr/sbin/ip', ['link', 'add', name, 'type', 'bridge']);
      await execFileAsync('/usr/sbin/ip', ['link', 'set', name, 'alias', alias]);
      expect((await harnessBridges()).get(name)).toBe(alias);
      const own = await startDockerd();
      try {
        const bridges = await harnessBridges();
        expect([...bridges.values()]).not.toContain(alias);
        expect(bridges.has(engine.bridge.name)).toBe(true);
      } finally {
        await own.stop();
        if ((await harnessBridges()).get(name) === alias) {
          await execFileAsync('/usr/sbin/ip', ['link', 'delete', name]);
        }
      }
    });

    it('without the stand-in hook, refuses an nvidia DeviceRequest', async () => {
      const plain = await startDockerd({ gpus: false });
      try {
        await ensureTestImage(plain.docker);
        const container = await plain.docker.createContainer({
          Image: TEST_IMAGE,
          Cmd: ['sleep', '300'],
          HostConfig: { NetworkMode: 'none', DeviceRequests: gpuRequest(GPU_UUIDS) },
        });
        await expect(container.start()).rejects.toThrow(/could not select device driver "nvidia"/);
        await container.remove({ force: true });
      } finally {
        await plain.stop();
      }
    });
  },
);
