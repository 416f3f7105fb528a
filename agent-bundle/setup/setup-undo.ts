import { chmod, chown, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { SetupChange } from '../../common/host-setup/setup-report';
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

/** Puts one recorded change back; what was done, in words. */
async function undoEntry(
  entry: RecordEntry,
  record: SetupRecord,
  recordDir: string,
): Promise<SetupChange> {
  switch (entry.kind) {
    case 'group': {
      if (!(await groupExists(entry.name)))
        return { status: 'unchanged', title: `group ${entry.name} is already gone` };
      await deleteGroup(entry.name);
      return { status: 'removed', title: `delete group ${entry.name}` };
    }
    case 'file': {
      if (entry.before === 'absent') {
        await rm(entry.path, { force: true });
        return { status: 'removed', title: `remove ${entry.path}`, path: entry.path };
      }
      const bytes = await record.restore(entry.before.backup);
      const temp = join(dirname(entry.path), `.${basename(entry.path)}.labdeck-undo.tmp`);
      await writeFile(temp, bytes, { mode: 0o600 });
      await chown(temp, entry.before.uid, entry.before.gid);
      await chmod(temp, entry.before.mode);
      await rename(temp, entry.path);
      return { status: 'restored', title: `restore ${entry.path} as it was`, path: entry.path };
    }
    case 'dir': {
      if (entry.before !== 'absent') {
        await chmod(entry.path, entry.before.mode);
        await chown(entry.path, entry.before.uid, entry.before.gid);
        return { status: 'restored', title: `restore the mode of ${entry.path}`, path: entry.path };
      }
      if (entry.path === recordDir) await record.discard();
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
 * what others wrote since is kept, and the report says so. Each undone entry leaves the record
 * at once, so an interrupted undo can be run again.
 */
export async function undoEntries(
  entries: readonly RecordEntry[],
  record: SetupRecord,
  recordDir: string,
): Promise<SetupChange[]> {
  const changes: SetupChange[] = [];
  for (const entry of [...entries].reverse()) {
    changes.push(await undoEntry(entry, record, recordDir));
    if (!(entry.kind === 'dir' && entry.path === recordDir)) await record.drop(entry);
  }
  return changes;
}
