import { mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DotfilePreviewEntry } from '../../../common/dotfiles/dotfile-store';
import { writeContainerDotfiles } from '../../../main/dotfiles/container-dotfiles';
import {
  describeWithParts,
  ensureTestImage,
  execInContainer,
  sharedDockerd,
  TEST_IMAGE,
  type DockerEngine,
} from '../../harness';

/** Image tags of this file's own, removed after it. */
const IMAGE_REPO = 'labdeck-test/dfs-dotfiles';
/** Keeps a container alive until it is removed. */
const KEEP_ALIVE = ['sh', '-c', "trap 'exit 0' TERM; while :; do sleep 1; done"];

/** A merged dotfile as the agent's preview gives it, with its text. */
function dotfile(path: string, content: string, mode = '644'): DotfilePreviewEntry {
  return {
    path,
    scope: path.startsWith('/') ? 'domain' : 'user',
    group: null,
    mode,
    bytes: Buffer.byteLength(content),
    overrides: [],
    content,
  };
}

/** Every path under `root` with its content, to see that a host directory is untouched. */
async function tree(root: string): Promise<string[]> {
  const lines: string[] = [];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path);
    lines.push(
      `${path.slice(root.length)} ${info.mode.toString(8)} ${info.uid}` +
        (entry.isFile() ? ` ${await readFile(path, 'utf8')}` : ''),
    );
  }
  return lines.sort();
}

