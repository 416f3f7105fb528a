import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmod,
  chown,
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { version } from '../../../package.json';
import { installRecordSchema } from '../../../common/host-setup/install-record';
import { labConfigSchema } from '../../../common/host-setup/lab-config';
import { hostSetupReportSchema } from '../../../common/host-setup/setup-report';
import { systemPaths } from '../../../common/host-setup/system-paths';
import { setupStatus } from '../../../agent-bundle/setup/setup-status';
import { openPrivilegedHelper } from '../../../agent-bundle/privileged/privileged-client';
import type { Client } from '../../../common/contract/client';
import type { PromptRequest } from '../../../common/ssh/prompts';
import type { Services } from '../../../main/services';
import {
  AGENT_BUNDLE,
  createTestUser,
  describeWithParts,
  ensureBuilt,
  runLabdeck,
  startSshd,
  stopAgents,
  testServices,
  type Sshd,
  type TestUser,
} from '../../harness';
import { mountXfs, runAs, snapshotTree, TEST_ROOTS_DIR } from './privileged-fixture';

const run = promisify(execFile);
const VISUDO = '/usr/sbin/visudo';
const GROUP = 'labdeck';

/** The group's line, or null when there is none. */
async function groupLine(): Promise<string | null> {
  try {
    return (await run('getent', ['group', GROUP])).stdout.trim();
  } catch {
    return null;
  }
}

/** A fresh root under the root-owned parent the helper trusts. */
async function makeRoot(prefix: string): Promise<string> {
  await mkdir(TEST_ROOTS_DIR, { recursive: true, mode: 0o755 });
  await chmod(TEST_ROOTS_DIR, 0o755);
  const root = await mkdtemp(join(TEST_ROOTS_DIR, prefix));
  await chmod(root, 0o755);
  return root;
}

/**
 * Puts the rule setup wrote under a root into the real /etc/sudoers.d (the only place sudo
 * reads), checked with visudo first, under a name without a dot; returns its remover.
 */
async function installRuleFrom(rootRule: string): Promise<() => Promise<void>> {
  const name = `labdeck-test-setup-${randomBytes(6).toString('hex')}`;
  const staged = join('/etc/sudoers.d', `.${name}.tmp`);
  await copyFile(rootRule, staged);
  await chmod(staged, 0o440);
  await run(VISUDO, ['-cf', staged]);
  await rename(staged, join('/etc/sudoers.d', name));
  return () => rm(join('/etc/sudoers.d', name), { force: true });
}

const mode = async (path: string) => ((await stat(path)).mode & 0o7777).toString(8);

