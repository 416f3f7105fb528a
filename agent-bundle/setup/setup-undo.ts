import { chmod, chown, lstat, readdir, readFile, rm, rmdir } from 'node:fs/promises';
import type { SetupChange } from '../../common/host-setup/setup-report';
import { writeRootFile } from './root-file';
import { sha256 } from './setup-changes';
import type { RecordEntry, SetupRecord } from './setup-record';
import { deleteGroup, groupExists } from './unix-group';

async function entriesIn(dir: string): Promise<string[] | undefined> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The file's bytes now, or undefined when it is gone (or is no longer a file). */
async function currentBytes(path: string): Promise<Buffer | undefined> {
  try {
    return (await lstat(path)).isFile() ? await readFile(path) : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** How undo treats what it finds. */
export interface UndoOptions {
  /** The record's own directory: the record is discarded just before it is removed. */
  readonly recordDir: string;
  /**
   * A failed run taking itself back: what it wrote moments ago is put back whatever it holds.
   * Otherwise (`--undo`) a file changed since setup wrote it — an admin's edit — is kept.
   */
  readonly force: boolean;
}

async function undoFile(
  entry: Extract<RecordEntry, { kind: 'file' }>,
  record: SetupRecord,
  options: UndoOptions,
): Promise<SetupChange> {
  const { path } = entry;
  const now = await currentBytes(path);
  const edited =
    !options.force && now !== undefined && entry.wrote !== undefined && sha256(now) !== entry.wrote;
  if (entry.before === 'absent') {
    if (edited)
      return {
        status: 'kept',
        title: `keep ${path}`,
        path,
        detail: 'it was changed since setup wrote it; remove it by hand if it is not wanted',
      };
    await rm(path, { force: true });
    return { status: 'removed', title: `remove ${path}`, path };
  }
  const before = await record.restore(entry.before.backup);
  const options_ = { mode: entry.before.mode, uid: entry.before.uid, gid: entry.before.gid };
  if (edited) {
    await writeRootFile(`${path}.before-labdeck`, before, options_);
    return {
      status: 'kept',
      title: `keep ${path}`,
      path,
      detail: `it was changed since setup wrote it; what was there before setup is in ${path}.before-labdeck`,
    };
  }
  await writeRootFile(path, before, options_);
  return { status: 'restored', title: `restore ${path} as it was`, path };
}

/** Puts one recorded change back; what was done, in words. */
async function undoEntry(
  entry: RecordEntry,
  record: SetupRecord,
  options: UndoOptions,
): Promise<SetupChange> {
  switch (entry.kind) {
    case 'group': {
      if (!(await groupExists(entry.name)))
        return { status: 'unchanged', title: `group ${entry.name} is already gone` };
      await deleteGroup(entry.name);
      return { status: 'removed', title: `delete group ${entry.name}` };
    }
    case 'file':
      return undoFile(entry, record, options);
    case 'dir': {
      if (entry.before !== 'absent') {
        await chmod(entry.path, entry.before.mode);
        await chown(entry.path, entry.before.uid, entry.before.gid);
        return { status: 'restored', title: `restore the mode of ${entry.path}`, path: entry.path };
      }
      if (entry.path === options.recordDir) await record.discard();
      const left = await entriesIn(entry.path);
      if (left === undefined)
        return { status: 'unchanged', title: `${entry.path} is already gone`, path: entry.path };
      if (left.length > 0)
        return {
          status: 'kept',
          title: `keep ${entry.path}`,
          path: entry.path,
          detail: `it holds what was written there since setup (${left.slice(0, 3).join(', ')}${left.length > 3 ? ', …' : ''})`,
        };
      await rmdir(entry.path);
      return { status: 'removed', title: `remove ${entry.path}`, path: entry.path };
    }
  }
}

/**
 * Takes back `entries` (newest first): removes what setup created, restores what it replaced
 * byte for byte with its mode and owner, deletes the group it created. A directory that holds
 * what others wrote since, or (for `--undo`) a file edited since, is kept, and the report says
 * so. Entries of `record` leave it as they are undone, so an interrupted undo can run again.
 */
export async function undoEntries(
  entries: readonly RecordEntry[],
  record: SetupRecord,
  options: UndoOptions,
): Promise<SetupChange[]> {
  const changes: SetupChange[] = [];
  for (const entry of [...entries].reverse()) {
    changes.push(await undoEntry(entry, record, options));
    if (!(entry.kind === 'dir' && entry.path === options.recordDir)) await record.drop(entry);
  }
  return changes;
}
