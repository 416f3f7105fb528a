import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Client } from '../../../common/contract/client';
import type { Result } from '../../../common/contract/result';
import type { StartedSession } from '../../../common/contract/sessions';
import type { Services } from '../../../main/services';
import {
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
} from '../../harness';
import { runAs } from '../host-setup/privileged-fixture';
import { DOTFILE_HOST_PARTS, makeDotfileHost, type DotfileHost } from './dotfile-fixture';

const run = promisify(execFile);
/** This file's own names (prefix dfs): the sudo group, the dotfile group, a group nobody is in. */
const SUDO_GROUP = 'labdeck-test-dfs';
const GROUP = 'dfs-grp';
const NOT_MINE = 'dfs-none';
/** Images of this file's own, made from the test image. */
const IMAGE_REPO = 'labdeck-test/dfs-session';
/** A user the non-root image has in its own /etc/passwd, and its home there (not made yet). */
const IMAGE_USER = 'dfs-img:x:1234:1234::/home/dfs-img:/bin/sh';

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Every path under `root` with its mode, owner and content: equal trees list the same. */
async function tree(root: string): Promise<string[]> {
  const lines: string[] = [];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path);
    lines.push(
      `${path.slice(root.length)} ${info.mode.toString(8)} ${info.uid}:${info.gid}` +
        (entry.isFile() ? ` ${await readFile(path, 'utf8')}` : ''),
    );
  }
  return lines.sort();
}

