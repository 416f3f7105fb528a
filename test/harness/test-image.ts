import { execFile, spawn } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Dockerode from 'dockerode';
import { PARTS } from './require-part';

const execFileAsync = promisify(execFile);

/** Repository and tag of the test image; a tag, since no registry is reachable to pull from. */
export const TEST_IMAGE_REPO = 'labdeck-test/busybox';
export const TEST_IMAGE_TAG = '1';
/** The image tests run containers from: busybox-static with every applet on /bin. */
export const TEST_IMAGE = `${TEST_IMAGE_REPO}:${TEST_IMAGE_TAG}`;
/** Debian busybox-static: one statically linked binary, so the image needs no libc. */
const BUSYBOX_PATH = PARTS.busybox.path;

/** Minimal account files so `id`, `docker exec --user root` and `ls -l` show names. */
const ETC_PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n';
const ETC_GROUP = 'root:x:0:\nnogroup:x:65534:\n';

/**
 * Make sure `docker` has {@link TEST_IMAGE}, building it when missing (idempotent) and returning
 * its name. Built with `docker import` from a rootfs holding /bin/busybox and a symlink per applet
 * (sh, httpd, cat, sleep, echo, ls, id, env, wget…), /tmp, /root and /etc/passwd. The image has no
 * CMD, so containers pass their command, e.g. `Cmd: ['sh', '-c', 'echo hello']`.
 */
export async function ensureTestImage(docker: Dockerode): Promise<string> {
  if (await imageExists(docker)) return TEST_IMAGE;
  const root = await mkdtemp(join(tmpdir(), 'labdeck-rootfs-'));
  try {
    await writeRootfs(root);
    const tarArgs = ['-C', root, '--owner=0', '--group=0', '--numeric-owner', '-c', '.'];
    const tar = spawn(PARTS.tar.path, tarArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    let tarErrors = '';
    tar.stderr.on('data', (chunk: Buffer) => (tarErrors += chunk.toString()));
    const tarExit = new Promise<number | null>((resolve) => tar.once('close', resolve));
    const progress = await docker.importImage(tar.stdout, {
      repo: TEST_IMAGE_REPO,
      tag: TEST_IMAGE_TAG,
    });
    const events = await new Promise<ReadonlyArray<{ error?: string }>>((resolve, reject) =>
      docker.modem.followProgress(progress, (error: Error | null, output: { error?: string }[]) =>
        error ? reject(error) : resolve(output),
      ),
    );
    const failure = events.find((event) => event.error !== undefined);
    if ((await tarExit) !== 0 || failure !== undefined || !(await imageExists(docker))) {
      throw new Error(`could not import ${TEST_IMAGE}: ${failure?.error ?? ''} ${tarErrors}`);
    }
    return TEST_IMAGE;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** True when `docker` already has the test image. */
async function imageExists(docker: Dockerode): Promise<boolean> {
  try {
    await docker.getImage(TEST_IMAGE).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

/** Lay out the image's root filesystem under `root`. */
async function writeRootfs(root: string): Promise<void> {
  for (const dir of ['bin', 'etc', 'root', 'tmp']) await mkdir(join(root, dir));
  await chmod(join(root, 'tmp'), 0o1777);
  await chmod(join(root, 'root'), 0o700);
  await copyFile(BUSYBOX_PATH, join(root, 'bin', 'busybox'));
  await chmod(join(root, 'bin', 'busybox'), 0o755);
  const { stdout } = await execFileAsync(BUSYBOX_PATH, ['--list']);
  const applets = stdout
    .split('\n')
    .filter((name) => /^[\w.[-]+$/.test(name) && name !== 'busybox');
  for (const applet of applets) await symlink('busybox', join(root, 'bin', applet));
  await writeFile(join(root, 'etc', 'passwd'), ETC_PASSWD);
  await writeFile(join(root, 'etc', 'group'), ETC_GROUP);
}
