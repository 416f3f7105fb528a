import { execFile, spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Client } from '../../../common/contract/client';
import type { Result } from '../../../common/contract/result';
import type { Session } from '../../../common/contract/sessions';
import { QUOTA_NOT_ENFORCED_XFS } from '../../../common/folders/folder-view';
import type { Services } from '../../../main/services';
import {
  CLI_BUNDLE,
  describeWithParts,
  ensureTestImage,
  execInContainer,
  runLabdeck,
  SESSION_DOCKER_GROUP,
  startDockerd,
  startSshd,
  stopAgents,
  TEST_IMAGE,
  testServices,
  type DockerDaemon,
  type Sshd,
  type TestUser,
  until,
} from '../../harness';
import { runAs } from '../host-setup/privileged-fixture';
import { FOLDER_HOST_PARTS, makeFolderHost, type FolderHost } from './folder-fixture';

const run = promisify(execFile);
/** This file's own sudo group: the setup tests create and remove the real `labdeck`. */
const GROUP = 'labdeck-test-fcli';
const MiB = 1024 * 1024;
/** The keys of `folder ls --json`, in order (issue 12; keys are only ever added). */
const FOLDER_JSON_KEYS = [
  'name',
  'host',
  'owner',
  'volume',
  'path',
  'permission',
  'quota',
  'cloneable',
  'state',
];

/** The keys of `folder invitations --json`, in order. */
const INVITATION_JSON_KEYS = ['id', 'folder', 'owner', 'invitee', 'permission', 'state'];
/** Files in the folder whose clone is cancelled: enough that cp takes seconds even with reflink. */
const MANY_DIRS = 60;
const FILES_PER_DIR = 1000;

/** Every path under `root`, with each file's content: equal trees list the same. */
async function tree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const lines: string[] = [];
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    const relative = path.slice(root.length);
    lines.push(entry.isFile() ? `${relative} ${await readFile(path, 'utf8')}` : relative);
  }
  return lines.sort();
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