describeWithParts(
  [...DOTFILE_HOST_PARTS, 'sshd', 'dockerd', 'busybox'],
  "sessions start with the lab's, the group's and the user's dotfiles, over the real sshd and Docker engine",
  () => {
    let host: DotfileHost;
    let alice: TestUser;
    let dockerd: DockerDaemon;
    let sshd: Sshd;
    let home: string;
    let services: Services;
    let client: Client;
    let env: NodeJS.ProcessEnv;
    let plain: string;

    const labdeck = (...args: string[]) => runLabdeck(args, env);
    /** `session start lab --image IMAGE …`, as the user types it. */
    const startCommand = (image: string, ...more: string[]) =>
      labdeck('session', 'start', 'lab', '--image', image, ...more);
    /** `session start lab --image IMAGE --name NAME … --json`, parsed. */
    const start = async (image: string, name: string, ...more: string[]) => {
      const started = await startCommand(image, '--name', name, '--json', ...more);
      expect(started.code, started.stderr).toBe(0);
      return JSON.parse(started.stdout) as StartedSession;
    };
    /** `script`'s output in a session's container, as its own user (docker exec). */
    const inSession = async (session: { containerId: string }, script: string) => {
      const container = dockerd.docker.getContainer(session.containerId);
      return (await execInContainer(dockerd.docker, container, ['sh', '-c', `${script} 2>&1`]))
        .stdout;
    };
    const sessionNames = async () =>
      (await dockerd.docker.listContainers({ all: true })).map((c) => c.Labels['labdeck.name']);
    const set = async (
      scope: 'user' | 'group' | 'domain',
      path: string,
      content: string,
      mode?: string,
    ) =>
      value(
        await client.request('dotfiles:set', {
          hostId: 'lab',
          scope,
          ...(scope === 'group' ? { group: GROUP } : {}),
          path,
          content,
          ...(mode === undefined ? {} : { mode }),
        }),
      );
    /** An image made from the test image by `script`, with Dockerfile `changes` (USER, ENV). */
    const derive = async (tag: string, script: string, changes: string[]) => {
      const builder = await dockerd.docker.createContainer({
        Image: TEST_IMAGE,
        Cmd: ['sh', '-c', script],
      });
      await builder.start();
      await builder.wait();
      await builder.commit({ repo: IMAGE_REPO, tag, changes });
      await builder.remove({ force: true });
      return `${IMAGE_REPO}:${tag}`;
    };

    beforeAll(async () => {
      host = await makeDotfileHost({
        sudoGroup: SUDO_GROUP,
        group: GROUP,
        admin: 'dfs-alice',
        member: 'dfs-bob',
        primaryGroup: true,
      });
      alice = host.admin;
      await run('groupadd', ['-f', NOT_MINE]);
      // A volume of plain directories for alice's `.local` dot-folder.
      plain = join(host.installed.root, 'srv', 'plain');
      await mkdir(plain, { recursive: true, mode: 0o755 });
      await chmod(plain, 0o755);
      await host.reconfigure({
        ...host.config,
        volumes: [{ name: 'plain', path: plain, kind: 'plain' }],
      });
      dockerd = await startDockerd();
      await ensureTestImage(dockerd.docker);
      // Alice reaches the engine as a member of its socket's group, as `docker` is on a host.
      await run('groupadd', ['-f', SESSION_DOCKER_GROUP]);
      await chmod(dirname(dockerd.socketPath), 0o711);
      await run('chgrp', [SESSION_DOCKER_GROUP, dockerd.socketPath]);
      await chmod(dockerd.socketPath, 0o660);
      await run('usermod', ['-aG', SESSION_DOCKER_GROUP, alice.username]);
      // First in ~/.bashrc: Debian's returns early for the non-interactive shells LabDeck runs.
      const bashrc = join(alice.home, '.bashrc');
      const rest = await readFile(bashrc, 'utf8').catch(() => '');
      await writeFile(bashrc, `export DOCKER_HOST=unix://${dockerd.socketPath}\n${rest}`);
      sshd = await startSshd({ config: { SetEnv: host.agentEnv } });
      home = await mkdtemp(join(tmpdir(), 'labdeck-dfs-home-'));
      ({ services, client } = testServices(home, { agentBundlePath: host.bundle }));
      value(
        await client.request('hosts:add', {
          name: 'lab',
          user: alice.username,
          hostname: sshd.host,
          port: sshd.port,
          identityFile: alice.privateKeyPath,
        }),
      );
      value(await client.request('hosts:connect', { hostId: 'lab' }));
      env = { PATH: process.env.PATH, LABDECK_HOME: home, HOME: home, LABDECK_NO_APP: '1' };
    }, 300_000);

    afterAll(async () => {
      await services?.dispose();
      await sshd?.stop();
      await dockerd?.stop();
      if (alice) await stopAgents(alice.username);
      await host?.remove();
      await run('groupdel', [NOT_MINE]).catch(() => {});
      if (home) await rm(home, { recursive: true, force: true });
    });

    it("writes the lab's /etc/bash.bashrc, the group's /etc/profile.d/lab.sh and the user's .bashrc, with owners and modes; the higher level wins a path", async () => {
      await set('domain', '/etc/bash.bashrc', 'echo "lab bashrc"\n');
      await set('domain', '.vimrc', '" the lab\'s vimrc\n');
      await set('domain', '.tmux.conf', "# the lab's tmux\n");
      await set('group', '/etc/profile.d/lab.sh', 'export LAB_GROUP=dfs\n', '755');
      await set('group', '.vimrc', '" the group\'s vimrc\n');
      await set('user', '.bashrc', 'echo "my bashrc"\n', '600');
      await set('user', '.tmux.conf', 'set -g mouse on\n');
      await set('user', '.config/git/config', '[user]\n\tname = Alice\n');
      // In words first: how many were written, for the primary group.
      const text = await startCommand(TEST_IMAGE, '--name', 'words');
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain('Dotfiles: 6 written (group dfs-grp)\n');
      expect(text.stdout).not.toContain('skipped');
      const session = await start(TEST_IMAGE, 'dots');
      expect(session.dotfiles).toEqual({ group: GROUP, written: 6, skipped: [] });
      // The busybox image runs as root, HOME /root: home files root's, with their modes.
      expect(
        await inSession(
          session,
          'cat /etc/bash.bashrc /etc/profile.d/lab.sh ~/.bashrc ~/.vimrc ~/.tmux.conf ~/.config/git/config',
        ),
      ).toBe(
        'echo "lab bashrc"\nexport LAB_GROUP=dfs\necho "my bashrc"\n" the group\'s vimrc\nset -g mouse on\n[user]\n\tname = Alice\n',
      );
      expect(
        await inSession(
          session,
          'cd /root && stat -c "%n %u %g %a" /etc/bash.bashrc /etc/profile.d /etc/profile.d/lab.sh .bashrc .vimrc .config .config/git .config/git/config',
        ),
      ).toBe(
        [
          '/etc/bash.bashrc 0 0 644',
          '/etc/profile.d 0 0 755',
          '/etc/profile.d/lab.sh 0 0 755',
          '.bashrc 0 0 600',
          '.vimrc 0 0 644',
          '.config 0 0 755',
          '.config/git 0 0 755',
          '.config/git/config 0 0 644',
          '',
        ].join('\n'),
      );
    });

    it('owns home files and their directories by a non-root image user, in the HOME its /etc/passwd gives, made for it', async () => {
      const image = await derive(
        'uid1234',
        `echo '${IMAGE_USER}' >> /etc/passwd && echo 'dfs-img:x:1234:' >> /etc/group`,
        ['USER 1234'],
      );
      const session = await start(image, 'nonroot');
      expect(session.dotfiles).toEqual({ group: GROUP, written: 6, skipped: [] });
      expect(await inSession(session, 'id -u; echo $HOME')).toBe('1234\n/home/dfs-img\n');
      expect(
        await inSession(
          session,
          'stat -c "%n %u %g %a" /home /home/dfs-img /home/dfs-img/.bashrc /home/dfs-img/.config /home/dfs-img/.config/git /home/dfs-img/.config/git/config /etc/bash.bashrc',
        ),
      ).toBe(
        [
          '/home 0 0 755',
          '/home/dfs-img 1234 1234 755',
          '/home/dfs-img/.bashrc 1234 1234 600',
          '/home/dfs-img/.config 1234 1234 755',
          '/home/dfs-img/.config/git 1234 1234 755',
          '/home/dfs-img/.config/git/config 1234 1234 644',
          '/etc/bash.bashrc 0 0 644',
          '',
        ].join('\n'),
      );
      // The user's own shell can read its rc files: they are its.
      expect(await inSession(session, 'cat ~/.bashrc')).toBe('echo "my bashrc"\n');
    });

    it('skips a file inside the mounted .local folder, says why, and leaves the folder on the host as it was', async () => {
      const made = await labdeck('folder', 'create', 'lab', '.local');
      expect(made.code, made.stderr).toBe(0);
      const listed = await labdeck('folder', 'ls', 'lab', '--json');
      const local = (JSON.parse(listed.stdout) as { name: string; path: string }[]).find(
        (folder) => folder.name === '.local',
      )!;
      const wrote = await runAs(alice.username, [
        '/bin/sh',
        '-c',
        `mkdir -p ${local.path}/bin && echo "from the host" > ${local.path}/bin/hello`,
      ]);
      expect(wrote.code, wrote.stderr).toBe(0);
      await set('user', '.local/bin/hello', 'echo "from a dotfile"\n', '755');
      const before = await tree(local.path);
      const text = await startCommand(TEST_IMAGE, '--name', 'folded');
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain(
        'Dotfiles: 6 written (group dfs-grp)\n' +
          '  skipped ~/.local/bin/hello: inside the folder .local, mounted from the host\n',
      );
      const session = await start(TEST_IMAGE, 'folded-json');
      expect(session.dotfiles).toEqual({
        group: GROUP,
        written: 6,
        skipped: [
          { path: '.local/bin/hello', reason: 'inside the folder .local, mounted from the host' },
        ],
      });
      expect(await tree(local.path)).toEqual(before);
      // HOME is /home/work with folders: the rc files are there, the folder's file is the host's.
      expect(
        await inSession(
          session,
          'echo $HOME; cat ~/.bashrc ~/.local/bin/hello; stat -c "%u %a" ~/.bashrc',
        ),
      ).toBe('/home/work\necho "my bashrc"\nfrom the host\n0 600\n');
    });

    it('starts nothing with --group of a group the user is not in, and says so; a malformed name is refused before connecting', async () => {
      const refused = await startCommand(TEST_IMAGE, '--name', 'outsider', '--group', NOT_MINE);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        `You (${alice.username}) are not in group ${NOT_MINE}, so its dotfiles are not yours to read or start a session with.`,
      );
      expect(refused.stderr).toContain('No session was started.');
      expect(await sessionNames()).not.toContain('outsider');
      const usage = await startCommand(TEST_IMAGE, '--group', 'Not A Group');
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('--group "Not A Group" is not a Unix group name');
      // The group asked for by name, when the user is in it, is the one reported.
      const mine = await start(TEST_IMAGE, 'sudo-group', '--group', SUDO_GROUP);
      expect(mine.dotfiles.group).toBe(SUDO_GROUP);
      // Without dfs-grp's files: the lab's .vimrc, not the group's, and no profile.d/lab.sh.
      expect(await inSession(mine, 'cat ~/.vimrc; ls /etc/profile.d/lab.sh')).toMatch(
        /^" the lab's vimrc\nls: \/etc\/profile.d\/lab.sh: No such file or directory\n$/,
      );
    });

    it('removes the container and says why when the dotfiles cannot be written (an image user that does not exist)', async () => {
      const image = await derive('ghost', 'true', ['USER ghost']);
      const refused = await startCommand(image, '--name', 'ghostly');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('session-dotfiles-failed');
      expect(refused.stderr).toContain(`its user "ghost" is not in the image's /etc/passwd`);
      expect(await sessionNames()).not.toContain('ghostly');
    });

    it('writes nothing and reports 0 written when no level has a file', async () => {
      const files = value(await client.request('dotfiles:list', { hostId: 'lab' })).files;
      for (const file of files)
        value(
          await client.request('dotfiles:remove', {
            hostId: 'lab',
            scope: file.scope,
            ...(file.group === null ? {} : { group: file.group }),
            path: file.path,
          }),
        );
      const text = await startCommand(TEST_IMAGE, '--name', 'bare');
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain('Dotfiles: 0 written (group dfs-grp)\n');
      const listed = value(await client.request('sessions:list', { hostId: 'lab' }));
      const bare = listed.sessions.find((s) => s.name === 'bare')!;
      expect(await inSession(bare, 'ls -A /home/work; ls /etc/profile.d 2>&1')).toBe(
        '.local\nls: /etc/profile.d: No such file or directory\n',
      );
    });
  },
);
