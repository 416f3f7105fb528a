import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';

/** A measurement this recent is not taken again (a list every second walks nothing). */
export const USAGE_MAX_AGE_MS = 30_000;
/**
 * A walk that took T is not taken again for this many T (from its end), if that is longer than
 * {@link USAGE_MAX_AGE_MS}: a tree that takes a minute to walk keeps the disk busy a tenth of
 * the time at most, however often the list is asked.
 */
export const USAGE_AGE_PER_WALK = 10;
/** `st_blocks` counts 512-byte units whatever the filesystem's block size. */
const STAT_BLOCK_BYTES = 512;
/** lstat calls in flight at once: Node's thread pool works them in parallel. */
const LSTAT_BATCH = 32;

/**
 * The bytes `root` takes on disk, as `du` counts them: allocated blocks of everything under it,
 * hard links once, symlinks not followed, other filesystems mounted inside not entered.
 * Entries that vanish while it walks are skipped; an unreadable `root` throws. Stops early,
 * returning what it counted, when `signal` aborts.
 */
export async function measureTree(root: string, signal?: AbortSignal): Promise<number> {
  const top = await lstat(root);
  const seen = new Set<number>();
  let total = 0;
  const count = (info: Awaited<ReturnType<typeof lstat>>): void => {
    if (info.nlink > 1 && !info.isDirectory()) {
      if (seen.has(Number(info.ino))) return;
      seen.add(Number(info.ino));
    }
    total += Number(info.blocks) * STAT_BLOCK_BYTES;
  };
  count(top);
  if (!top.isDirectory()) return total;
  const pending = [root];
  const stopped = (): boolean => signal?.aborted === true;
  while (pending.length > 0 && !stopped()) {
    const dir = pending.pop() as string;
    let entries;
    try {
      entries = await opendir(dir);
    } catch (error) {
      if (dir === root) throw error;
      continue;
    }
    const paths: string[] = [];
    for await (const entry of entries) paths.push(join(dir, entry.name));
    for (let at = 0; at < paths.length && !stopped(); at += LSTAT_BATCH) {
      const batch = paths.slice(at, at + LSTAT_BATCH);
      const infos = await Promise.all(batch.map((path) => lstat(path).catch(() => undefined)));
      infos.forEach((info, index) => {
        if (info === undefined || info.dev !== top.dev) return;
        count(info);
        if (info.isDirectory()) pending.push(batch[index] as string);
      });
    }
  }
  return total;
}

interface Measured {
  readonly usedBytes: number | null;
  /** When the walk ended. */
  readonly at: number;
  /** How long it stays fresh: the larger of the cache's age and {@link USAGE_AGE_PER_WALK} × its walk. */
  readonly freshMs: number;
}

/**
 * Usage of folders without a quota report, measured in the background and cached per folder:
 * {@link usage} answers at once with the last measurement (null before the first ends) and
 * starts a walk when that is older than `maxAgeMs`, or than ten times that walk took when that
 * is longer (counted from the walk's end). Walks run one at a time, so a list of many
 * folders does not flood the disk. A folder the user cannot read measures as null.
 */
export class UsageCache {
  private readonly measured = new Map<string, Measured>();
  private readonly queued = new Map<string, string>();
  private running = false;
  private walking: string | undefined;

  constructor(
    private readonly maxAgeMs = USAGE_MAX_AGE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The last measured usage of folder `id` at `path`; refreshes it in the background if stale. */
  usage(id: string, path: string): number | null {
    const known = this.measured.get(id);
    if ((known === undefined || this.now() - known.at >= known.freshMs) && path !== '')
      this.queue(id, path);
    return known?.usedBytes ?? null;
  }

  /** Forgets folder `id` (purged, or left). */
  forget(id: string): void {
    this.measured.delete(id);
    this.queued.delete(id);
  }

  /** Resolves once no walk is queued or running (for tests and orderly shutdown). */
  async idle(): Promise<void> {
    while (this.running || this.queued.size > 0)
      await new Promise((resolve) => setTimeout(resolve, 10));
  }

  private queue(id: string, path: string): void {
    if (this.walking === id) return;
    this.queued.set(id, path);
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let next = this.queued.entries().next(); !next.done;) {
        const [id, path] = next.value;
        this.queued.delete(id);
        this.walking = id;
        const started = this.now();
        const usedBytes = await measureTree(path).catch(() => null);
        this.walking = undefined;
        const at = this.now();
        const freshMs = Math.max(this.maxAgeMs, USAGE_AGE_PER_WALK * (at - started));
        this.measured.set(id, { usedBytes, at, freshMs });
        next = this.queued.entries().next();
      }
    } finally {
      this.running = false;
    }
  }
}
