import { execFile, spawn } from 'node:child_process';
import {
  chmod,
  readdir,
  chown,
  copyFile,
  mkdir,
  mkdtemp,
  readFile,
  rename,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { version } from '../../../package.json';
import { parseAgentFailure } from '../../../common/agent/agent-failure';
import { AppFailure } from '../../../common/contract/result';
import type { LabConfig } from '../../../common/host-setup/lab-config';
import {
  openPrivilegedHelper,
  type PrivilegedHelper,
} from '../../../agent-bundle/privileged/privileged-client';
import { createTestUser, describeWithParts, type TestUser } from '../../harness';
import {
  buildBundle,
  installRoot,
  installSudoRule,
  mountXfs,
  refusalOf,
  runAs,
  snapshotTree,
  writeConfig,
  type InstalledRoot,
  type XfsMount,
} from './privileged-fixture';

const run = promisify(execFile);

/** This file's own sudo group: the setup tests create and remove the real `labdeck` group. */
const GROUP = 'labdeck-test-priv';
/** LabDeck's first project id (agent-bundle/privileged/project-files.ts). */
const FIRST_ID = 10_000;

interface LogLine {
  readonly time: string;
  readonly callerUid: number;
  readonly operation: string;
  readonly arguments: Record<string, unknown>;
  readonly result: 'ok' | 'refused' | 'failed';
  readonly code?: string;
  readonly message?: string;
}

/** The helper's answer to a call it refuses (or that fails): its error, or a test failure. */
const refusal = refusalOf;

/** Runs `argv` as root with nothing on stdin: how the helper's start-up refusals read. */
function runToExit(argv: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0] ?? '', argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.resume();
    child.stdin.end();
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

describeWithParts(
  ['root', 'sudo', 'acl', 'xfs', 'ssh-keygen'],
  'the privileged helper through real sudo',
  () => {
    let scratch: string;
    let installed: InstalledRoot;
    let xfs: XfsMount;
    let removeRule: () => Promise<void>;
    let alice: TestUser;
    let bob: TestUser;
    let mallory: TestUser;
    let asAlice: PrivilegedHelper;
    let config: LabConfig;
    const open: PrivilegedHelper[] = [];

    const srv = (path: string): string => join(installed.root, 'srv', path);
    const connect = async (user: TestUser): Promise<PrivilegedHelper> => {
      const helper = await openPrivilegedHelper(installed.record, {
        wrapper: ['runuser', '-u', user.username, '--'],
        userName: user.username,
      });
      open.push(helper);
      return helper;
    };
    const logLines = async (): Promise<LogLine[]> =>
      (await readFile(installed.paths.privilegedLog, 'utf8'))
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as LogLine);
    const makeDir = async (
      path: string,
      owner: TestUser | undefined,
      mode: number,
    ): Promise<void> => {
      await mkdir(path, { recursive: true });
      await chmod(path, mode);
      if (owner) await chown(path, owner.uid, owner.gid);
    };

    beforeAll(async () => {
      scratch = await mkdtemp(join(tmpdir(), 'labdeck-priv-'));
      const bundle = join(scratch, 'labdeck-agent.cjs');
      await buildBundle(bundle);
      installed = await installRoot(bundle);
      [alice, bob, mallory] = await Promise.all([
        createTestUser('priv-alice'),
        createTestUser('priv-bob'),
        createTestUser('priv-mallory'),
      ]);
      await run('groupadd', ['-f', GROUP]);
      for (const user of [alice, bob]) await run('usermod', ['-aG', GROUP, user.username]);
      removeRule = await installSudoRule(installed.record, GROUP, scratch);

      xfs = await mountXfs(scratch, srv('xfs'));
      await makeDir(srv('scratch'), undefined, 0o755);
      await makeDir(srv('scratch/alice'), alice, 0o700);
      await writeFile(srv('scratch/alice/notes.txt'), "alice's notes\n", { mode: 0o644 });
      await chown(srv('scratch/alice/notes.txt'), alice.uid, alice.gid);
      await makeDir(srv('scratch/mallory'), mallory, 0o700);
      await symlink('/etc', srv('scratch/escape'));
      await makeDir(srv('outside/sub'), alice, 0o755);
      await writeFile(srv('outside/secret.txt'), 'root only\n', { mode: 0o600 });
      await symlink(srv('outside/secret.txt'), srv('scratch/alice/secret-link'));
      await symlink(srv('outside'), srv('scratch/outlink'));
      await makeDir(srv('xfs/projects/alice-data'), alice, 0o755);
      await makeDir(srv('xfs/projects/alice-data/sub'), alice, 0o755);
      await makeDir(srv('xfs/projects/alice-two'), alice, 0o755);
      await makeDir(srv('xfs/projects/mallory-data'), mallory, 0o755);
      await makeDir(srv('xfs/quota/mallory-q'), mallory, 0o755);
      // Inside alice's folder: a link to a directory that is not hers, and a file of bob's.
      await makeDir(srv('xfs/projects/victim'), undefined, 0o755);
      await symlink(srv('xfs/projects/victim'), srv('xfs/projects/alice-data/victim-link'));
      await writeFile(srv('xfs/projects/alice-data/bobs.txt'), 'bob was here\n');
      await chown(srv('xfs/projects/alice-data/bobs.txt'), bob.uid, bob.gid);
      await makeDir(srv('xfs/quota/alice-q'), alice, 0o755);
      await makeDir(srv('notxfs/alice-n'), alice, 0o755);
      await writeFile(installed.paths.projid, "# the admin's own\nbackup:42\n", { mode: 0o644 });
      await writeFile(installed.paths.projects, '42:/srv/backup\n', { mode: 0o644 });
      config = {
        version: 1,
        lab: 'test lab',
        volumes: [
          { name: 'scratch', path: srv('scratch'), kind: 'plain' },
          { name: 'xfs', path: srv('xfs/projects'), kind: 'xfs' },
          // Mounted with prjquota where the kernel has XFS quota; this machine's has none, and
          // the helper must say so when xfs_quota runs.
          { name: 'quota', path: srv('xfs/quota'), kind: 'xfs-prjquota' },
          // ext4 declared as XFS: xfs_io fails, so a failed apply can be seen to roll back.
          { name: 'notxfs', path: srv('notxfs'), kind: 'xfs' },
        ],
        gpuQuantum: '0.01',
        reservedPorts: [],
        groupAdmins: { [GROUP]: [alice.username] },
        labAdmins: [bob.username],
      };
      await writeConfig(installed.paths, config);
      asAlice = await connect(alice);
    });

    afterAll(async () => {
      for (const helper of open) helper.close();
      await removeRule?.();
      await xfs?.unmount().catch(() => {});
      await installed?.remove();
      for (const user of [alice, bob, mallory]) {
        await user?.dispose();
        if (user) await run('userdel', ['-r', user.username]).catch(() => {});
      }
      await run('groupdel', [GROUP]).catch(() => {});
      if (scratch) await rm(scratch, { recursive: true, force: true });
    });

    it('alice, in the group, pings the helper through sudo -n: root, serving her and this root', async () => {
      expect(await asAlice.call('privileged.ping', {})).toEqual({
        pid: expect.any(Number),
        euid: 0,
        callerUid: alice.uid,
        version,
        root: installed.root,
      });
      expect(asAlice.hello.agentVersion).toBe(version);
    });

    it('alice may run nothing else as root through sudo', async () => {
      const helper = installed.record.helper;
      for (const argv of [
        ['/usr/bin/id'],
        [installed.record.node, helper],
        [installed.record.node, helper, '--privileged', 'extra'],
        [installed.record.node, '-e', 'process.exit(0)'],
      ]) {
        const result = await runAs(alice.username, ['sudo', '-n', ...argv]);
        expect(result.code, argv.join(' ')).not.toBe(0);
        expect(result.stderr).toMatch(/a password is required|not allowed/);
      }
    });

    it('mallory, outside the group, cannot run the helper and is told who can let her', async () => {
      const failure = await openPrivilegedHelper(installed.record, {
        wrapper: ['runuser', '-u', mallory.username, '--'],
        userName: mallory.username,
      }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(AppFailure);
      expect((failure as AppFailure).toAppError()).toEqual({
        code: 'privileged-sudo-denied',
        message: expect.stringContaining(
          `You (${mallory.username}) may not run LabDeck's privileged helper on this host`,
        ),
        hint: `ask an administrator: sudo usermod -aG labdeck ${mallory.username}, then reconnect (or run labdeck host setup HOST)`,
      });
    });

    it('refuses malformed and forbidden calls, says why, logs each with the caller, changes nothing', async () => {
      const before = await snapshotTree(
        installed.root,
        [installed.paths.privilegedLog],
        [xfs.mountPoint],
      );
      const logBefore = (await logLines()).length;
      const cases: [string, unknown, { code: string; message: RegExp; hint?: unknown }][] = [
        [
          'privileged.shell',
          { command: 'id' },
          { code: 'privileged-unknown-operation', message: /no operation "privileged.shell"/ },
        ],
        [
          'gpu.inventory',
          {},
          { code: 'privileged-unknown-operation', message: /accepts only privileged.ping/ },
        ],
        [
          'privileged.acl.grant',
          { volume: 'scratch', folder: '../mallory', uid: bob.uid, access: 'ro' },
          { code: 'invalid-input', message: /folder: must not have a "\.\." part/ },
        ],
        [
          'privileged.acl.grant',
          { volume: 'scratch', folder: '/etc', uid: bob.uid, access: 'ro' },
          { code: 'invalid-input', message: /folder: must be relative/ },
        ],
        [
          'privileged.acl.grant',
          { volume: 'scratch', folder: 'alice', uid: bob.uid, access: 'all' },
          { code: 'invalid-input', message: /access:/ },
        ],
        [
          'privileged.acl.grant',
          { volume: 'scratch', folder: 'alice', uid: bob.uid, access: 'ro', recursive: false },
          { code: 'invalid-input', message: /recursive/ },
        ],
        [
          'privileged.acl.grant',
          { volume: 'home', folder: 'alice', uid: bob.uid, access: 'ro' },
          {
            code: 'privileged-unknown-volume',
            message: /volume: "home" is not a storage volume.*"scratch"/,
          },
        ],
        [
          'privileged.acl.grant',
          { volume: 'scratch', folder: 'escape', uid: bob.uid, access: 'rw' },
          { code: 'privileged-folder-symlink', message: /folder: "escape" .* is a symbolic link/ },
        ],
        [
          'privileged.acl.grant',
          { volume: 'scratch', folder: 'outlink/sub', uid: bob.uid, access: 'rw' },
          { code: 'privileged-folder-outside-volume', message: /outside the volume's directory/ },
        ],
        [
          'privileged.acl.grant',
          { volume: 'scratch', folder: 'nothing-here', uid: bob.uid, access: 'rw' },
          { code: 'privileged-folder-missing', message: /does not exist/ },
        ],
        [
          'privileged.acl.grant',
          { volume: 'scratch', folder: 'mallory', uid: bob.uid, access: 'rw' },
          {
            code: 'privileged-not-owner',
            message: new RegExp(
              `Only the folder's owner may share it: .* belongs to uid ${mallory.uid}, not to you \\(uid ${alice.uid}\\)`,
            ),
          },
        ],
        [
          'privileged.acl.grant',
          { volume: 'scratch', folder: 'alice', uid: alice.uid, access: 'rw' },
          { code: 'acl-grant-to-owner', message: /a grant is for another user/ },
        ],
        [
          'privileged.acl.grant',
          { volume: 'scratch', folder: 'alice', uid: 3_999_999, access: 'rw' },
          { code: 'acl-unknown-user', message: /no user has uid 3999999/ },
        ],
        [
          'privileged.acl.revoke',
          { volume: 'scratch', folder: 'mallory', uid: bob.uid },
          { code: 'privileged-not-owner', message: /remove another user's access/ },
        ],
        [
          'privileged.project.assign',
          { volume: 'xfs', folder: 'mallory-data' },
          {
            code: 'privileged-not-owner',
            message: /may give it an XFS project: .* belongs to uid/,
          },
        ],
        [
          'privileged.project.release',
          { volume: 'xfs', folder: 'mallory-data' },
          { code: 'privileged-not-owner', message: /may release its XFS project/ },
        ],
        [
          'privileged.quota.set',
          { volume: 'quota', folder: 'mallory-q', bytes: 1 },
          { code: 'privileged-not-owner', message: /may set its size limit/ },
        ],
        [
          'privileged.project.assign',
          { volume: 'scratch', folder: 'alice' },
          { code: 'volume-without-projects', message: /plain volume/ },
        ],
        [
          'privileged.project.assign',
          { volume: 'xfs', folder: '../quota/alice-q' },
          { code: 'invalid-input', message: /folder/ },
        ],
        [
          'privileged.quota.set',
          { volume: 'scratch', folder: 'alice', bytes: 1024 },
          { code: 'volume-without-quota', message: /cannot have a size limit/ },
        ],
        [
          'privileged.quota.set',
          { volume: 'xfs', folder: 'alice-data', bytes: 1024 },
          {
            code: 'volume-without-project-quota',
            message: /XFS without project quota/,
            hint: expect.stringContaining('prjquota'),
          },
        ],
        [
          'privileged.quota.set',
          { volume: 'quota', folder: 'alice-q', bytes: -1 },
          { code: 'invalid-input', message: /bytes/ },
        ],
        [
          'privileged.quota.set',
          { volume: 'quota', folder: 'alice-q', bytes: 1024 },
          { code: 'folder-without-project', message: /has no XFS project yet/ },
        ],
        [
          'privileged.state.write',
          { name: '../passwd', value: 1 },
          { code: 'invalid-input', message: /name:/ },
        ],
        [
          'privileged.state.write',
          { name: 'big', value: 'x'.repeat(70_000) },
          { code: 'invalid-input', message: /value: must be at most 65536 bytes/ },
        ],
        [
          'privileged.dotfile.write',
          { scope: 'domain', path: '.bashrc', content: 'echo hi' },
          {
            code: 'dotfile-not-admin',
            message: new RegExp(
              `${alice.username} \\(uid ${alice.uid}\\) is not one \\(labAdmins .* lists ${bob.username}\\)`,
            ),
          },
        ],
        [
          'privileged.dotfile.write',
          { scope: 'group', group: 'staff', path: '.bashrc', content: 'x' },
          { code: 'dotfile-not-admin', message: /group staff's dotfiles .* lists nobody/ },
        ],
        [
          'privileged.dotfile.write',
          {
            scope: 'group',
            group: GROUP,
            path: '.ssh/authorized_keys',
            content: 'ssh-ed25519 AAAA',
          },
          { code: 'invalid-input', message: /path: must not be in ~\/\.ssh/ },
        ],
        [
          'privileged.dotfile.write',
          { scope: 'group', group: GROUP, path: '/etc/shadow', content: 'x' },
          {
            code: 'invalid-input',
            message: /path: must be relative to the home directory, or one of/,
          },
        ],
        [
          'privileged.dotfile.write',
          { scope: 'group', group: GROUP, path: '../.bashrc', content: 'x' },
          { code: 'invalid-input', message: /path: must not have a "\.\." part/ },
        ],
      ];
      for (const [method, params, expected] of cases) {
        const error = await refusal(asAlice, method, params);
        expect(error, `${method} ${JSON.stringify(params)}`).toMatchObject({
          ...expected,
          message: expect.stringMatching(expected.message),
        });
      }
      expect(
        await snapshotTree(installed.root, [installed.paths.privilegedLog], [xfs.mountPoint]),
      ).toEqual(before);

      const logged = (await logLines()).slice(logBefore);
      expect(logged).toHaveLength(cases.length);
      logged.forEach((line, index) => {
        const [method, , expected] = cases[index]!;
        expect(line).toMatchObject({
          callerUid: alice.uid,
          operation: method,
          result: 'refused',
          code: expected.code,
          message: expect.stringMatching(expected.message),
        });
        expect(Date.parse(line.time)).not.toBeNaN();
      });
      // Contents are logged by size only.
      expect(logged.find((line) => line.arguments.name === 'big')?.arguments.value).toBe(
        '(70000 bytes)',
      );
      const stat = await run('stat', [
        '-c',
        '%a %U',
        installed.paths.privilegedLog,
        installed.paths.logDir,
      ]);
      expect(stat.stdout.trim().split('\n')).toEqual(['640 root', '750 root']);
    });

    it('assigns XFS project ids once per folder, records them in projid and projects, and releases them', async () => {
      const read = async () => ({
        projid: await readFile(installed.paths.projid, 'utf8'),
        projects: await readFile(installed.paths.projects, 'utf8'),
      });
      const lsproj = async (path: string) =>
        (await run('xfs_io', ['-r', '-c', 'lsproj', '--', path])).stdout.trim();
      const data = srv('xfs/projects/alice-data');

      const first = await asAlice.call('privileged.project.assign', {
        volume: 'xfs',
        folder: 'alice-data',
      });
      expect(first).toEqual({
        projectId: FIRST_ID,
        projectName: `labdeck-xfs-${FIRST_ID}`,
        path: data,
        skipped: 1,
      });
      expect(await read()).toEqual({
        projid: `# the admin's own\nbackup:42\nlabdeck-xfs-${FIRST_ID}:${FIRST_ID}\n`,
        projects: `42:/srv/backup\n${FIRST_ID}:${data}\n`,
      });
      expect(await lsproj(join(data, 'sub'))).toBe(`projid = ${FIRST_ID}`);
      // The kernel refuses what is not alice's: the link's target and bob's file keep project 0.
      expect(await lsproj(srv('xfs/projects/victim'))).toBe('projid = 0');
      expect(await lsproj(join(data, 'bobs.txt'))).toBe('projid = 0');
      const [flags] = (await run('lsattr', ['-d', srv('xfs/projects/victim')])).stdout.split(' ');
      expect(flags).not.toContain('P');
      expect((await run('lsattr', ['-d', data])).stdout.split(' ')[0]).toContain('P');
      const modes = await run('stat', [
        '-c',
        '%a %U',
        installed.paths.projid,
        installed.paths.projects,
      ]);
      expect(modes.stdout.trim().split('\n')).toEqual(['644 root', '644 root']);

      const files = await read();
      expect(
        await asAlice.call('privileged.project.assign', { volume: 'xfs', folder: 'alice-data' }),
      ).toEqual(first);
      expect(await read()).toEqual(files);
      const second = await asAlice.call('privileged.project.assign', {
        volume: 'xfs',
        folder: 'alice-two',
      });
      expect(second.projectId).toBe(FIRST_ID + 1);

      expect(
        await asAlice.call('privileged.project.release', { volume: 'xfs', folder: 'alice-data' }),
      ).toEqual({
        projectId: FIRST_ID,
      });
      expect(await read()).toEqual({
        projid: `# the admin's own\nbackup:42\nlabdeck-xfs-${FIRST_ID + 1}:${FIRST_ID + 1}\n`,
        projects: `42:/srv/backup\n${FIRST_ID + 1}:${srv('xfs/projects/alice-two')}\n`,
      });
      expect(await lsproj(data)).toBe('projid = 0');
      expect((await run('lsattr', ['-d', data])).stdout.split(' ')[0]).not.toContain('P');
      expect(
        await asAlice.call('privileged.project.release', { volume: 'xfs', folder: 'alice-data' }),
      ).toEqual({
        projectId: null,
      });
    });

    it('gives four folders assigned at once by four helpers four ids (the lock holds)', async () => {
      const folders = ['par-1', 'par-2', 'par-3', 'par-4'];
      for (const folder of folders) await makeDir(srv(`xfs/projects/${folder}`), alice, 0o755);
      const helpers = await Promise.all(folders.map(() => connect(alice)));
      const assigned = await Promise.all(
        folders.map((folder, index) =>
          helpers[index]!.call('privileged.project.assign', { volume: 'xfs', folder }),
        ),
      );
      const ids = assigned.map((project) => project.projectId);
      expect(new Set(ids).size).toBe(folders.length);
      const projects = await readFile(installed.paths.projects, 'utf8');
      for (const project of assigned)
        expect(projects).toContain(`${project.projectId}:${project.path}\n`);
      expect(await readdir(installed.paths.stateDir)).not.toContain('projects.lock');
    });

    it('puts projid and projects back when xfs_io cannot apply the project', async () => {
      const files = [
        await readFile(installed.paths.projid, 'utf8'),
        await readFile(installed.paths.projects, 'utf8'),
      ];
      const error = await refusal(asAlice, 'privileged.project.assign', {
        volume: 'notxfs',
        folder: 'alice-n',
      });
      expect(error).toMatchObject({
        code: 'xfs-project-failed',
        message: expect.stringMatching(/xfs_io said ".*not supported/i),
      });
      expect([
        await readFile(installed.paths.projid, 'utf8'),
        await readFile(installed.paths.projects, 'utf8'),
      ]).toEqual(files);
      // Nor does it leave the inherit flag behind on the folder.
      const [flags] = (await run('lsattr', ['-d', srv('notxfs/alice-n')])).stdout.split(' ');
      expect(flags).not.toContain('P');
      expect((await logLines()).at(-1)).toMatchObject({
        result: 'failed',
        code: 'xfs-project-failed',
        callerUid: alice.uid,
      });
    });

    it('sets a quota through xfs_quota, or says plainly that this kernel has no XFS quota', async () => {
      const { projectId } = await asAlice.call('privileged.project.assign', {
        volume: 'quota',
        folder: 'alice-q',
      });
      const params = { volume: 'quota', folder: 'alice-q', bytes: 1024 * 1024 * 1024 };
      if (xfs.projectQuota) {
        expect(await asAlice.call('privileged.quota.set', params)).toEqual({
          projectId,
          bytes: params.bytes,
        });
        return;
      }
      const error = await refusal(asAlice, 'privileged.quota.set', params);
      expect(error).toMatchObject({
        code: 'xfs-quota-unsupported',
        message: expect.stringMatching(
          /kernel has no XFS quota support .*Function not implemented.*works without a limit/,
        ),
      });
      expect((await logLines()).at(-1)).toMatchObject({
        operation: 'privileged.quota.set',
        result: 'failed',
        code: 'xfs-quota-unsupported',
      });
    });

    it('grants and revokes ACLs that the filesystem enforces for the grantee', async () => {
      const folder = srv('scratch/alice');
      const notes = join(folder, 'notes.txt');
      expect((await runAs(mallory.username, ['cat', notes])).stderr).toMatch(/Permission denied/);

      expect(
        await asAlice.call('privileged.acl.grant', {
          volume: 'scratch',
          folder: 'alice',
          uid: mallory.uid,
          access: 'ro',
        }),
      ).toEqual({
        path: folder,
        uid: mallory.uid,
        access: 'ro',
        skipped: 0,
      });
      const acl = (await run('getfacl', ['-n', '-p', folder])).stdout;
      expect(acl).toContain(`user:${mallory.uid}:r-x`);
      expect(acl).toContain(`default:user:${mallory.uid}:r-x`);
      // A link inside the folder does not carry the grant out of it.
      expect((await runAs(mallory.username, ['cat', join(folder, 'secret-link')])).code).not.toBe(
        0,
      );
      expect((await run('getfacl', ['-n', '-p', srv('outside/secret.txt')])).stdout).not.toContain(
        `user:${mallory.uid}`,
      );
      expect(await runAs(mallory.username, ['cat', notes])).toMatchObject({
        code: 0,
        stdout: "alice's notes\n",
      });
      expect((await runAs(mallory.username, ['touch', join(folder, 'new')])).code).not.toBe(0);

      await asAlice.call('privileged.acl.grant', {
        volume: 'scratch',
        folder: 'alice',
        uid: bob.uid,
        access: 'rw',
      });
      expect((await runAs(bob.username, ['touch', join(folder, 'from-bob')])).code).toBe(0);
      const asBob = await connect(bob);
      // Bob may leave (drop his own grant), not drop mallory's.
      expect(
        await refusal(asBob, 'privileged.acl.revoke', {
          volume: 'scratch',
          folder: 'alice',
          uid: mallory.uid,
        }),
      ).toMatchObject({
        code: 'privileged-not-owner',
      });
      expect(
        await asBob.call('privileged.acl.revoke', {
          volume: 'scratch',
          folder: 'alice',
          uid: bob.uid,
        }),
      ).toEqual({
        path: folder,
        uid: bob.uid,
        skipped: 1,
      });
      expect((await runAs(bob.username, ['cat', notes])).code).not.toBe(0);

      await asAlice.call('privileged.acl.revoke', {
        volume: 'scratch',
        folder: 'alice',
        uid: mallory.uid,
      });
      expect((await run('getfacl', ['-n', '-p', folder])).stdout).not.toContain(
        `user:${mallory.uid}:`,
      );
      expect((await runAs(mallory.username, ['cat', notes])).code).not.toBe(0);
    });

    it("writes the caller's lab-wide state where every user can read it and only the helper can write", async () => {
      const value = { invitations: [{ folder: 'alice', to: bob.uid }] };
      const written = await asAlice.call('privileged.state.write', { name: 'invitations', value });
      const path = join(installed.paths.stateDir, 'state', String(alice.uid), 'invitations.json');
      expect(written).toEqual({ path, bytes: Buffer.byteLength(`${JSON.stringify(value)}\n`) });
      const read = await runAs(mallory.username, ['cat', path]);
      expect(JSON.parse(read.stdout)).toEqual(value);
      expect((await runAs(alice.username, ['touch', path])).code).not.toBe(0);
      expect((await run('stat', ['-c', '%a %U', path])).stdout.trim()).toBe('644 root');
      expect(await asAlice.call('privileged.state.remove', { name: 'invitations' })).toEqual({
        removed: true,
      });
      expect(await asAlice.call('privileged.state.remove', { name: 'invitations' })).toEqual({
        removed: false,
      });
    });

    it('lets a group admin and a lab admin write their dotfiles, and remove them', async () => {
      const groupStore = join(installed.paths.stateDir, 'dotfiles/groups', `${GROUP}.json`);
      const written = await asAlice.call('privileged.dotfile.write', {
        scope: 'group',
        group: GROUP,
        path: '/etc/profile.d/lab.sh',
        content: 'export LAB=1\n',
      });
      expect(written).toEqual({
        scope: 'group',
        group: GROUP,
        path: '/etc/profile.d/lab.sh',
        mode: '644',
        bytes: 13,
        updatedAt: expect.any(String),
        updatedBy: alice.username,
        revision: 1,
      });
      await asAlice.call('privileged.dotfile.write', {
        scope: 'group',
        group: GROUP,
        path: '.config/pip/pip.conf',
        content: '[global]\n',
        mode: '600',
      });
      expect(JSON.parse(await readFile(groupStore, 'utf8'))).toEqual({
        version: 1,
        revision: 2,
        files: {
          '/etc/profile.d/lab.sh': {
            content: 'export LAB=1\n',
            mode: '644',
            revision: 1,
            updatedAt: written.updatedAt,
            updatedBy: alice.username,
          },
          '.config/pip/pip.conf': {
            content: '[global]\n',
            mode: '600',
            revision: 2,
            updatedAt: expect.any(String),
            updatedBy: alice.username,
          },
        },
      });
      // Only the group's members read it; nobody lists which groups have files.
      expect(
        (await run('stat', ['-c', '%a %U %G', groupStore, dirname(groupStore)])).stdout
          .trim()
          .split('\n'),
      ).toEqual([`640 root ${GROUP}`, '711 root root']);
      expect(
        await asAlice.call('privileged.dotfile.write', {
          scope: 'group',
          group: GROUP,
          path: '/etc/profile.d/lab.sh',
          content: null,
        }),
      ).toMatchObject({ path: '/etc/profile.d/lab.sh', revision: 1 });
      expect(Object.keys(JSON.parse(await readFile(groupStore, 'utf8')).files as object)).toEqual([
        '.config/pip/pip.conf',
      ]);

      const asBob = await connect(bob);
      const labStore = join(installed.paths.stateDir, 'dotfiles/lab.json');
      await asBob.call('privileged.dotfile.write', {
        scope: 'domain',
        path: '.bashrc',
        content: 'alias ll="ls -l"\n',
      });
      expect(JSON.parse(await readFile(labStore, 'utf8'))).toMatchObject({
        version: 1,
        revision: 1,
        files: { '.bashrc': { content: 'alias ll="ls -l"\n', updatedBy: bob.username } },
      });
      expect((await run('stat', ['-c', '%a %U %G', labStore])).stdout.trim()).toBe('644 root root');
    });

    it('refuses volume work with the fix when the lab configuration is missing or invalid', async () => {
      const file = installed.paths.configFile;
      await rename(file, `${file}.away`);
      try {
        const helper = await connect(alice);
        expect((await helper.call('privileged.ping', {})).callerUid).toBe(alice.uid);
        expect(
          await refusal(helper, 'privileged.acl.grant', {
            volume: 'scratch',
            folder: 'alice',
            uid: bob.uid,
            access: 'ro',
          }),
        ).toEqual({
          code: 'privileged-config-missing',
          message: `LabDeck is not set up on this host: the lab configuration ${file} does not exist.`,
          hint: 'Run `labdeck host setup HOST` (as an admin) to write it.',
        });
        await writeFile(file, '{"version":2,"lab":"x"}');
        const again = await connect(alice);
        expect(
          await refusal(again, 'privileged.dotfile.write', {
            scope: 'domain',
            path: '.bashrc',
            content: 'x',
          }),
        ).toMatchObject({
          code: 'privileged-config-missing',
          message: expect.stringContaining(`${file} is not valid: version:`),
        });
      } finally {
        await rename(`${file}.away`, file);
      }
    });

    it('refuses to start outside the install layout, from a place others can write, or not as root', async () => {
      const installedHelper = installed.record.helper;
      const node = installed.record.node;
      const startUp = async (argv: string[]) => {
        const { code, stderr } = await runToExit(argv);
        expect(code).toBe(1);
        return { stderr, failure: parseAgentFailure(stderr) };
      };

      const cache = join(alice.home, '.cache/labdeck-priv-test');
      await makeDir(cache, alice, 0o700);
      const cached = join(cache, 'labdeck-agent.cjs');
      await copyFile(installedHelper, cached);
      await chown(cached, alice.uid, alice.gid);
      expect((await startUp([node, cached, '--privileged'])).failure).toMatchObject({
        code: 'privileged-path-untrusted',
        message: expect.stringContaining(`${cached} belongs to uid ${alice.uid}`),
      });

      const open = join(installed.root, 'opt/open');
      await makeDir(open, undefined, 0o775);
      await copyFile(installedHelper, join(open, 'labdeck-agent.cjs'));
      expect(
        (await startUp([node, join(open, 'labdeck-agent.cjs'), '--privileged'])).stderr,
      ).toContain(`${open} is writable by group or others (mode 775)`);

      for (const elsewhere of [
        'opt/elsewhere/labdeck-agent.cjs',
        'opt/labdeck/agent/9.9.9/labdeck-agent.cjs',
      ]) {
        const copy = join(installed.root, elsewhere);
        await makeDir(dirname(copy), undefined, 0o755);
        await copyFile(installedHelper, copy);
        await chmod(copy, 0o644);
        expect((await startUp([node, copy, '--privileged'])).failure).toMatchObject({
          code: 'privileged-not-installed',
          message: expect.stringContaining(
            `refuses to run from ${copy}: it is not where host setup installs version ${version}`,
          ),
        });
      }

      const asUser = await startUp([
        'runuser',
        '-u',
        alice.username,
        '--',
        node,
        installedHelper,
        '--privileged',
      ]);
      expect(asUser.failure).toMatchObject({
        code: 'privileged-not-root',
        message: expect.stringContaining(`runs as uid ${alice.uid}`),
      });
      await rm(cache, { recursive: true, force: true });
    });
  },
);