describeWithParts(
  ['root', 'dockerd', 'busybox'],
  "a session's dotfiles written into its created container through the Docker API",
  () => {
    let engine: DockerEngine;
    let docker: Dockerode;
    let scratch: string;
    const containers: Dockerode.Container[] = [];
    const images: string[] = [];

    /** A created (not started) container of `image` with `options`. */
    const create = async (
      image: string,
      options: Partial<Dockerode.ContainerCreateOptions> = {},
    ) => {
      const container = await docker.createContainer({ Image: image, Cmd: KEEP_ALIVE, ...options });
      containers.push(container);
      return container;
    };
    /** `script`'s output in a started container. */
    const sh = async (container: Dockerode.Container, script: string) =>
      (await execInContainer(docker, container, ['sh', '-c', `${script} 2>&1`])).stdout;
    /** An image made from the test image by running `script` in it, with Dockerfile `changes`. */
    const derive = async (tag: string, script: string, changes: string[] = []) => {
      const builder = await docker.createContainer({
        Image: TEST_IMAGE,
        Cmd: ['sh', '-c', script],
      });
      await builder.start();
      await builder.wait();
      await builder.commit({ repo: IMAGE_REPO, tag, changes });
      await builder.remove({ force: true });
      images.push(`${IMAGE_REPO}:${tag}`);
      return `${IMAGE_REPO}:${tag}`;
    };

    beforeAll(async () => {
      engine = await sharedDockerd();
      docker = engine.docker;
      await ensureTestImage(docker);
      scratch = await mkdtemp(join(tmpdir(), 'labdeck-dfs-docker-'));
    });

    afterAll(async () => {
      for (const container of containers) await container.remove({ force: true }).catch(() => {});
      for (const image of images)
        await docker
          .getImage(image)
          .remove({ force: true })
          .catch(() => {});
      if (scratch) await rm(scratch, { recursive: true, force: true });
    });

    it('writes home files as the image user (root) and system files as root, each with its mode, before the first process runs', async () => {
      const container = await create(TEST_IMAGE, {
        Cmd: ['sh', '-c', `cat /root/.bashrc /etc/profile.d/lab.sh; ${KEEP_ALIVE[2]}`],
      });
      const report = await writeContainerDotfiles(
        container,
        [
          dotfile('.bashrc', 'echo user rc\n', '600'),
          dotfile('.config/git/config', '[user]\n\tname = Ada\n'),
          dotfile('/etc/profile.d/lab.sh', 'export LAB=1\n'),
          dotfile('/etc/bash.bashrc', 'echo lab rc\n'),
        ],
        [],
      );
      expect(report).toEqual({ written: 4, skipped: [] });
      await container.start();
      const logs = (await container.logs({ stdout: true, follow: false })).toString('utf8');
      expect(logs).toContain('echo user rc');
      expect(logs).toContain('export LAB=1');
      expect(
        await sh(
          container,
          'stat -c "%n %u %g %a" /root/.bashrc /root/.config /root/.config/git /root/.config/git/config /etc/profile.d /etc/profile.d/lab.sh /etc/bash.bashrc',
        ),
      ).toBe(
        [
          '/root/.bashrc 0 0 600',
          '/root/.config 0 0 755',
          '/root/.config/git 0 0 755',
          '/root/.config/git/config 0 0 644',
          '/etc/profile.d 0 0 755',
          '/etc/profile.d/lab.sh 0 0 644',
          '/etc/bash.bashrc 0 0 644',
          '',
        ].join('\n'),
      );
      // HOME itself and /etc keep what the image gave them.
      expect(await sh(container, 'stat -c "%n %a" /root /etc')).toBe('/root 700\n/etc 755\n');
    });

    it('owns home files by a named image user from its own /etc/passwd and /etc/group, with `name:group`', async () => {
      const image = await derive(
        'named',
        'echo "dfs:x:2345:2345::/home/dfs:/bin/sh" >> /etc/passwd && echo "dfs:x:2345:" >> /etc/group && echo "dfs-lab:x:3456:" >> /etc/group && mkdir -p /home/dfs && chown 2345:2345 /home/dfs && chmod 750 /home/dfs',
        ['USER dfs:dfs-lab'],
      );
      const container = await create(image);
      const report = await writeContainerDotfiles(
        container,
        [dotfile('.vimrc', 'set number\n'), dotfile('/etc/vim/vimrc.local', 'syntax on\n')],
        [],
      );
      expect(report).toEqual({ written: 2, skipped: [] });
      await container.start();
      expect(
        await sh(
          container,
          'stat -c "%n %u %g %a" /home/dfs /home/dfs/.vimrc /etc/vim /etc/vim/vimrc.local',
        ),
      ).toBe(
        '/home/dfs 2345 2345 750\n/home/dfs/.vimrc 2345 3456 644\n/etc/vim 0 0 755\n/etc/vim/vimrc.local 0 0 644\n',
      );
    });

    it('makes a missing HOME for a numeric user without a passwd entry: HOME theirs, the directories above it root’s', async () => {
      const image = await derive('numeric', 'true', ['USER 1234', 'ENV HOME=/work/u1234']);
      const container = await create(image);
      const report = await writeContainerDotfiles(
        container,
        [dotfile('.tmux.conf', 'set -g mouse on\n')],
        [],
      );
      expect(report).toEqual({ written: 1, skipped: [] });
      await container.start();
      expect(
        await sh(
          container,
          'id -u; stat -c "%n %u %g %a" /work /work/u1234 /work/u1234/.tmux.conf',
        ),
      ).toBe('1234\n/work 0 0 755\n/work/u1234 1234 0 755\n/work/u1234/.tmux.conf 1234 0 644\n');
    });

    it('refuses an image whose user is not in its /etc/passwd, naming the user', async () => {
      const image = await derive('ghost', 'true', ['USER ghost']);
      const container = await create(image);
      await expect(
        writeContainerDotfiles(container, [dotfile('.bashrc', 'x\n')], []),
      ).rejects.toThrow(/user "ghost" is not in the image's \/etc\/passwd/);
    });

    it('skips files at, under and above a mounted folder, writes the rest, and leaves the folders on the host as they were', async () => {
      const local = join(scratch, 'local');
      const data = join(scratch, 'data');
      const pipes = join(scratch, 'pipes');
      await mkdir(pipes, { recursive: true });
      await mkdir(join(local, 'bin'), { recursive: true });
      await mkdir(data, { recursive: true });
      await writeFile(join(local, 'bin', 'tool'), 'host tool\n');
      await writeFile(join(data, 'results.csv'), 'a,b\n');
      const before = [await tree(local), await tree(data), await tree(pipes)];
      const folders = [
        { name: '.local', id: 'f1', path: local, target: '/home/work/.local', readOnly: false },
        { name: 'data', id: 'f2', path: data, target: '/home/work/data', readOnly: false },
      ];
      const container = await create(TEST_IMAGE, {
        Env: ['HOME=/home/work'],
        HostConfig: {
          Binds: [...folders.map((f) => `${f.path}:${f.target}`), `${pipes}:/home/work/.cache/mps`],
        },
      });
      const report = await writeContainerDotfiles(
        container,
        [
          dotfile('.bashrc', 'echo rc\n'),
          dotfile('.cache', 'a file where a directory holds a bind\n'),
          dotfile('.local/bin/tool', 'from a dotfile\n'),
          dotfile('data', 'not a folder\n'),
          dotfile('/etc/hosts', '10.0.0.1 evil\n'),
        ],
        folders,
      );
      expect(report).toEqual({
        written: 1,
        skipped: [
          {
            path: '/etc/hosts',
            reason: '/etc/hosts is there, written by Docker when the session starts',
          },
          {
            path: '.cache',
            reason:
              'it would replace the directory holding /home/work/.cache/mps, mounted from the host',
          },
          { path: '.local/bin/tool', reason: 'inside the folder .local, mounted from the host' },
          { path: 'data', reason: 'the folder data is there, mounted from the host' },
        ],
      });
      expect([await tree(local), await tree(data), await tree(pipes)]).toEqual(before);
      await container.start();
      expect(await sh(container, 'cat /home/work/.bashrc /home/work/.local/bin/tool')).toBe(
        'echo rc\nhost tool\n',
      );
    });

    it('skips every home file when HOME is a symbolic link into a bind, and replaces a link below HOME by a directory', async () => {
      const outside = join(scratch, 'outside');
      await mkdir(join(outside, 'home'), { recursive: true });
      // A directory seen through the link below HOME is not the image's to keep.
      await mkdir(join(outside, 'config', 'git'), { recursive: true });
      const image = await derive(
        'linked',
        'rm -rf /root && ln -s /mnt/host/home /root && mkdir -p /home/u && ln -s /mnt/host/config /home/u/.config',
      );
      const intoBind = await create(image, { HostConfig: { Binds: [`${outside}:/mnt/host`] } });
      const before = await tree(outside);
      expect(
        await writeContainerDotfiles(
          intoBind,
          [dotfile('.bashrc', 'x\n'), dotfile('/etc/inputrc', 'set bell-style none\n')],
          [],
        ),
      ).toEqual({
        written: 1,
        skipped: [
          {
            path: '.bashrc',
            reason: 'the home directory /mnt/host/home is inside /mnt/host, mounted from the host',
          },
        ],
      });
      const linkBelow = await create(image, {
        User: '1234',
        Env: ['HOME=/home/u'],
        HostConfig: { Binds: [`${outside}:/mnt/host`] },
      });
      expect(
        await writeContainerDotfiles(linkBelow, [dotfile('.config/git/config', '[core]\n')], []),
      ).toEqual({ written: 1, skipped: [] });
      expect(await tree(outside)).toEqual(before);
      await linkBelow.start();
      expect(
        await sh(
          linkBelow,
          'stat -c "%n %F %u %g %a" /home/u/.config /home/u/.config/git; cat /home/u/.config/git/config',
        ),
      ).toBe(
        '/home/u/.config directory 1234 0 755\n/home/u/.config/git directory 1234 0 755\n[core]\n',
      );
    });

    it('finds a bound file where Docker really mounted it, through a link in the image, and skips a dotfile there', async () => {
      const library = join(scratch, 'libvgpu.so');
      await writeFile(library, 'the host library\n');
      const image = await derive(
        'optlink',
        'mkdir -p /usr/opt-real/vgpu && ln -s /usr/opt-real /opt',
      );
      const container = await create(image, {
        HostConfig: { Binds: [`${library}:/opt/vgpu/libvgpu.so:ro`] },
      });
      expect(
        await writeContainerDotfiles(
          container,
          [dotfile('/usr/opt-real/vgpu/libvgpu.so', 'not the library\n')],
          [],
        ),
      ).toEqual({
        written: 0,
        skipped: [
          {
            path: '/usr/opt-real/vgpu/libvgpu.so',
            reason: '/opt/vgpu/libvgpu.so is there, mounted from the host',
          },
        ],
      });
      expect(await readFile(library, 'utf8')).toBe('the host library\n');
    });

    it('finds a file bound over a link in the image where Docker mounts it, at the link’s target, and skips the dotfile there', async () => {
      const library = join(scratch, 'libvgpu-linked.so');
      await writeFile(library, 'the host library\n');
      const image = await derive(
        'liblink',
        'mkdir -p /usr/lib /etc/profile.d && echo "the image\'s lab.sh" > /etc/profile.d/lab.sh && ln -s /etc/profile.d/lab.sh /usr/lib/libvgpu.so',
      );
      const container = await create(image, {
        HostConfig: { Binds: [`${library}:/usr/lib/libvgpu.so:ro`] },
      });
      expect(
        await writeContainerDotfiles(
          container,
          [
            dotfile('/etc/profile.d/lab.sh', 'export LAB=1\n'),
            dotfile('/etc/profile.d/other.sh', 'export OTHER=1\n'),
          ],
          [],
        ),
      ).toEqual({
        written: 1,
        skipped: [
          {
            path: '/etc/profile.d/lab.sh',
            reason: '/usr/lib/libvgpu.so is there, mounted from the host',
          },
        ],
      });
      expect(await readFile(library, 'utf8')).toBe('the host library\n');
      await container.start();
      // Docker did mount the host's file over the link's target.
      expect(await sh(container, 'cat /etc/profile.d/lab.sh /etc/profile.d/other.sh')).toBe(
        'the host library\nexport OTHER=1\n',
      );
    });

    it('keeps the directories the image has below HOME and /etc as they are (owner, mode), makes the missing ones the user’s, and replaces a link by a directory', async () => {
      const image = await derive(
        'kept',
        [
          'echo "dfs:x:2345:2345::/home/dfs:/bin/sh" >> /etc/passwd',
          'echo "dfs:x:2345:" >> /etc/group',
          'mkdir -p /home/dfs/.gnupg /home/dfs/.config /etc/lab',
          'chown 2345:2345 /home/dfs /home/dfs/.gnupg',
          'chmod 700 /home/dfs/.gnupg',
          'chmod 751 /home/dfs/.config',
          'chmod 711 /etc/lab',
          'ln -s /tmp/elsewhere /home/dfs/.vim',
        ].join(' && '),
        ['USER dfs'],
      );
      const container = await create(image);
      const report = await writeContainerDotfiles(
        container,
        [
          dotfile('.gnupg/gpg.conf', 'use-agent\n', '600'),
          dotfile('.config/git/config', '[core]\n'),
          dotfile('.vim/vimrc', 'set number\n'),
          dotfile('/etc/lab/conf', 'lab=1\n'),
        ],
        [],
      );
      expect(report).toEqual({ written: 4, skipped: [] });
      await container.start();
      expect(
        await sh(
          container,
          'cd /home/dfs && stat -c "%n %F %u %g %a" . .gnupg .gnupg/gpg.conf .config .config/git .vim .vim/vimrc /etc/lab /etc/lab/conf; ls /tmp/elsewhere',
        ),
      ).toBe(
        [
          '. directory 2345 2345 755',
          '.gnupg directory 2345 2345 700',
          '.gnupg/gpg.conf regular file 2345 2345 600',
          '.config directory 0 0 751',
          '.config/git directory 2345 2345 755',
          '.vim directory 2345 2345 755',
          '.vim/vimrc regular file 2345 2345 644',
          '/etc/lab directory 0 0 711',
          '/etc/lab/conf regular file 0 0 644',
          'ls: /tmp/elsewhere: No such file or directory',
          '',
        ].join('\n'),
      );
    });

    it('writes no home file when HOME leads to / through a link, so / and /etc keep their owner and mode', async () => {
      const image = await derive('homeroot', 'ln -s / /x', ['USER 1234', 'ENV HOME=/x']);
      const container = await create(image);
      const reason =
        "the session's HOME (/x) leads to / through a symbolic link, not a home directory of its own";
      expect(
        await writeContainerDotfiles(
          container,
          [
            dotfile('.bashrc', 'x\n'),
            dotfile('etc/cron.d/x', '* * * * * root true\n'),
            dotfile('/etc/inputrc', 'set bell-style none\n'),
          ],
          [],
        ),
      ).toEqual({
        written: 1,
        skipped: [
          { path: '.bashrc', reason },
          { path: 'etc/cron.d/x', reason },
        ],
      });
      await container.start();
      expect(
        await sh(container, 'stat -c "%n %u %g %a" / /etc /etc/inputrc; ls /.bashrc /etc/cron.d'),
      ).toBe(
        [
          '/ 0 0 755',
          '/etc 0 0 755',
          '/etc/inputrc 0 0 644',
          'ls: /.bashrc: No such file or directory',
          'ls: /etc/cron.d: No such file or directory',
          '',
        ].join('\n'),
      );
    });

    it('writes a path longer than a tar header holds, a non-ASCII one and an owner id beyond ustar (pax headers)', async () => {
      const image = await derive('bigid', 'true', ['USER 2147483000', 'ENV HOME=/home/big']);
      const container = await create(image);
      const long = `${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(60)}/conf`;
      const report = await writeContainerDotfiles(
        container,
        [dotfile(long, 'long\n'), dotfile('.notes/café.txt', 'crème\n')],
        [],
      );
      expect(report.written).toBe(2);
      await container.start();
      expect(
        await sh(
          container,
          `cat "/home/big/${long}" "/home/big/.notes/café.txt"; stat -c "%u %g" "/home/big/${long}"`,
        ),
      ).toBe('long\ncrème\n2147483000 0\n');
    });
  },
);
