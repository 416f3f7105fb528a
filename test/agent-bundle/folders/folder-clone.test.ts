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

describe('CloneRunner', () => {
  it('copies the tree, drops the ACL entries cp -a carried over, makes the top 0700, then marks it ready', async () => {
    const source = join(dir, 'source');
    const target = join(dir, 'target');
    await mkdir(join(source, 'sub'), { recursive: true });
    await writeFile(join(source, 'a.txt'), 'alpha');
    await writeFile(join(source, 'sub/b.txt'), 'beta');
    await run('setfacl', ['-m', 'u:nobody:rx', '-m', 'd:u:nobody:rx', source]);
    await run('setfacl', ['-m', 'u:nobody:r', join(source, 'a.txt')]);
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

  it('stops when cancelled, purges the half-made target and releases the daemon', async () => {
    const source = join(dir, 'source');
    const target = join(dir, 'target');
    await mkdir(source);
    for (let index = 0; index < 200; index++) await writeFile(join(source, `f${index}`), 'x');
    await mkdir(target);
    const holds: string[] = [];
    const released: string[] = [];
    const runner = new CloneRunner({
      holdAlive: (reason) => {
        holds.push(reason);
        return () => released.push(reason);
      },
    });
    const clone = cloneInto(runner, 'copy', source, target);
    expect(runner.runs('abcdef0123456789')).toBe(true);
    expect(holds).toEqual(['clone copy']);
    expect(await runner.cancel('copy')).toBe(true);
    expect((await clone.finished).state).toBe('canceled');
    expect(clone.calls).toEqual(['purge']);
    await expect(stat(target)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(released).toEqual(['clone copy']);
    expect(await runner.cancel('copy')).toBe(false);
  });
});
