import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../common/contract/result';
import { dotfileStoreSchema } from '../../../common/dotfiles/dotfile-store';
import {
  changeUserStore,
  readUserStore,
  userStorePath,
} from '../../../agent-bundle/dotfiles/user-dotfile-store';

const context = { now: new Date('2026-12-02T14:03:00.000Z'), by: 'alice', label: 'your dotfiles' };

/** The refusal `work` throws, or a test failure when it does not. */
async function refusal(work: Promise<unknown>) {
  try {
    await work;
  } catch (error) {
    if (error instanceof AppFailure) return error.toAppError();
    throw error;
  }
  throw new Error('not refused');
}

describe("the user's own dotfile store", () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'labdeck-user-dotfiles-'));
  });
  afterEach(() => rm(home, { recursive: true, force: true }));

  it('reads as empty before the first save', async () => {
    expect(await readUserStore(home)).toEqual({ version: 1, revision: 0, files: {} });
    await expect(readdir(home)).resolves.toEqual([]);
  });

  it('writes ~/.labdeck (0700) and dotfiles.json (0600), leaving no lock or temporary file', async () => {
    await mkdir(join(home, '.labdeck'), { mode: 0o755 });
    const entry = await changeUserStore(home, { path: '.bashrc', content: 'x\n' }, context);
    expect(entry).toMatchObject({ revision: 1, updatedBy: 'alice' });
    expect(((await stat(join(home, '.labdeck'))).mode & 0o777).toString(8)).toBe('700');
    expect(((await stat(userStorePath(home))).mode & 0o777).toString(8)).toBe('600');
    expect(await readdir(join(home, '.labdeck'))).toEqual(['dotfiles.json']);
    expect(
      dotfileStoreSchema.parse(JSON.parse(await readFile(userStorePath(home), 'utf8'))),
    ).toEqual(await readUserStore(home));
  });

  it('loses no save when many run at once: each gets its own revision', async () => {
    const saves = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        changeUserStore(home, { path: `.f${index}`, content: String(index) }, context),
      ),
    );
    expect(saves.map((entry) => entry.revision).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, index) => index + 1),
    );
    const store = await readUserStore(home);
    expect(store.revision).toBe(12);
    expect(Object.keys(store.files)).toHaveLength(12);
  });

  it('writes nothing on a refusal', async () => {
    await changeUserStore(home, { path: '.bashrc', content: 'a' }, context);
    const before = await readFile(userStorePath(home), 'utf8');
    expect(
      await refusal(
        changeUserStore(home, { path: '.bashrc', content: 'b', baseRevision: null }, context),
      ),
    ).toMatchObject({ code: 'dotfile-conflict' });
    expect(
      await refusal(changeUserStore(home, { path: '.vimrc', content: null }, context)),
    ).toMatchObject({ code: 'dotfile-not-found' });
    expect(await readFile(userStorePath(home), 'utf8')).toBe(before);
  });

  it('refuses to touch a damaged store, naming the file', async () => {
    await mkdir(join(home, '.labdeck'));
    await writeFile(userStorePath(home), '{"files":{".bashrc":"old shape"}}');
    const error = await refusal(changeUserStore(home, { path: '.vimrc', content: 'x' }, context));
    expect(error).toMatchObject({
      code: 'dotfile-store-invalid',
      message: expect.stringContaining(`${userStorePath(home)} is not a valid dotfile store`),
    });
    expect(await readFile(userStorePath(home), 'utf8')).toBe('{"files":{".bashrc":"old shape"}}');
    await writeFile(userStorePath(home), 'not json');
    expect((await refusal(readUserStore(home))).code).toBe('dotfile-store-invalid');
  });
});
