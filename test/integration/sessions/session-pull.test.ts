import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Client } from '../../../common/contract/client';
import {
  isPullDone,
  PullLineReader,
  type PullLine,
  type PullProgressLine,
} from '../../../common/contract/pull-progress';
import type { AppError } from '../../../common/contract/result';
import { pullCommand } from '../../../main/cli/commands/session-pull';
import type { Services } from '../../../main/services';
import {
  describeWithParts,
  ensureTestImage,
  freePort,
  startDockerd,
  startRegistry,
  testServices,
  TEST_IMAGE,
  type DockerDaemon,
  type Registry,
} from '../../harness';

/** What one `sessions:pull` stream brought: its lines in order, and the error it ended with. */
interface PullOutcome {
  readonly lines: readonly PullLine[];
  readonly error: AppError | undefined;
}

/** Pulls `image` onto "This computer" through the client, reading every line as the CLI does. */
function pull(client: Client, image: string): Promise<PullOutcome> {
  const reader = new PullLineReader();
  const lines: PullLine[] = [];
  return new Promise((resolve) => {
    const control = client.openStream(
      'sessions:pull',
      { hostId: 'local', image },
      {
        data: (bytes) => {
          lines.push(...reader.push(bytes));
          control.ack(bytes.length);
        },
        end: (error) => {
          lines.push(...reader.end());
          resolve({ lines, error });
        },
      },
    );
  });
}

/** The refs `sessions:images` lists for "This computer". */
async function imageRefs(client: Client): Promise<string[]> {
  const images = await client.request('sessions:images', { hostId: 'local' });
  if (!images.ok) throw new Error(images.error.message);
  return images.value.map((image) => image.ref);
}

/** Removes every image of `engine`, so the next pull fetches every layer from the registry. */
async function forgetImages(engine: DockerDaemon): Promise<void> {
  for (const image of await engine.docker.listImages())
    await engine.docker.getImage(image.Id).remove({ force: true });
}

