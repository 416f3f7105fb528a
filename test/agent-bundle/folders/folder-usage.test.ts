import { chmod, link, mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { measureTree, UsageCache } from '../../../agent-bundle/folders/folder-usage';

const MiB = 1024 * 1024;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'labdeck-usage-'));
});
afterEach(async () => {
  await chmod(dir, 0o700).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

/** Bytes that are really written (random-ish, not a hole). */
const filled = (bytes: number) => Buffer.alloc(bytes, 7);

describe('measureTree', () => {
  it('counts what files take on disk, hard links once, symlinks as links not their targets', async () => {
    const folder = join(dir, 'folder');
    await mkdir(join(folder, 'sub/deeper'), { recursive: true });
    const empty = await measureTree(folder);
    await writeFile(join(folder, 'a.bin'), filled(MiB));
    await writeFile(join(folder, 'sub/deeper/b.bin'), filled(2 * MiB));
    await link(join(folder, 'a.bin'), join(folder, 'sub/a-again.bin'));
    const outside = join(dir, 'outside.bin');
    await writeFile(outside, filled(8 * MiB));
    await symlink(outside, join(folder, 'big-link'));
    const used = (await measureTree(folder)) - empty;
    expect(used).toBeGreaterThanOrEqual(3 * MiB);
    expect(used).toBeLessThan(4 * MiB);
  });

  it('counts a sparse file by its blocks, not its length', async () => {
    const folder = join(dir, 'sparse');
    await mkdir(folder);
    await writeFile(join(folder, 'hole.bin'), '');
    await truncate(join(folder, 'hole.bin'), 1024 * MiB);
    expect(await measureTree(folder)).toBeLessThan(MiB);
  });

  it('throws for a folder that is not there', async () => {
    await expect(measureTree(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('UsageCache', () => {
  it('answers null until the first walk ends, then the walked bytes', async () => {
    const folder = join(dir, 'f');
    await mkdir(folder);
    await writeFile(join(folder, 'a.bin'), filled(MiB));
    const cache = new UsageCache();
    expect(cache.usage('f1', folder)).toBeNull();
    await cache.idle();
    expect(cache.usage('f1', folder)).toBeGreaterThanOrEqual(MiB);
  });

  it('walks again only once the measurement is older than its age limit', async () => {
    const folder = join(dir, 'f');
    await mkdir(folder);
    let now = 0;
    const cache = new UsageCache(30_000, () => now);
    cache.usage('f1', folder);
    await cache.idle();
    const first = cache.usage('f1', folder) ?? -1;
    await writeFile(join(folder, 'a.bin'), filled(2 * MiB));
    now = 29_000;
    cache.usage('f1', folder);
    await cache.idle();
    expect(cache.usage('f1', folder)).toBe(first);
    now = 30_000;
    expect(cache.usage('f1', folder)).toBe(first);
    await cache.idle();
    expect(cache.usage('f1', folder)).toBeGreaterThanOrEqual(first + 2 * MiB);
  });

  it('keeps a slow walk ten times as long as it took, counted from its end', async () => {
    const folder = join(dir, 'f');
    await mkdir(folder);
    // The walk's start and end read the clock: 0 and 6 s, so it took 6 s and stays fresh 60 s.
    const readings = [0, 6_000];
    let now = 0;
    const cache = new UsageCache(30_000, () => readings.shift() ?? now);
    cache.usage('f1', folder);
    await cache.idle();
    const first = cache.usage('f1', folder) ?? -1;
    await writeFile(join(folder, 'a.bin'), filled(2 * MiB));
    now = 6_000 + 59_000;
    cache.usage('f1', folder);
    await cache.idle();
    expect(cache.usage('f1', folder)).toBe(first);
    now = 6_000 + 60_000;
    cache.usage('f1', folder);
    await cache.idle();
    expect(cache.usage('f1', folder)).toBeGreaterThanOrEqual(first + 2 * MiB);
  });

  it('gives null for a folder that cannot be walked, and forgets a folder', async () => {
    const folder = join(dir, 'f');
    await mkdir(folder);
    const cache = new UsageCache();
    cache.usage('gone', join(dir, 'missing'));
    cache.usage('f1', folder);
    await cache.idle();
    expect(cache.usage('gone', join(dir, 'missing'))).toBeNull();
    expect(cache.usage('f1', folder)).not.toBeNull();
    cache.forget('f1');
    expect(cache.usage('f1', '')).toBeNull();
  });
});
