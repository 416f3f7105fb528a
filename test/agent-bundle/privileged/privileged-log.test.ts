import { chmod, lstat, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loggedArguments, PrivilegedLog } from '../../../agent-bundle/privileged/privileged-log';

describe('logged arguments', () => {
  it('keep names, paths and numbers as they are', () => {
    const params = { volume: 'scratch', folder: 'alice/data', uid: 1001, access: 'ro' };
    expect(loggedArguments(params)).toEqual(params);
  });

  it('log contents by their size only', () => {
    expect(
      loggedArguments({ level: 'lab', path: '.bashrc', content: 'export TOKEN=secret\n' }),
    ).toEqual({
      level: 'lab',
      path: '.bashrc',
      content: '(20 bytes)',
    });
    expect(loggedArguments({ name: 'x', value: { a: [1, 2] } })).toEqual({
      name: 'x',
      value: '(11 bytes)',
    });
    expect(loggedArguments({ content: null })).toEqual({ content: null });
  });

  it('cut long strings and deep structures of malformed calls', () => {
    expect(loggedArguments({ folder: 'x'.repeat(300) })).toEqual({ folder: '(300 bytes)' });
    expect(loggedArguments({ a: { b: { c: { d: { e: 1 } } } } })).toEqual({
      a: { b: { c: { d: '(7 bytes)' } } },
    });
    expect(loggedArguments('plain')).toBe('plain');
  });
});

describe('privileged.log on disk', () => {
  let root: string;
  let dir: string;
  let file: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'labdeck-privlog-'));
    dir = join(root, 'var/log/labdeck');
    file = join(dir, 'privileged.log');
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('creates the directory 0750 and the file 0640, and appends one JSON line per call', async () => {
    const log = await PrivilegedLog.open(file);
    await log.record({ callerUid: 1001, operation: 'quota.set', arguments: {}, result: 'ok' });
    await log.record({ callerUid: 1002, operation: 'x', arguments: {}, result: 'refused' });
    expect((await lstat(dir)).mode & 0o777).toBe(0o750);
    expect((await lstat(file)).mode & 0o777).toBe(0o640);
    const lines = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l: { callerUid: number }) => l.callerUid)).toEqual([1001, 1002]);
  });

  it('refuses a log file that is a link, and writes nothing where it points', async () => {
    await mkdir(dir, { recursive: true, mode: 0o750 });
    const target = join(root, 'etc-shadow-stand-in');
    await writeFile(target, 'untouched\n');
    await symlink(target, file);
    await expect(PrivilegedLog.open(file)).rejects.toThrow(/ELOOP|symbolic link/);
    expect(await readFile(target, 'utf8')).toBe('untouched\n');
  });

  it('refuses a log directory others may write to, naming its mode', async () => {
    await mkdir(dir, { recursive: true });
    await chmod(dir, 0o777);
    await expect(PrivilegedLog.open(file)).rejects.toThrow(/mode 777.*only uid \d+ may write/);
    await expect(lstat(file)).rejects.toThrow(/ENOENT/);
  });

  it('does not follow a link swapped in after it opened: the record goes to stderr instead', async () => {
    const log = await PrivilegedLog.open(file);
    await rm(file);
    const target = join(root, 'elsewhere');
    await writeFile(target, '');
    await symlink(target, file);
    await log.record({ callerUid: 1001, operation: 'quota.set', arguments: {}, result: 'ok' });
    expect(await readFile(target, 'utf8')).toBe('');
  });
});
