import { watch, type FSWatcher } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { PRIVATE_DIR_MODE } from '../fs/atomic-write';

/**
 * How long a burst of changes is gathered into one call: an atomic write is a temporary file, a
 * rename and a directory fsync, and an import writes once per host.
 */
export const SETTINGS_WATCH_DEBOUNCE_MS = 100;

/**
 * Calls `onChange` soon after `path` may have changed, written by this process or any other (the
 * CLI, a second window, another LabDeck). It watches the folder, not the file: an atomic write
 * renames a new file over the old one, and a watch on the old file's inode would see nothing
 * after the first replace. Events for other names in the folder (the lock, temporary files) are
 * ignored; a platform that does not name the file reports every event. Resolves to the stop.
 */
export async function watchFileInFolder(
  path: string,
  onChange: () => void,
  debounceMs = SETTINGS_WATCH_DEBOUNCE_MS,
): Promise<() => void> {
  const folder = dirname(path);
  const name = basename(path);
  await mkdir(folder, { recursive: true, mode: PRIVATE_DIR_MODE });
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const watcher: FSWatcher = watch(folder, { persistent: false }, (_event, filename) => {
    if (stopped || (filename !== null && filename.toString() !== name)) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!stopped) onChange();
    }, debounceMs);
  });
  // The folder went away (deleted under a running LabDeck): changes are no longer seen, and no
  // crash either; the next subscriber watches again.
  watcher.on('error', () => watcher.close());
  return () => {
    stopped = true;
    clearTimeout(timer);
    watcher.close();
  };
}
