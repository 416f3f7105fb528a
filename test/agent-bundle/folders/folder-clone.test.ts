import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloneRunner, isFinal } from '../../../agent-bundle/folders/folder-clone';
import type { CloneProgress } from '../../../common/folders/folder-view';

const run = promisify(execFile);
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'labdeck-clone-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every path under `root` with its content, sorted: two equal trees list the same. */
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

/** A clone of `source` into `target`, recording what the runner asked of the helper. */
function cloneInto(runner: CloneRunner, name: string, sourcePath: string, targetPath: string) {
  const calls: string[] = [];
  const events: CloneProgress[] = [];
  runner.start({
    name,
    targetId: 'abcdef0123456789',
    sourcePath,
    targetPath,
    ready: async () => void calls.push('ready'),
    purge: async () => {
      calls.push('purge');
      await rm(targetPath, { recursive: true, force: true });
    },
  });
  const finished = new Promise<CloneProgress>((resolve) => {
    runner.watch(name, (progress) => {
      events.push(progress);
      if (isFinal(progress)) resolve(progress);
    });
  });
  return { calls, events, finished };
}

/** 40 directories of 250 small files each: cp takes a while over them, even on a fast disk. */
async function fillMany(root: string): Promise<void> {
  for (let d = 0; d < 40; d++) {
    const sub = join(root, `d${d}`);
    await mkdir(sub, { recursive: true });
    await Promise.all(
      Array.from({ length: 250 }, (_, f) => writeFile(join(sub, `f${f}`), `file ${d}/${f}\n`)),
    );
  }
}

/** A source of {@link fillMany}'s files in `dir` and an empty target beside it. */
async function manyFilesClone(): Promise<{ source: string; target: string }> {
  const source = join(dir, 'source');
  const target = join(dir, 'target');
  await fillMany(source);
  await mkdir(target);
  return { source, target };
}

/** Room for making {@link fillMany}'s 10,000 files on a loaded CI machine (setup, not a timing). */
const MANY_FILES_TIMEOUT_MS = 30_000;