describeWithParts(
  ['root', 'sudo', 'acl', 'xfs'],
  '`labdeck host setup` on This computer, into a root',
  () => {
    let home: string;
    let root: string;
    let env: NodeJS.ProcessEnv;
    let before: string[];
    /** The configuration the admin wrote by hand before setup ever ran. */
    const handWritten = `${JSON.stringify({ version: 1, lab: 'vision', volumes: [], reservedPorts: [8888] }, null, 2)}\n`;
    const roots: string[] = [];
    let alice: TestUser | undefined;
    let mallory: TestUser | undefined;
    let removeRule: (() => Promise<void>) | undefined;

    const setup = (...args: string[]) =>
      runLabdeck(['host', 'setup', 'local', '--root', root, ...args], env);
    const snapshot = (at = root) => snapshotTree(at, []);

    beforeAll(async () => {
      await ensureBuilt();
      if ((await groupLine()) !== null)
        throw new Error(
          `The group ${GROUP} exists on this machine already; these tests create it. Remove it: groupdel ${GROUP}`,
        );
      home = await mkdtemp(join(tmpdir(), 'labdeck-setup-home-'));
      env = { PATH: process.env.PATH, HOME: home, LABDECK_HOME: home };
      root = await makeRoot('setup-');
      roots.push(root);
      const paths = systemPaths(root);
      await mkdir(join(root, 'srv/scratch'), { recursive: true });
      await mkdir(paths.configDir, { recursive: true, mode: 0o755 });
      await writeFile(paths.configFile, handWritten, { mode: 0o644 });
      await mkdir(paths.sudoersDir, { recursive: true, mode: 0o750 });
      await chmod(paths.sudoersDir, 0o750);
      before = await snapshot();
    }, 300_000);

    afterAll(async () => {
      await removeRule?.();
      for (const user of [alice, mallory]) if (user) await user.dispose();
      if ((await groupLine()) !== null) await run('groupdel', [GROUP]).catch(() => {});
      for (const made of roots) await rm(made, { recursive: true, force: true });
      if (home) await rm(home, { recursive: true, force: true });
    });

    it('--dry-run prints every change it would make and makes none', async () => {
      const result = await setup('--volume', `scratch=${root}/srv/scratch`, '--dry-run');
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(
        /would\s+install the LabDeck .* agent and helper at .*labdeck-agent\.cjs/,
      );
      expect(result.stdout).toMatch(
        /would\s+write .*config\.json \(replacing the file there\)\n\s+add volume "scratch"/,
      );
      expect(result.stdout).toMatch(/would\s+create the Unix group labdeck/);
      expect(result.stdout).toMatch(
        /would\s+create .*\/srv\/scratch\/labdeck-folders for the folders of volume scratch/,
      );
      expect(result.stdout).toMatch(/would\s+install the sudo rule .*sudoers\.d\/labdeck/);
      expect(result.stdout).toContain('nothing was changed');
      expect(await snapshot()).toEqual(before);
      expect(await groupLine()).toBeNull();
    });

    it('sets the host up: agent, install record, merged config with a backup, directories, group, a rule visudo accepts', async () => {
      const result = await setup('--volume', `scratch=${root}/srv/scratch`);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/is set up for LabDeck \S+: \d+ changes made/);
      const paths = systemPaths(root);

      const installed = paths.agentFile(version);
      expect(await readFile(installed)).toEqual(await readFile(AGENT_BUNDLE));
      expect([await mode(installed), (await stat(installed)).uid]).toEqual(['644', 0]);
      const record = installRecordSchema.parse(
        JSON.parse(await readFile(paths.installRecord(version), 'utf8')),
      );
      expect(record).toMatchObject({ version, node: '/usr/bin/node', helper: installed });

      // Merged: what the admin wrote is kept, the volume is added with the kind of its mount.
      const config = labConfigSchema.parse(JSON.parse(await readFile(paths.configFile, 'utf8')));
      expect(config).toMatchObject({ lab: 'vision', reservedPorts: [8888] });
      expect(config.volumes).toEqual([
        { name: 'scratch', path: `${root}/srv/scratch`, kind: 'plain' },
      ]);
      expect(await readFile(`${paths.configFile}.bak`, 'utf8')).toBe(handWritten);

      expect(await mode(paths.stateDir)).toBe('755');
      expect(await mode(paths.locksDir)).toBe('777');
      expect(await mode(paths.logDir)).toBe('750');
      expect(await groupLine()).toMatch(/^labdeck:x:\d+:$/);

      const rule = await readFile(paths.sudoersFile, 'utf8');
      expect(rule).toContain(
        `%labdeck ALL=(root) NOPASSWD: /usr/bin/node ${installed} --privileged`,
      );
      expect([await mode(paths.sudoersFile), (await stat(paths.sudoersFile)).uid]).toEqual([
        '440',
        0,
      ]);
      expect((await run(VISUDO, ['-cf', paths.sudoersFile])).stdout).toMatch(/parsed OK/);
      // The directory that was there keeps its mode.
      expect(await mode(paths.sudoersDir)).toBe('750');
      // Where the helper keeps the volume's folders: root's, users pass through, cannot list.
      const folders = `${root}/srv/scratch/labdeck-folders`;
      expect([await mode(folders), (await stat(folders)).uid]).toEqual(['711', 0]);
    });

    it('a second run changes nothing and says so', async () => {
      const done = await snapshot();
      const result = await setup('--volume', `scratch=${root}/srv/scratch`);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('Nothing changed: local is already set up for LabDeck');
      expect(result.stdout).not.toMatch(/^done/m);
      expect(await snapshot()).toEqual(done);
      const json = await setup('--json');
      const report = hostSetupReportSchema.parse(JSON.parse(json.stdout));
      expect(report.changed).toBe(false);
      expect(report.changes.every((change) => change.status === 'unchanged')).toBe(true);
    });

    it('--undo removes what setup installed and restores what it replaced, byte for byte', async () => {
      const result = await setup('--undo');
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/restored\s+restore .*config\.json as it was/);
      expect(result.stdout).toMatch(/removed\s+delete group labdeck/);
      expect(await snapshot()).toEqual(before);
      expect(await readFile(systemPaths(root).configFile, 'utf8')).toBe(handWritten);
      expect(await groupLine()).toBeNull();
      expect((await setup('--undo')).stdout).toContain('Nothing to undo');
    });

    it("makes VOLUME/labdeck-folders root's before anyone can squat it on a volume all may write to; a squatted one and an open volume are failed checks, left as they are", async () => {
      const other = await makeRoot('setup-folders-');
      roots.push(other);
      const volume = async (name: string, bits: number): Promise<string> => {
        const path = join(other, 'srv', name);
        await mkdir(path, { recursive: true });
        await chmod(path, bits);
        return path;
      };
      const sticky = await volume('sticky', 0o1777);
      const open = await volume('open', 0o777);
      const squatted = await volume('squatted', 0o1777);
      // Someone (uid 4242) made it first, as anyone may on a sticky 1777 volume.
      await mkdir(join(squatted, 'labdeck-folders'), { mode: 0o755 });
      await chown(join(squatted, 'labdeck-folders'), 4242, 4242);
      const setupOther = (...args: string[]) =>
        runLabdeck(['host', 'setup', 'local', '--root', other, ...args], env);

      const result = await setupOther(
        ...['--volume', `sticky=${sticky}`, '--volume', `open=${open}`],
        ...['--volume', `squatted=${squatted}`, '--json'],
      );
      const report = hostSetupReportSchema.parse(JSON.parse(result.stdout));
      const made = join(sticky, 'labdeck-folders');
      expect([await mode(made), (await stat(made)).uid]).toEqual(['711', 0]);
      expect(report.checks).toContainEqual({
        check: 'volume',
        title: 'Folders on volume open',
        status: 'fail',
        detail: `${open} others may write to (mode 777): the helper makes folders only in a volume directory that only root (or, with the sticky bit, each owner) may change`,
        fix: `sudo chown root ${open} && sudo chmod g-w,o-w ${open} (or sudo chmod +t ${open} to keep it open to all), then run setup again`,
      });
      expect(report.checks).toContainEqual({
        check: 'volume',
        title: 'Folders on volume squatted',
        status: 'fail',
        detail: `${squatted}/labdeck-folders belongs to uid 4242, not root: folders cannot be made on squatted until it is root's alone`,
        fix: `look at what is in it, then move it aside (sudo mv ${squatted}/labdeck-folders ${squatted}/labdeck-folders.old) and run setup again`,
      });
      await expect(stat(join(open, 'labdeck-folders'))).rejects.toMatchObject({ code: 'ENOENT' });
      const squat = await stat(join(squatted, 'labdeck-folders'));
      expect([squat.uid, (squat.mode & 0o777).toString(8)]).toEqual([4242, '755']);

      expect((await setupOther('--undo')).code).toBe(0);
      await expect(stat(made)).rejects.toMatchObject({ code: 'ENOENT' });
      expect((await stat(join(squatted, 'labdeck-folders'))).uid).toBe(4242);
      expect(await groupLine()).toBeNull();
    });

    it("the Doctor's helper check hashes the installed file: a changed one is damaged, another build's is not this one's", async () => {
      const other = await makeRoot('setup-hash-');
      roots.push(other);
      const setupOther = (...args: string[]) =>
        runLabdeck(['host', 'setup', 'local', '--root', other, ...args], env);
      expect((await setupOther()).code).toBe(0);
      const ours = createHash('sha256')
        .update(await readFile(AGENT_BUNDLE))
        .digest('hex');
      const helper = async (bundleSha256 = ours) =>
        (await setupStatus({ version, root: other, bundleSha256 })).helper;
      const installed = systemPaths(other).agentFile(version);
      expect(await helper()).toMatchObject({ state: 'installed' });
      expect(await helper('0'.repeat(64))).toMatchObject({
        state: 'other-version',
        detail: `The helper at ${installed} is another build of LabDeck ${version} than this one (SHA-256 ${ours.slice(0, 12)}, this one 000000000000): run host setup again to install this one.`,
      });

      await writeFile(installed, '\n// changed', { flag: 'a' });
      expect(await helper()).toMatchObject({
        state: 'invalid',
        detail: expect.stringContaining(
          `The helper at ${installed} is not the file setup installed (its SHA-256 differs from the install record)`,
        ),
      });
      // Setup again puts the file back; then it is this build's again.
      expect((await setupOther()).code).toBe(0);
      expect(await helper()).toMatchObject({ state: 'installed' });
      await rm(installed);
      expect(await helper()).toMatchObject({
        state: 'invalid',
        detail: expect.stringContaining('cannot be read (ENOENT)'),
      });
      expect((await setupOther('--undo')).code).toBe(0);
      expect(await groupLine()).toBeNull();
    });

    it('refuses a volume that is not an existing directory, by its flag, and changes nothing', async () => {
      const result = await setup('--volume', `data=${root}/srv/missing`);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `--volume data=${root}/srv/missing: ${root}/srv/missing does not exist`,
      );
      expect(result.stderr).toContain('Nothing was changed');
      expect(await snapshot()).toEqual(before);
      expect(await groupLine()).toBeNull();
    });

    it('trusts a log parent its system group may write to (Ubuntu: /var/log root:syslog 0775), never one others or a user group may', async () => {
      const cases = [
        { gid: 4, mode: 0o775, trusted: true },
        { gid: 4, mode: 0o777, trusted: false },
        { gid: 60_000, mode: 0o775, trusted: false },
      ];
      for (const { gid, mode: logMode, trusted } of cases) {
        const made = await makeRoot('setup-varlog-');
        roots.push(made);
        const varLog = join(made, 'var/log');
        await mkdir(varLog, { recursive: true, mode: 0o755 });
        await chown(varLog, 0, gid);
        await chmod(varLog, logMode);
        const was = await snapshot(made);
        const result = await runLabdeck(
          ['host', 'setup', 'local', '--root', made, '--dry-run'],
          env,
        );
        if (trusted) {
          expect(result.code, result.stderr).toBe(0);
          expect(result.stdout).toMatch(
            /would\s+create .*var\/log\/labdeck for the privileged helper's log/,
          );
        } else {
          expect(result.code).toBe(1);
          expect(result.stderr).toContain(
            `${varLog} is writable by group or others (mode ${logMode.toString(8)})`,
          );
        }
        expect(await snapshot(made)).toEqual(was);
      }
    });

    it('checks Docker and the NVIDIA container toolkit and prints the command that fixes each missing piece', async () => {
      const made = await makeRoot('setup-checks-');
      roots.push(made);
      const bin = join(made, 'bin');
      await mkdir(bin, { mode: 0o755 });
      const tool = (name: string) =>
        writeFile(join(bin, name), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
      const checksWith = async (path: string, dockerHost: string) => {
        const result = await runLabdeck(
          ['host', 'setup', 'local', '--root', made, '--dry-run', '--json'],
          { ...env, PATH: path, DOCKER_HOST: dockerHost },
        );
        expect(result.code, result.stderr).toBe(0);
        const { checks } = hostSetupReportSchema.parse(JSON.parse(result.stdout));
        return Object.fromEntries(checks.map((check) => [check.check, check]));
      };
      const noSbin = `${bin}:/usr/local/bin:/usr/bin:/bin`;
      const nowhere = `unix://${join(made, 'no-docker.sock')}`;

      let checks = await checksWith(noSbin, nowhere);
      expect(checks.docker).toMatchObject({
        status: 'fail',
        detail: expect.stringContaining('Docker is not installed'),
      });
      expect(checks.docker!.fix).toMatch(
        /apt-get install .*docker\.io && sudo systemctl enable --now docker/,
      );
      expect(checks['nvidia-toolkit']).toMatchObject({
        status: 'warn',
        detail: expect.stringContaining('no NVIDIA driver'),
      });

      await tool('dockerd');
      await tool('nvidia-smi');
      checks = await checksWith(noSbin, nowhere);
      expect(checks.docker).toMatchObject({
        status: 'fail',
        fix: 'sudo systemctl enable --now docker',
      });
      expect(checks['nvidia-toolkit']).toMatchObject({ status: 'fail' });
      expect(checks['nvidia-toolkit']!.fix).toMatch(
        /nvidia-container-toolkit && sudo nvidia-ctk runtime configure --runtime=docker/,
      );

      await tool('nvidia-container-runtime-hook');
      const socket = join(made, 'docker.sock');
      const server = createServer().listen(socket);
      await once(server, 'listening');
      try {
        checks = await checksWith(noSbin, `unix://${socket}`);
      } finally {
        server.close();
      }
      expect(checks.docker).toMatchObject({
        status: 'pass',
        detail: `the engine listens on ${socket}`,
      });
      expect(checks['nvidia-toolkit']).toMatchObject({ status: 'pass' });
      expect(checks.docker!.fix).toBeUndefined();
    });

    it('refuses to overwrite a configuration it cannot read, and changes nothing', async () => {
      const broken = await makeRoot('setup-broken-');
      roots.push(broken);
      const paths = systemPaths(broken);
      await mkdir(paths.configDir, { recursive: true });
      await writeFile(paths.configFile, '{"version": 1, "lab": ');
      const was = await snapshot(broken);
      const result = await runLabdeck(['host', 'setup', 'local', '--root', broken], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /config\.json is not JSON .*setup changes nothing rather than overwrite it/,
      );
      expect(await snapshot(broken)).toEqual(was);
    });

    it('takes back what a run had done when a later step fails', async () => {
      const blocked = await makeRoot('setup-blocked-');
      roots.push(blocked);
      // A directory where the sudo rule goes: the last step fails.
      await mkdir(systemPaths(blocked).sudoersFile, { recursive: true });
      const was = await snapshot(blocked);
      const result = await runLabdeck(['host', 'setup', 'local', '--root', blocked], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/is in the way/);
      expect(result.stderr).toMatch(/The \d+ changes this run had made were taken back/);
      expect(await snapshot(blocked)).toEqual(was);
      expect(await groupLine()).toBeNull();
    });

    it('finds a volume’s kind from its XFS mount and says how to turn project quota on', async () => {
      const xfsRoot = await makeRoot('setup-xfs-');
      roots.push(xfsRoot);
      const scratch = await mkdtemp(join(tmpdir(), 'labdeck-setup-xfs-'));
      const xfs = await mountXfs(scratch, join(xfsRoot, 'data'));
      try {
        const result = await runLabdeck(
          [
            'host',
            'setup',
            'local',
            '--root',
            xfsRoot,
            '--volume',
            `data=${xfs.mountPoint}`,
            '--dry-run',
          ],
          env,
        );
        expect(result.code, result.stderr).toBe(0);
        const kind = xfs.projectQuota ? 'xfs-prjquota' : 'xfs';
        expect(result.stdout).toContain(`add volume "data" at ${xfs.mountPoint} (${kind})`);
        if (xfs.projectQuota)
          expect(result.stdout).toMatch(
            /ok\s+Volume data .*with project quota: folders get quotas/,
          );
        else {
          // This kernel refuses prjquota: the volume works, without quotas, and the fix is named.
          expect(result.stdout).toMatch(/warn\s+Volume data .*XFS at .* without project quota/);
          expect(result.stdout).toContain(
            `fix: add prjquota to the options of ${xfs.mountPoint} in /etc/fstab`,
          );
        }

        // A volume the configuration already declares is checked on every run, and by the Doctor.
        const paths = systemPaths(xfsRoot);
        await mkdir(paths.configDir, { recursive: true, mode: 0o755 });
        const declared = [
          { name: 'data', path: xfs.mountPoint, kind },
          { name: 'away', path: join(xfsRoot, 'srv/away'), kind: 'plain' },
        ];
        await writeFile(
          paths.configFile,
          JSON.stringify({ version: 1, lab: 'vision', volumes: declared }),
        );
        const dryRun = () =>
          runLabdeck(['host', 'setup', 'local', '--root', xfsRoot, '--dry-run'], env);
        const status = async () =>
          (await setupStatus({ version, root: xfsRoot })).volumes.map((v) => [v.name, v.state]);
        const mounted = await dryRun();
        expect(mounted.code, mounted.stderr).toBe(0);
        expect(mounted.stdout).toMatch(
          xfs.projectQuota
            ? /ok\s+Volume data .*folders get quotas/
            : /warn\s+Volume data .*XFS at/,
        );
        expect(mounted.stdout).toMatch(/FAIL\s+Volume away .*srv\/away does not exist/);
        expect(mounted.stdout).toContain(
          `create ${xfs.mountPoint}/labdeck-folders for the folders`,
        );
        expect(await status()).toEqual([
          ['data', 'ok'],
          ['away', 'missing'],
        ]);

        await xfs.unmount();
        const unmounted = await dryRun();
        expect(unmounted.code, unmounted.stderr).toBe(0);
        expect(unmounted.stdout).toMatch(
          new RegExp(
            `FAIL\\s+Volume data .*declared ${kind}, but .* is on \\S+ at .*: its XFS filesystem is not mounted`,
          ),
        );
        // Not on the empty mount point that the unmounted XFS left: that is not the volume.
        expect(unmounted.stdout).not.toContain('labdeck-folders');
        expect(await status()).toEqual([
          ['data', 'missing'],
          ['away', 'missing'],
        ]);
      } finally {
        await xfs.unmount().catch(() => {});
        await rm(scratch, { recursive: true, force: true });
      }
    });

    it('a later run that fails puts back what it changed, files an earlier run wrote too', async () => {
      const again = await makeRoot('setup-again-');
      roots.push(again);
      const paths = systemPaths(again);
      const run1 = await runLabdeck(
        ['host', 'setup', 'local', '--root', again, '--lab', 'one'],
        env,
      );
      expect(run1.code, run1.stderr).toBe(0);
      // The rule's place taken by a directory: the second run fails at its last step.
      await rm(paths.sudoersFile);
      await mkdir(paths.sudoersFile);
      const was = await snapshot(again);
      const run2 = await runLabdeck(
        ['host', 'setup', 'local', '--root', again, '--lab', 'two'],
        env,
      );
      expect(run2.code).toBe(1);
      expect(run2.stderr).toMatch(/is in the way: LabDeck needs a file there/);
      expect(run2.stderr).toMatch(/The \d+ changes this run had made were taken back/);
      expect(await snapshot(again)).toEqual(was);
      expect(JSON.parse(await readFile(paths.configFile, 'utf8'))).toMatchObject({ lab: 'one' });
      await rm(paths.sudoersFile, { recursive: true });
      expect(
        (await runLabdeck(['host', 'setup', 'local', '--root', again, '--undo'], env)).code,
      ).toBe(0);
      expect(await groupLine()).toBeNull();
    });

    it('keeps the helper of another installed version in the rule, and an admin’s edit on undo', async () => {
      const both = await makeRoot('setup-versions-');
      roots.push(both);
      const paths = systemPaths(both);
      expect((await runLabdeck(['host', 'setup', 'local', '--root', both], env)).code).toBe(0);
      // Another LabDeck version set up here before (as its own setup would have left it).
      const older = '0.0.9';
      await mkdir(paths.agentDir(older), { mode: 0o755 });
      await copyFile(paths.agentFile(version), paths.agentFile(older));
      await writeFile(
        paths.installRecord(older),
        JSON.stringify({
          ...JSON.parse(await readFile(paths.installRecord(version), 'utf8')),
          version: older,
          helper: paths.agentFile(older),
        }),
        { mode: 0o644 },
      );
      expect((await runLabdeck(['host', 'setup', 'local', '--root', both], env)).code).toBe(0);
      const rule = await readFile(paths.sudoersFile, 'utf8');
      expect(rule).toContain(
        `NOPASSWD: /usr/bin/node ${paths.agentFile(version)} --privileged, /usr/bin/node ${paths.agentFile(older)} --privileged`,
      );
      expect((await run(VISUDO, ['-cf', paths.sudoersFile])).stdout).toMatch(/parsed OK/);

      // The admin edits the configuration setup wrote; undo leaves their edit alone.
      const edited = `${(await readFile(paths.configFile, 'utf8')).trimEnd().slice(0, -1)}, "labAdmins": ["ada"]}\n`;
      await writeFile(paths.configFile, edited);
      const undo = await runLabdeck(['host', 'setup', 'local', '--root', both, '--undo'], env);
      expect(undo.code, undo.stderr).toBe(0);
      expect(undo.stdout).toMatch(
        /kept\s+keep .*config\.json\n\s+it was changed since setup wrote it/,
      );
      expect(await readFile(paths.configFile, 'utf8')).toBe(edited);
      expect(undo.stdout).toMatch(/removed\s+remove .*sudoers\.d\/labdeck\n/);
      expect(await groupLine()).toBeNull();
    });

    it('installs a Node for the helper where the host has no root-owned one', async () => {
      const bare = await makeRoot('setup-node-');
      roots.push(bare);
      // A Node in world-writable /tmp: not one root may trust, so setup installs its own copy.
      const userNode = await mkdtemp(join(tmpdir(), 'labdeck-user-node-'));
      try {
        await copyFile(process.execPath, join(userNode, 'node'));
        await chmod(join(userNode, 'node'), 0o755);
        const request = JSON.stringify({ mode: 'setup', root: bare });
        const { stdout } = await run(join(userNode, 'node'), [
          AGENT_BUNDLE,
          'setup',
          '--request',
          request,
        ]);
        const report = hostSetupReportSchema.parse(JSON.parse(stdout));
        const paths = systemPaths(bare);
        const node = paths.nodeFile(process.versions.node);
        expect(report.changes.map((change) => change.title)).toContain(
          `install Node ${process.versions.node} at ${node} (the host has no root-owned Node)`,
        );
        expect(await mode(node)).toBe('755');
        expect(await readFile(paths.sudoersFile, 'utf8')).toContain(
          `NOPASSWD: ${node} ${paths.agentFile(version)} --privileged`,
        );
        const undo = JSON.stringify({ mode: 'undo', root: bare });
        await run(process.execPath, [AGENT_BUNDLE, 'setup', '--request', undo]);
        expect(await groupLine()).toBeNull();
      } finally {
        await rm(userNode, { recursive: true, force: true });
      }
    });
    it('lets a member of labdeck run the helper through sudo -n, and nothing else; a non-member cannot', async () => {
      expect((await setup('--volume', `scratch=${root}/srv/scratch`)).code).toBe(0);
      const paths = systemPaths(root);
      alice = await createTestUser('alice');
      mallory = await createTestUser('mallory');
      await run('gpasswd', ['-a', alice.username, GROUP]);
      // sudo reads only the real /etc/sudoers.d: the file setup wrote goes there, checked first.
      removeRule = await installRuleFrom(paths.sudoersFile);

      const record = installRecordSchema.parse(
        JSON.parse(await readFile(paths.installRecord(version), 'utf8')),
      );
      const helper = await openPrivilegedHelper(record, {
        wrapper: ['runuser', '-u', alice.username, '--'],
        userName: alice.username,
      });
      try {
        expect(await helper.call('privileged.ping', {})).toMatchObject({
          euid: 0,
          callerUid: alice.uid,
          root,
        });
      } finally {
        helper.close();
      }
      const other = await runAs(alice.username, ['sudo', '-n', '/usr/bin/id', '-u']);
      expect(other.code).not.toBe(0);
      expect(other.stderr).toMatch(/password is required/);

      await expect(
        openPrivilegedHelper(record, {
          wrapper: ['runuser', '-u', mallory.username, '--'],
          userName: mallory.username,
        }),
      ).rejects.toMatchObject({ code: 'privileged-sudo-denied' });

      await removeRule();
      removeRule = undefined;
      await run('gpasswd', ['-d', alice.username, GROUP]);

      // Undo keeps what was written since setup (the helper's log) and says so.
      const undo = await setup('--undo');
      expect(undo.stdout).toMatch(
        /kept\s+keep .*\/var\/log\/labdeck\n\s+it holds what was written there since setup \(privileged\.log\)/,
      );
      expect(await groupLine()).toBeNull();
      const left = (await snapshot()).filter((entry) => !before.includes(entry));
      expect(left.map((entry) => entry.split(' ')[0]!.slice(root.length))).toEqual([
        '/var',
        '/var/log',
        '/var/log/labdeck',
        '/var/log/labdeck/privileged.log',
      ]);
    });
  },
);