describeWithParts(
  ['root', 'dockerd', 'docker-registry', 'busybox', 'tar'],
  'pulling an image onto a host from a real registry',
  () => {
    let registry: Registry;
    let engine: DockerDaemon;
    let home: string;
    let services: Services;
    let client: Client;
    /** The test image as the registry holds it, `127.0.0.1:PORT/labdeck-test/busybox`. */
    let repo: string;

    beforeAll(async () => {
      [registry, engine] = await Promise.all([startRegistry(), startDockerd({ gpus: false })]);
      home = await mkdtemp(join(tmpdir(), 'labdeck-pull-'));
      const docker = engine.docker;
      await ensureTestImage(docker);
      repo = `${registry.address}/labdeck-test/busybox`;
      for (const tag of ['pull', 'cli']) {
        await docker.getImage(TEST_IMAGE).tag({ repo, tag });
        const push = await docker.getImage(`${repo}:${tag}`).push({ authconfig: {} });
        const events = await new Promise<{ error?: string }[]>((resolve, reject) =>
          docker.modem.followProgress(push, (error: Error | null, output: { error?: string }[]) =>
            error ? reject(error) : resolve(output),
          ),
        );
        expect(events.filter((event) => event.error !== undefined)).toEqual([]);
        await docker.getImage(`${repo}:${tag}`).remove();
      }
      // The engine now has no image at all: every layer of the pull comes from the registry.
      await docker.getImage(TEST_IMAGE).remove();
      expect(await docker.listImages()).toEqual([]);
      ({ services, client } = testServices(home, {
        env: { PATH: process.env.PATH, DOCKER_HOST: engine.dockerHost },
      }));
    });

    afterAll(async () => {
      await services?.dispose();
      await Promise.all([engine?.stop(), registry?.stop()]);
      if (home) await rm(home, { recursive: true, force: true });
    });

    it('pulls the image with progress that climbs to its totals, and the image list then has it', async () => {
      const image = `${repo}:pull`;
      expect(await imageRefs(client)).not.toContain(image);
      const { lines, error } = await pull(client, image);
      expect(error).toBeUndefined();
      const progress = lines.filter((line): line is PullProgressLine => !isPullDone(line));
      expect(progress.length).toBeGreaterThan(0);
      progress.slice(1).forEach((after, i) => {
        expect(after.bytesDone).toBeGreaterThanOrEqual(progress[i]!.bytesDone);
        expect(after.layersDone).toBeGreaterThanOrEqual(progress[i]!.layersDone);
      });
      const last = progress.at(-1)!;
      expect(last.layersTotal).toBe(1);
      expect(last.layersDone).toBe(1);
      // busybox-static, gzipped as the registry stores it: about 1 MB.
      expect(last.bytesTotal).toBeGreaterThan(100_000);
      expect(last.bytesDone).toBe(last.bytesTotal);
      expect(progress[0]!.layersDone).toBe(0);
      const { Id } = await engine.docker.getImage(image).inspect();
      expect(lines.at(-1)).toEqual({ done: true, image, id: Id });
      expect(await imageRefs(client)).toContain(image);
    });

    it('ends with image-not-found naming the registry when it lacks the tag', async () => {
      const { lines, error } = await pull(client, `${repo}:no-such-tag`);
      expect(lines).toEqual([]);
      expect(error).toMatchObject({ code: 'image-not-found' });
      expect(error?.message).toContain(`The registry ${registry.address} has no image`);
      expect(error?.message).toContain('no-such-tag');
    });

    it('ends with registry-unreachable naming the registry when nothing listens there', async () => {
      const closed = `127.0.0.1:${await freePort()}`;
      const { error } = await pull(client, `${closed}/labdeck-test/busybox:1`);
      expect(error).toMatchObject({ code: 'registry-unreachable' });
      expect(error?.message).toContain(`could not reach the registry ${closed}`);
      expect(error?.message).toContain('connection refused');
    });

    it('refuses a reference that could be read as an option before asking Docker', async () => {
      const { error } = await pull(client, '--help');
      expect(error).toMatchObject({ code: 'invalid-image-reference' });
    });

    it('`session pull` prints progress on stderr and the pulled image on stdout', async () => {
      await forgetImages(engine);
      const out: string[] = [];
      const err: string[] = [];
      const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
      const code = await pullCommand(client, 'local', `${repo}:cli`, io, false);
      expect(err.join('')).toContain(`Pulling ${repo}:cli onto local…`);
      expect(err.join('')).toMatch(
        /\nDownloaded: 1 of 1 layer, 1\.\d\d MB of 1\.\d\d MB \(100%\)\n/,
      );
      expect(out.join('')).toMatch(
        new RegExp(`^Pulled ${repo}:cli \\(sha256:[0-9a-f]{12}\\)\\.\\n$`),
      );
      expect(code).toBe(0);
    });

    it('`session pull --json` prints the lines as they come and fails with the error', async () => {
      await pull(client, `${repo}:cli`);
      const out: string[] = [];
      const err: string[] = [];
      const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
      expect(await pullCommand(client, 'local', `${repo}:cli`, io, true)).toBe(0);
      const printed = out
        .join('')
        .trim()
        .split('\n')
        .map((text) => JSON.parse(text) as PullLine);
      // Already on the host: Docker checks the registry's digest and downloads nothing.
      expect(printed.at(-2)).toEqual({
        status: 'Up to date',
        layersDone: 0,
        layersTotal: 0,
        bytesDone: 0,
        bytesTotal: 0,
      });
      expect(printed.at(-1)).toMatchObject({ done: true, image: `${repo}:cli` });
      out.length = 0;
      expect(await pullCommand(client, 'local', `${repo}:gone`, io, true)).toBe(1);
      expect(out).toEqual([]);
      expect(err.join('')).toContain('(code: image-not-found)');
    });

    // Last: it breaks the image in the registry for good.
    it('ends the stream with the error Docker reports once the pull has begun', async () => {
      await forgetImages(engine);
      const manifest = (await fetch(
        `http://${registry.address}/v2/labdeck-test/busybox/manifests/pull`,
        {
          headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
        },
      ).then((response) => response.json())) as { config: { digest: string } };
      const deleted = await fetch(
        `http://${registry.address}/v2/labdeck-test/busybox/blobs/${manifest.config.digest}`,
        { method: 'DELETE' },
      );
      expect(deleted.status).toBe(202);
      const { lines, error } = await pull(client, `${repo}:pull`);
      // The first summary went out before Docker found the configuration missing.
      expect(lines[0]).toEqual({
        status: 'Pulling',
        layersDone: 0,
        layersTotal: 0,
        bytesDone: 0,
        bytesTotal: 0,
      });
      expect(lines.some(isPullDone)).toBe(false);
      expect(error).toMatchObject({ code: 'image-pull-failed' });
      expect(error?.message).toContain(`from ${registry.address} failed: `);
      expect(error?.message).toContain('unknown blob');
    });
  },
);