/** Resolves once `check` holds, polling every 5 ms (the test's timeout bounds it). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('CloneRunner', () => {
  it('copies the tree without the source’s ACL entries, makes the top 0700, then marks it ready', async () => {
    const source = join(dir, 'source');
    const target = join(dir, 'target');
    await mkdir(source);
    // A default ACL on the top, so what is made under it inherits entries, as a shared folder's
    // files do; and entries of its own on a file: `cp -a` would carry every one of them over.
    await run('setfacl', ['-m', 'u:nobody:rx', '-m', 'd:u:nobody:rx', source]);
    await mkdir(join(source, 'sub'));
    await writeFile(join(source, 'a.txt'), 'alpha');
    await writeFile(join(source, 'sub/b.txt'), 'beta');
    await run('setfacl', ['-m', 'u:nobody:rw', join(source, 'a.txt')]);
    const sourceAcl = (await run('getfacl', ['-R', '-p', '--skip-base', source])).stdout;
    for (const path of ['', '/sub', '/a.txt', '/sub/b.txt'])
      expect(sourceAcl).toContain(`# file: ${source}${path}\n`);
    expect(sourceAcl).toContain('default:user:nobody:r-x');
    await mkdir(target, { mode: 0o700 });
    const runner = new CloneRunner();
    const clone = cloneInto(runner, 'copy', source, target);
    const last = await clone.finished;
    expect(last).toMatchObject({ state: 'done', message: null });
    expect(last.copiedBytes).toBe(last.totalBytes);
    expect(clone.events[0]?.state).toBe('running');
    expect(clone.calls).toEqual(['ready']);
    expect(await tree(target)).toEqual(await tree(source));
    const acl = await run('getfacl', ['-R', '-p', '--skip-base', target]);
    expect(acl.stdout.trim()).toBe('');
    expect((await stat(target)).mode & 0o7777).toBe(0o700);
    expect(runner.runs('abcdef0123456789')).toBe(false);
  });

  it('tells a late subscriber how it ended', async () => {
    const source = join(dir, 'source');
    await mkdir(source);
    await mkdir(join(dir, 'target'));
    const runner = new CloneRunner();
    await cloneInto(runner, 'copy', source, join(dir, 'target')).finished;
    const late: CloneProgress[] = [];
    runner.watch('copy', (progress) => late.push(progress));
    expect(late.map((progress) => progress.state)).toEqual(['done']);
    expect(runner.watch('other', () => undefined)).toBeUndefined();
  });

  it('purges the target and says why when cp fails', async () => {
    const source = join(dir, 'source');
    await mkdir(source);
    await writeFile(join(source, 'a.txt'), 'alpha');
    const clone = cloneInto(new CloneRunner(), 'copy', source, join(dir, 'missing/target'));
    const last = await clone.finished;
    expect(last.state).toBe('failed');
    expect(last.message).toMatch(
      /^copying failed \(cp status 1\): \/bin\/cp: cannot create .*missing\/target/,
    );
    expect(clone.calls).toEqual(['purge']);
  });

  it(
    'stops cp when cancelled midway, purges the half-made target and releases the daemon',
    async () => {
      const { source, target } = await manyFilesClone();
      const holds: string[] = [];
      const released: string[] = [];
      const runner = new CloneRunner({
        pollMs: 10,
        holdAlive: (reason) => {
          holds.push(reason);
          return () => released.push(reason);
        },
      });
      const clone = cloneInto(runner, 'copy', source, target);
      expect(runner.runs('abcdef0123456789')).toBe(true);
      expect(holds).toEqual(['clone copy']);
      // Canceled once cp has copied something: the kill, not the measuring, is what stops it.
      await until(() => clone.events.some((event) => event.copiedBytes > 0));
      const midway = clone.events.find((event) => event.copiedBytes > 0)!;
      expect(midway.copiedBytes).toBeLessThan(midway.totalBytes);
      expect(await runner.cancel('copy')).toBe(true);
      expect((await clone.finished).state).toBe('canceled');
      expect(clone.calls).toEqual(['purge']);
      await expect(stat(target)).rejects.toMatchObject({ code: 'ENOENT' });
      expect(released).toEqual(['clone copy']);
      expect(await runner.cancel('copy')).toBe(false);
    },
    MANY_FILES_TIMEOUT_MS,
  );

  it(
    'stops measuring the source when cancelled before cp starts',
    async () => {
      const { source, target } = await manyFilesClone();
      const runner = new CloneRunner();
      const clone = cloneInto(runner, 'copy', source, target);
      expect(await runner.cancel('copy')).toBe(true);
      expect((await clone.finished).state).toBe('canceled');
      // The walk stopped: no total was ever reported, and nothing was copied.
      expect(clone.events.every((event) => event.totalBytes === 0 && event.copiedBytes === 0)).toBe(
        true,
      );
      expect(clone.calls).toEqual(['purge']);
    },
    MANY_FILES_TIMEOUT_MS,
  );

  it('answers false to a cancel once the copy is complete, and the folder ends ready', async () => {
    const source = join(dir, 'source');
    const target = join(dir, 'target');
    await mkdir(source);
    await writeFile(join(source, 'a.txt'), 'alpha');
    await mkdir(target);
    const runner = new CloneRunner();
    let answer: Promise<boolean> | undefined;
    const calls: string[] = [];
    runner.start({
      name: 'copy',
      targetId: 'abcdef0123456789',
      sourcePath: source,
      targetPath: target,
      ready: async () => {
        answer = runner.cancel('copy');
        calls.push('ready');
      },
      purge: async () => void calls.push('purge'),
    });
    const last = await new Promise<CloneProgress>((resolve) =>
      runner.watch('copy', (progress) => (isFinal(progress) ? resolve(progress) : undefined)),
    );
    expect(last.state).toBe('done');
    expect(await answer).toBe(false);
    expect(calls).toEqual(['ready']);
    expect(await readFile(join(target, 'a.txt'), 'utf8')).toBe('alpha');
  });
});