describeWithParts(
  [...FOLDER_HOST_PARTS, 'sshd', 'dockerd', 'busybox'],
  '`labdeck folder` and sessions mounting folders, over the real sshd and Docker engine, on XFS',
  () => {
    let host: FolderHost;
    let alice: TestUser;
    let bob: TestUser;
    let dockerd: DockerDaemon;
    let sshd: Sshd;
    let home: string;
    let services: Services;
    let client: Client;
    let env: NodeJS.ProcessEnv;
    let session: Session;

    const labdeck = (...args: string[]) => runLabdeck(args, env);
    /** `script`'s output and exit code inside the session's container (docker exec). */
    const inSession = async (script: string) => {
      const container = dockerd.docker.getContainer(session.containerId);
      const done = await execInContainer(dockerd.docker, container, ['sh', '-c', `${script} 2>&1`]);
      return { code: done.exitCode, out: done.stdout };
    };
    const sessionNames = async () =>
      (await dockerd.docker.listContainers({ all: true })).map((c) => c.Labels['labdeck.name']);

    beforeAll(async () => {
      host = await makeFolderHost({ group: GROUP, users: ['fc-alice', 'fc-bob'] });
      [alice, bob] = host.users as [TestUser, TestUser];
      dockerd = await startDockerd();
      await ensureTestImage(dockerd.docker);
      // Alice reaches the engine as a member of its socket's group, as `docker` is on a host.
      await run('groupadd', ['-f', SESSION_DOCKER_GROUP]);
      await chmod(dirname(dockerd.socketPath), 0o711);
      await run('chgrp', [SESSION_DOCKER_GROUP, dockerd.socketPath]);
      await chmod(dockerd.socketPath, 0o660);
      for (const user of [alice, bob]) {
        await run('usermod', ['-aG', SESSION_DOCKER_GROUP, user.username]);
        // First in ~/.bashrc: Debian's returns early for the non-interactive shells LabDeck runs.
        const bashrc = join(user.home, '.bashrc');
        const rest = await readFile(bashrc, 'utf8').catch(() => '');
        await writeFile(bashrc, `export DOCKER_HOST=unix://${dockerd.socketPath}\n${rest}`);
      }
      sshd = await startSshd({
        config: {
          SetEnv: `LABDECK_SYSTEM_ROOT=${host.installed.root} LABDECK_HELPER_GROUP=${GROUP}`,
        },
      });
      home = await mkdtemp(join(tmpdir(), 'labdeck-fcli-home-'));
      ({ services, client } = testServices(home));
      for (const [name, user] of [
        ['lab', alice],
        ['bob-lab', bob],
      ] as const) {
        value(
          await client.request('hosts:add', {
            name,
            user: user.username,
            hostname: sshd.host,
            port: sshd.port,
            identityFile: user.privateKeyPath,
          }),
        );
        // Once through the services, so the host key is recorded as a first connect does.
        value(await client.request('hosts:connect', { hostId: name }));
      }
      env = { PATH: process.env.PATH, LABDECK_HOME: home, HOME: home, LABDECK_NO_APP: '1' };
    }, 300_000);

    afterAll(async () => {
      await services?.dispose();
      await sshd?.stop();
      await dockerd?.stop();
      for (const user of [alice, bob]) if (user) await stopAgents(user.username);
      await host?.remove();
      if (home) await rm(home, { recursive: true, force: true });
    });

    it('creates folders from the CLI and lists them as JSON with exactly the documented keys', async () => {
      const made = await labdeck('folder', 'create', 'lab', 'data', '--quota', '100m', '--json');
      expect(made.code, made.stderr).toBe(0);
      expect(Object.keys(JSON.parse(made.stdout) as object)).toEqual(FOLDER_JSON_KEYS);
      for (const name of ['scratch', '.local']) {
        const other = await labdeck('folder', 'create', 'lab', name);
        expect(other.code, other.stderr).toBe(0);
        expect(other.stdout).toBe(`Created ${name}.\n`);
      }
      const listed = await labdeck('folder', 'ls', 'lab', '--json');
      expect(listed.code, listed.stderr).toBe(0);
      const folders = JSON.parse(listed.stdout) as Record<string, unknown>[];
      expect(folders.map((f) => f.name).sort()).toEqual(['.local', 'data', 'scratch']);
      for (const folder of folders) expect(Object.keys(folder)).toEqual(FOLDER_JSON_KEYS);
      const data = folders.find((f) => f.name === 'data')!;
      expect(data).toMatchObject({
        host: 'lab',
        owner: alice.username,
        volume: 'xfs',
        permission: 'owner',
        cloneable: false,
        state: 'ready',
        quota: { limitBytes: 100 * MiB, enforced: false, reason: QUOTA_NOT_ENFORCED_XFS },
      });
      expect(Object.keys(data.quota as object)).toEqual([
        'limitBytes',
        'usedBytes',
        'enforced',
        'reason',
      ]);
      const table = await labdeck('folder', 'ls', 'lab');
      expect(table.stdout).toMatch(/^NAME +ACCESS +VOLUME +USAGE +STATE\n/);
      expect(table.stdout).toContain(`data: the quota is ${QUOTA_NOT_ENFORCED_XFS}`);
      const wrote = await runAs(alice.username, [
        '/bin/sh',
        '-c',
        `echo "from the host" > ${data.path as string}/hello.txt`,
      ]);
      expect(wrote.code, wrote.stderr).toBe(0);
    });

    it('refuses a folder that cannot be mounted before starting anything', async () => {
      const refused = await labdeck(
        'session',
        'start',
        'lab',
        '--image',
        TEST_IMAGE,
        '--mount',
        'nothere',
        '--name',
        'never',
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('You have no folder "nothere"');
      expect(await sessionNames()).not.toContain('never');
    });

    it('mounts data read-only, scratch read-write and .local unnamed into a session started with --mount', async () => {
      const started = await labdeck(
        'session',
        'start',
        'lab',
        '--image',
        TEST_IMAGE,
        '--name',
        'mounted',
        '--mount',
        'data:ro',
        '--mount',
        'scratch',
        '--json',
      );
      expect(started.code, started.stderr).toBe(0);
      const listed = value(await client.request('sessions:list', { hostId: 'lab' }));
      session = listed.sessions.find((s) => s.name === 'mounted')!;
      expect(
        session.mounts.map(({ name, target, readOnly }) => ({ name, target, readOnly })),
      ).toEqual([
        { name: 'data', target: '/home/work/data', readOnly: true },
        { name: 'scratch', target: '/home/work/scratch', readOnly: false },
        { name: '.local', target: '/home/work/.local', readOnly: false },
      ]);
      expect(await inSession('cat /home/work/data/hello.txt')).toEqual({
        code: 0,
        out: 'from the host\n',
      });
      const readOnly = await inSession('touch /home/work/data/new');
      expect(readOnly.code).not.toBe(0);
      expect(readOnly.out).toContain('Read-only file system');
      expect(await inSession('echo trained > /home/work/scratch/model.txt')).toEqual({
        code: 0,
        out: '',
      });
      expect(await inSession('mkdir -p /home/work/.local/lib && echo ok')).toEqual({
        code: 0,
        out: 'ok\n',
      });
      const folders = value(await client.request('folders:list', { hostId: 'lab' })).folders;
      const scratch = folders.find((f) => f.name === 'scratch')!;
      expect(await readFile(join(scratch.path, 'model.txt'), 'utf8')).toBe('trained\n');
      // HOME is /home/work (the image's is /root), so `pip install --user` lands in .local.
      expect(await inSession('echo $HOME; pwd')).toEqual({
        code: 0,
        out: '/home/work\n/home/work\n',
      });
      expect(
        await inSession('mkdir -p "$HOME/.local/bin" && echo tool > "$HOME/.local/bin/tool"'),
      ).toEqual({ code: 0, out: '' });
      const local = folders.find((f) => f.name === '.local')!;
      expect(await readFile(join(local.path, 'bin/tool'), 'utf8')).toBe('tool\n');
    });

    it('refuses to trash a folder the running session mounts, naming it, until it stops', async () => {
      const refused = await client.request('folders:trash', { hostId: 'lab', name: 'data' });
      expect(refused).toEqual({
        ok: false,
        error: {
          code: 'folder-mounted',
          message: 'Folder "data" is mounted by the running session mounted; stop it first.',
          hint: 'labdeck session stop mounted',
        },
      });
      const cli = await labdeck('folder', 'rm', 'lab', '.local');
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain('is mounted by the running session mounted; stop it first');
      const listed = value(await client.request('folders:list', { hostId: 'lab' })).folders;
      expect(listed.filter((f) => f.state === 'trashed')).toEqual([]);

      value(await client.request('sessions:stop', { session: 'mounted', hostId: 'lab' }));
      const trashed = await labdeck('folder', 'rm', 'lab', 'data', '--json');
      expect(trashed.code, trashed.stderr).toBe(0);
      expect(JSON.parse(trashed.stdout)).toMatchObject({ name: 'data', state: 'trashed' });
      const again = await labdeck(
        'session',
        'start',
        'lab',
        '--image',
        TEST_IMAGE,
        '--mount',
        'data',
        '--name',
        'late',
      );
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('it is in the trash');
      expect(await sessionNames()).not.toContain('late');
      // Restarting the stopped session would bind the trashed folder again: refused, naming it.
      const restart = await labdeck('session', 'restart', 'mounted', '--host', 'lab');
      expect(restart.code).toBe(1);
      expect(restart.stderr).toContain(
        'Session mounted cannot start again: folder "data" it mounts is in the trash.',
      );
      expect(restart.stderr).toContain(
        'Restore it (labdeck folder restore lab data), or remove the session and start anew: labdeck session rm mounted',
      );
      const stopped = await dockerd.docker.getContainer(session.containerId).inspect();
      expect(stopped.State.Running).toBe(false);
      const restored = await labdeck('folder', 'restore', 'lab', 'data');
      expect(restored.code, restored.stderr).toBe(0);
      const restarted = await labdeck('session', 'restart', 'mounted', '--host', 'lab');
      expect(restarted.code, restarted.stderr).toBe(0);
      expect(await inSession('cat /home/work/data/hello.txt')).toEqual({
        code: 0,
        out: 'from the host\n',
      });
      value(await client.request('sessions:stop', { session: 'mounted', hostId: 'lab' }));
    });

    it('refuses to trash a folder while Docker cannot say which sessions mount it', async () => {
      // Alice loses the engine's socket: the check cannot be made, so nothing is trashed.
      await chmod(dockerd.socketPath, 0o600);
      try {
        const refused = await client.request('folders:trash', { hostId: 'lab', name: 'scratch' });
        expect(refused).toMatchObject({
          ok: false,
          error: {
            code: 'folder-mount-check-failed',
            message: expect.stringMatching(
              /^Could not ask Docker which sessions mount folder "scratch" \(.*\); retry\.$/,
            ),
          },
        });
      } finally {
        await chmod(dockerd.socketPath, 0o660);
      }
      const listed = value(await client.request('folders:list', { hostId: 'lab' })).folders;
      expect(listed.find((f) => f.name === 'scratch')?.state).toBe('ready');
    });

    it('shares data read-only with bob: his session gets it read-only, and alice cannot trash it while it runs', async () => {
      const invited = await labdeck(
        'folder',
        'invite',
        'lab',
        'data',
        bob.username,
        '--perm',
        'ro',
        '--json',
      );
      expect(invited.code, invited.stderr).toBe(0);
      const invitation = JSON.parse(invited.stdout) as Record<string, unknown>;
      expect(Object.keys(invitation)).toEqual(INVITATION_JSON_KEYS);
      expect(invitation).toMatchObject({
        folder: 'data',
        owner: alice.username,
        invitee: bob.username,
        permission: 'ro',
        state: 'pending',
      });
      const inbox = await labdeck('folder', 'invitations', 'bob-lab', '--json');
      expect(inbox.code, inbox.stderr).toBe(0);
      const incoming = JSON.parse(inbox.stdout) as Record<string, unknown>[];
      for (const entry of incoming) expect(Object.keys(entry)).toEqual(INVITATION_JSON_KEYS);
      expect(incoming).toEqual([invitation]);
      const accepted = await labdeck(
        'folder',
        'accept',
        'bob-lab',
        invitation.id as string,
        '--json',
      );
      expect(accepted.code, accepted.stderr).toBe(0);
      expect(JSON.parse(accepted.stdout)).toMatchObject({ id: invitation.id, state: 'accepted' });

      // Asked for read-write, mounted read-only: bob's grant is ro.
      const started = await labdeck(
        'session',
        'start',
        'bob-lab',
        '--image',
        TEST_IMAGE,
        '--name',
        'reader',
        '--mount',
        'data',
      );
      expect(started.code, started.stderr).toBe(0);
      const listed = value(await client.request('sessions:list', { hostId: 'bob-lab' }));
      session = listed.sessions.find((s) => s.name === 'reader')!;
      expect(session.mounts.find((m) => m.name === 'data')).toMatchObject({
        target: '/home/work/data',
        readOnly: true,
      });
      expect((await inSession('cat /home/work/data/hello.txt')).out).toBe('from the host\n');
      expect((await inSession('touch /home/work/data/by-bob')).out).toContain(
        'Read-only file system',
      );

      const refused = await client.request('folders:trash', { hostId: 'lab', name: 'data' });
      expect(refused).toEqual({
        ok: false,
        error: {
          code: 'folder-mounted',
          message: `Folder "data" is mounted by the running session reader (${bob.username}'s); stop it first.`,
          hint: `Ask ${bob.username} to stop it: labdeck session stop reader`,
        },
      });
      value(await client.request('sessions:remove', { session: 'reader', hostId: 'bob-lab' }));
    });

    it('clones a cloneable folder from the CLI: the same files, and the new folder as JSON', async () => {
      expect((await labdeck('folder', 'create', 'lab', 'template', '--cloneable')).code).toBe(0);
      const folders = value(await client.request('folders:list', { hostId: 'lab' })).folders;
      const template = folders.find((f) => f.name === 'template')!;
      const fill = await runAs(alice.username, [
        '/bin/sh',
        '-c',
        'mkdir -p "$1/src" && echo "print(1)" > "$1/src/train.py" && echo "lr: 0.1" > "$1/config.yaml"',
        'fill',
        template.path,
      ]);
      expect(fill.code, fill.stderr).toBe(0);
      const cloned = await labdeck('folder', 'clone', 'lab', 'template', 'project', '--json');
      expect(cloned.code, cloned.stderr).toBe(0);
      const made = JSON.parse(cloned.stdout) as Record<string, unknown>;
      expect(Object.keys(made)).toEqual(FOLDER_JSON_KEYS);
      expect(made).toMatchObject({ name: 'project', owner: alice.username, state: 'ready' });
      expect(await tree(made.path as string)).toEqual(await tree(template.path));
      expect(await tree(template.path)).toContain('/src/train.py print(1)\n');
    });

    it('Ctrl+C cancels a clone from the CLI and leaves no half-made folder', async () => {
      expect((await labdeck('folder', 'create', 'lab', 'big')).code).toBe(0);
      const folders = value(await client.request('folders:list', { hostId: 'lab' })).folders;
      const big = folders.find((f) => f.name === 'big')!;
      const fill = await runAs(alice.username, [
        '/bin/sh',
        '-c',
        'cd "$1" && for d in $(seq 1 "$2"); do mkdir "d$d" && (cd "d$d" && seq 1 "$3" | xargs touch); done',
        'fill',
        big.path,
        String(MANY_DIRS),
        String(FILES_PER_DIR),
      ]);
      expect(fill.code, fill.stderr).toBe(0);
      const directories = dirname(big.path);
      const before = (await readdir(directories)).sort();
      const child = spawn(
        process.execPath,
        [CLI_BUNDLE, 'folder', 'clone', 'lab', 'big', 'big-copy'],
        {
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
      await until('the clone to start', async () =>
        stderr.includes('Cloning big into big-copy') ? true : undefined,
      );
      child.kill('SIGINT');
      expect(await exited, stderr).toBe(130);
      expect(stderr).toContain('Canceled: the half-made folder big-copy was removed.');
      const after = value(await client.request('folders:list', { hostId: 'lab' })).folders;
      expect(after.map((f) => f.name)).not.toContain('big-copy');
      expect((await readdir(directories)).sort()).toEqual(before);
    });

    it('sets and removes a quota, cancels an invitation, leaves a shared folder and purges one, through the CLI', async () => {
      const folderNamed = async (hostId: string, name: string) =>
        value(await client.request('folders:list', { hostId })).folders.find(
          (f) => f.name === name,
        );
      const limited = await labdeck('folder', 'quota', 'lab', 'scratch', '1g');
      expect(limited.code, limited.stderr).toBe(0);
      expect(limited.stdout).toBe('scratch is limited to 1.0 GiB now.\n');
      expect((await folderNamed('lab', 'scratch'))?.quota.limitBytes).toBe(1024 ** 3);
      const unlimited = await labdeck('folder', 'quota', 'lab', 'scratch', 'none', '--json');
      expect(unlimited.code, unlimited.stderr).toBe(0);
      expect(JSON.parse(unlimited.stdout)).toMatchObject({
        name: 'scratch',
        quota: { limitBytes: 0 },
      });

      /** Invites bob to scratch with `perm` through the CLI; the invitation's id. */
      const inviteBob = async (perm: string): Promise<string> => {
        const invited = await labdeck(
          ...['folder', 'invite', 'lab', 'scratch', bob.username, '--perm', perm, '--json'],
        );
        expect(invited.code, invited.stderr).toBe(0);
        return (JSON.parse(invited.stdout) as { id: string }).id;
      };
      const id = await inviteBob('rw');
      const canceled = await labdeck('folder', 'cancel', 'lab', id);
      expect(canceled.code, canceled.stderr).toBe(0);
      expect(canceled.stdout).toBe(
        `Invitation ${id} is canceled now: ${bob.username} has no access to scratch through it.\n`,
      );
      const again = await labdeck('folder', 'accept', 'bob-lab', id);
      expect(again.code).toBe(1);

      // An accepted invitation canceled takes bob's access back: scratch leaves his list.
      const secondId = await inviteBob('ro');
      expect((await labdeck('folder', 'accept', 'bob-lab', secondId)).code).toBe(0);
      const bobsScratch = await folderNamed('bob-lab', 'scratch');
      expect(bobsScratch).toMatchObject({ via: 'invitation' });
      const own = await labdeck('folder', 'cancel', 'bob-lab', secondId);
      expect(own).toMatchObject({ code: 1 });
      expect(own.stderr).toContain('labdeck folder leave HOST scratch');
      const revoked = await labdeck('folder', 'cancel', 'lab', secondId, '--json');
      expect(revoked.code, revoked.stderr).toBe(0);
      expect(JSON.parse(revoked.stdout)).toMatchObject({ id: secondId, state: 'canceled' });
      expect(await folderNamed('bob-lab', 'scratch')).toBeUndefined();
      expect((await runAs(bob.username, ['ls', bobsScratch!.path])).stderr).toMatch(
        /Permission denied/,
      );

      const left = await labdeck('folder', 'leave', 'bob-lab', 'data');
      expect(left.code, left.stderr).toBe(0);
      expect(await folderNamed('bob-lab', 'data')).toBeUndefined();
      expect(await folderNamed('lab', 'data')).toMatchObject({ state: 'ready' });

      const project = await folderNamed('lab', 'project');
      expect((await labdeck('folder', 'rm', 'lab', 'project')).code).toBe(0);
      const purged = await labdeck('folder', 'purge', 'lab', 'project', '--json');
      expect(purged.code, purged.stderr).toBe(0);
      expect(JSON.parse(purged.stdout)).toEqual({ id: project!.id });
      expect(await folderNamed('lab', 'project')).toBeUndefined();
      await expect(readdir(project!.path)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('a clone whose agent dies while its host cannot list folders is not claimed removed: it says it could not confirm', async () => {
      const child = spawn(
        process.execPath,
        [CLI_BUNDLE, 'folder', 'clone', 'lab', 'big', 'big-lost'],
        { env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
      await until('the clone to start', async () =>
        stderr.includes('Cloning big into big-lost') ? true : undefined,
      );
      // The host can no longer list folders, and the agent running the clone is killed outright.
      const storeFile = host.installed.paths.foldersFile;
      const saved = await readFile(storeFile, 'utf8');
      await writeFile(storeFile, 'not json');
      try {
        const pids = async (args: string[]) =>
          (await run('pgrep', args).catch(() => ({ stdout: '' }))).stdout
            .split('\n')
            .filter(Boolean)
            .map(Number);
        for (const pid of await pids(['-u', alice.username, '-f', '/.cache/labdeck/agent/']))
          process.kill(pid, 'SIGKILL');
        for (const pid of await pids(['-u', alice.username, '-x', 'cp']))
          process.kill(pid, 'SIGKILL');
        expect(await exited, stderr).toBe(1);
        expect(stderr).toContain('could not confirm; check labdeck folder ls lab');
        expect(stderr).not.toContain('nothing was kept');
        expect(stderr).not.toContain('was removed');
      } finally {
        await writeFile(storeFile, saved);
      }
      // It was not removed: it is left cloning, and purge removes it.
      const listed = value(await client.request('folders:list', { hostId: 'lab' })).folders;
      expect(listed.find((f) => f.name === 'big-lost')?.state).toBe('cloning');
      const purged = await labdeck('folder', 'purge', 'lab', 'big-lost');
      expect(purged.code, purged.stderr).toBe(0);
    });

    it('folder clone-cancel: a folder left cloning with no clone filling it is named, and purge removes it', async () => {
      // What an agent killed mid-clone leaves: the helper's record in state cloning.
      const helper = await host.connect(alice);
      const orphan = await helper.call('privileged.folder.create', {
        volume: 'xfs',
        name: 'orphan',
        state: 'cloning',
      });
      const canceled = await labdeck('folder', 'clone-cancel', 'lab', 'orphan');
      expect(canceled.code).toBe(1);
      expect(canceled.stderr).toBe(
        'No clone is filling orphan any more: labdeck folder purge lab orphan removes it.\n',
      );
      const trash = await labdeck('folder', 'rm', 'lab', 'orphan');
      expect(trash.code).toBe(1);
      expect(trash.stderr).toContain(
        'no clone is filling it any more: labdeck folder purge HOST orphan removes it',
      );
      const purged = await labdeck('folder', 'purge', 'lab', 'orphan');
      expect(purged.code, purged.stderr).toBe(0);
      await expect(readdir(orphan.path)).rejects.toMatchObject({ code: 'ENOENT' });
      const none = await labdeck('folder', 'clone-cancel', 'lab', 'orphan');
      expect(none.code).toBe(1);
      expect(none.stderr).toBe('No clone into orphan is running on lab.\n');
    });

    it('refuses bad names in the CLI itself', async () => {
      for (const name of ['..', 'a/b', 'x'.repeat(65), '.bashrc']) {
        const refused = await labdeck('folder', 'create', 'lab', name);
        expect(refused.code).toBe(2);
        expect(refused.stderr).toContain(`labdeck: NAME "${name}" `);
      }
    });
  },
);