describeWithParts(
  ['root', 'sshd', 'sudo'],
  'setting up an SSH host as a researcher who may sudo with a password',
  () => {
    let sshd: Sshd;
    let ada: TestUser;
    let bob: TestUser;
    let home: string;
    let root: string;
    let client: Client;
    let services: Services;
    const asked: PromptRequest[] = [];
    /** What the researcher types at each sudo question, in order. */
    let sudoAnswers: string[] = [];

    beforeAll(async () => {
      await ensureBuilt();
      if ((await groupLine()) !== null)
        throw new Error(
          `The group ${GROUP} exists on this machine already; remove it: groupdel ${GROUP}`,
        );
      root = await makeRoot('setup-ssh-');
      await mkdir(join(root, 'srv/scratch'), { recursive: true });
      // A German login: sudo's words must be read in the C locale all the same.
      sshd = await startSshd({
        config: { SetEnv: `LABDECK_SYSTEM_ROOT=${root} LANG=C.UTF-8 LANGUAGE=de` },
      });
      ada = await createTestUser('ada-sudo');
      bob = await createTestUser('bob-nosudo');
      await run('gpasswd', ['-a', ada.username, 'sudo']);
      home = await mkdtemp(join(tmpdir(), 'labdeck-setup-ssh-'));
      ({ services, client } = testServices(home, {
        prompt: async (request) => {
          asked.push(request);
          if (request.kind === 'host-key-unknown') return { kind: 'trust', trust: true };
          if (request.kind === 'sudo-password') {
            const secret = sudoAnswers.shift();
            return secret === undefined
              ? { kind: 'cancelled' }
              : { kind: 'secret', secret, remember: true };
          }
          return { kind: 'cancelled' };
        },
      }));
      for (const [name, user] of [
        ['lab', ada],
        ['lab-bob', bob],
      ] as const)
        await client.request('hosts:add', {
          name,
          user: user.username,
          hostname: sshd.host,
          port: sshd.port,
          identityFile: user.privateKeyPath,
        });
    }, 300_000);

    afterAll(async () => {
      await services?.dispose();
      await sshd?.stop();
      for (const user of [ada, bob]) {
        if (!user) continue;
        await stopAgents(user.username);
        await user.dispose();
      }
      if (ada) await run('gpasswd', ['-d', ada.username, 'sudo']).catch(() => {});
      if ((await groupLine()) !== null) await run('groupdel', [GROUP]).catch(() => {});
      if (root) await rm(root, { recursive: true, force: true });
      if (home) await rm(home, { recursive: true, force: true });
    });

    const setupRequest = (mode: 'setup' | 'undo' | 'dry-run') =>
      client.request('hosts:setup', {
        hostId: 'lab',
        mode,
        root,
        volumes: mode === 'undo' ? [] : [{ name: 'scratch', path: `${root}/srv/scratch` }],
      });

    it('shows the host as not set up, and that the user may sudo with a password', async () => {
      const status = await client.request('hosts:setup-status', { hostId: 'lab' });
      expect(status).toMatchObject({
        ok: true,
        value: {
          root,
          sudo: 'password',
          helper: { state: 'missing' },
          config: { state: 'missing' },
        },
      });
    });

    it('asks for the sudo password, asks again after a wrong one, and sets the host up', async () => {
      sudoAnswers = ['not-the-password', ada.password];
      const result = await setupRequest('setup');
      expect(result.ok ? result.value.changed : result.error).toBe(true);
      // The researcher who ran it is told how to let themselves use the helper.
      expect(
        result.ok && result.value.checks.find((check) => check.check === 'group-members'),
      ).toMatchObject({
        status: 'warn',
        detail: `you (${ada.username}) are not a member yet`,
        fix: expect.stringContaining(`sudo usermod -aG labdeck ${ada.username}`),
      });
      const questions = asked.filter((request) => request.kind === 'sudo-password');
      expect(questions).toEqual([
        { kind: 'sudo-password', host: 'lab', user: ada.username, retry: false },
        { kind: 'sudo-password', host: 'lab', user: ada.username, retry: true },
      ]);
      const status = await client.request('hosts:setup-status', { hostId: 'lab' });
      expect(status).toMatchObject({
        ok: true,
        value: {
          helper: { state: 'installed' },
          config: { state: 'ok' },
          rule: { state: 'not-member' },
        },
      });
    });

    it('never keeps the sudo password, and a cancelled question changes nothing', async () => {
      const files = (await readdir(home, { withFileTypes: true, recursive: true })).filter(
        (entry) => entry.isFile(),
      );
      expect(files.length).toBeGreaterThan(0);
      for (const file of files)
        expect(await readFile(join(file.parentPath, file.name), 'utf8')).not.toContain(
          ada.password,
        );
      sudoAnswers = [];
      const result = await setupRequest('undo');
      expect(result).toMatchObject({ ok: false, error: { code: 'setup-cancelled' } });
      expect(await groupLine()).not.toBeNull();
    });

    it('tells a researcher outside the group, in the Doctor, the command an admin runs for them', async () => {
      const report = await client.request('hosts:check', { hostId: 'lab' });
      const steps = report.ok ? report.value.steps : [];
      expect(steps.find((step) => step.step === 'setup-helper')).toMatchObject({ status: 'pass' });
      expect(steps.find((step) => step.step === 'setup-sudo-rule')).toMatchObject({
        status: 'warn',
        fix: expect.stringContaining(`sudo usermod -aG labdeck ${ada.username}`),
      });

      // Once the admin adds them, the helper answers at once: the agent that started before
      // takes the group on through sg (sudo matches the process's own groups).
      const removeRule = await installRuleFrom(systemPaths(root).sudoersFile);
      await run('gpasswd', ['-a', ada.username, GROUP]);
      try {
        const status = await client.request('hosts:setup-status', { hostId: 'lab' });
        expect(status).toMatchObject({ ok: true, value: { rule: { state: 'ok' } } });
      } finally {
        await run('gpasswd', ['-d', ada.username, GROUP]);
        await removeRule();
      }
    });

    it('refuses a user sudo does not allow, saying who and what to do, after their password', async () => {
      sudoAnswers = [bob.password];
      const result = await client.request('hosts:setup', {
        hostId: 'lab-bob',
        mode: 'dry-run',
        root,
      });
      expect(result).toMatchObject({
        ok: false,
        error: {
          code: 'setup-sudo-denied',
          message: `${bob.username} may not use sudo on lab-bob, and host setup must run as root.`,
        },
      });
    });

    it('takes setup back with the password typed again', async () => {
      sudoAnswers = [ada.password];
      const result = await setupRequest('undo');
      expect(result).toMatchObject({ ok: true, value: { mode: 'undo', changed: true } });
      expect(await groupLine()).toBeNull();
    });
  },
);
