import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  containerIdFromCgroup,
  readProcessOwners,
  uidFromStatus,
} from '../../../agent-bundle/gpu/process-owner';
import { UserNames } from '../../../agent-bundle/gpu/user-names';

const ID = 'f3c4a1b2d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f80';
const OTHER = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

/** Lines written the way the kernel prints them for each case (`man 7 cgroups`). */
describe('containerIdFromCgroup', () => {
  it.each([
    [
      'v1, cgroupfs driver',
      `12:memory:/docker/${ID}\n11:pids:/docker/${ID}\n1:name=systemd:/docker/${ID}\n`,
    ],
    [
      'v1, systemd driver',
      `4:memory:/system.slice/docker-${ID}.scope\n0::/system.slice/docker-${ID}.scope\n`,
    ],
    ['v2, systemd driver', `0::/system.slice/docker-${ID}.scope\n`],
    ['v2, cgroupfs driver', `0::/docker/${ID}\n`],
    ['v2, systemd inside the container', `0::/system.slice/docker-${ID}.scope/init.scope\n`],
    [
      'rootless Docker',
      `0::/user.slice/user-1000.slice/user@1000.service/user.slice/docker-${ID}.scope\n`,
    ],
    ['hybrid: v1 knows, v2 is the root', `9:memory:/docker/${ID}\n0::/\n`],
    ['nested: the innermost container', `0::/docker/${OTHER}/docker/${ID}\n`],
  ])('finds the container: %s', (_case, text) => {
    expect(containerIdFromCgroup(text)).toBe(ID);
  });

  it.each([
    ['a host process under systemd', '0::/user.slice/user-1000.slice/session-3.scope\n'],
    ['containerd itself', '0::/system.slice/containerd.service\n'],
    ['a containerd (CRI) container', `0::/system.slice/cri-containerd-${ID}.scope\n`],
    ['podman', `0::/machine.slice/libpod-${ID}.scope/container\n`],
    ['a Kubernetes pod on Docker, v1', `12:memory:/kubepods/besteffort/pod4a1b/${ID}\n`],
    [
      'a Kubernetes pod on Docker, v2',
      `0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod4a1b.slice/docker-${ID}.scope\n`,
    ],
    [
      "this sandbox: a 32-digit id that is not Docker's",
      '4:memory:/process_api/5c6bd49fb3efa199b44e723ed4d3db09\n0::/\n',
    ],
    ['a docker-like name with a short id', '0::/system.slice/docker-5c6bd49fb3ef.scope\n'],
    ['empty text', ''],
  ])('gives null for %s', (_case, text) => {
    expect(containerIdFromCgroup(text)).toBeNull();
  });

  it('reads the real /proc/self/cgroup of this test without throwing', async () => {
    const text = await readFile('/proc/self/cgroup', 'utf8');
    // Seen on the development machine: hybrid v1/v2, `4:memory:/process_api/<32 hex>` and `0::/`
    // (in a container, but with its own cgroup namespace, so no Docker path shows). Where a
    // runner does show a Docker path, the id must be found instead.
    const dockerPath = /docker[-/]([0-9a-f]{64})/.exec(text);
    expect(containerIdFromCgroup(text)).toBe(dockerPath?.[1] ?? null);
  });
});

describe('uidFromStatus', () => {
  it('takes the real uid, not the effective one', () => {
    expect(
      uidFromStatus('Name:\tpython\nUid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\n'),
    ).toBe(1000);
    expect(uidFromStatus('Name:\tkthreadd\n')).toBeNull();
  });
});

describe('readProcessOwners', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'labdeck-proc-'));
    await mkdir(join(root, 'proc', '4242'), { recursive: true });
    await writeFile(join(root, 'proc', '4242', 'cgroup'), `0::/system.slice/docker-${ID}.scope\n`);
    await writeFile(
      join(root, 'proc', '4242', 'status'),
      'Name:\tpython3\nUid:\t1000\t1000\t1000\t1000\n',
    );
    await mkdir(join(root, 'proc', '4243'));
    await writeFile(
      join(root, 'proc', '4243', 'cgroup'),
      '0::/user.slice/user-1001.slice/session-2.scope\n',
    );
    await writeFile(
      join(root, 'proc', '4243', 'status'),
      'Name:\ttrain\nUid:\t1001\t1001\t1001\t1001\n',
    );
    await writeFile(
      join(root, 'passwd'),
      'root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/bash\n',
    );
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('finds container and user from a proc folder the test wrote', async () => {
    const owners = await readProcessOwners([4242, 4243, 4244, -1], {
      procRoot: join(root, 'proc'),
      // No getent: the passwd file the test wrote is the only source.
      userNames: new UserNames({ getent: null, passwdPath: join(root, 'passwd') }),
    });
    expect([...owners.values()]).toEqual([
      { pid: 4242, containerId: ID, uid: 1000, user: 'alice' },
      { pid: 4243, containerId: null, uid: 1001, user: null }, // uid not in passwd (LDAP user)
      { pid: 4244, containerId: null, uid: null, user: null }, // exited in between
      { pid: -1, containerId: null, uid: null, user: null },
    ]);
  });

  it('finds this test process in the real /proc, named through NSS', async () => {
    const owner = (await readProcessOwners([process.pid])).get(process.pid);
    expect(owner).toMatchObject({
      pid: process.pid,
      uid: process.getuid?.(),
      user: userInfo().username,
    });
  });
});
