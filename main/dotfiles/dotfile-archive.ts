import { pack } from 'tar-stream';

/**
 * The tar archive a session's dotfiles are written into its container with (Docker's
 * `PUT /containers/ID/archive`, issue 13): directories and files, each with its owner and mode
 * as given, so the engine extracts them as they are meant to be — never through a shell in the
 * container, which has not started yet.
 */

/** One entry of the archive, named relative to where it is extracted. */
export interface ArchiveEntry {
  readonly type: 'directory' | 'file';
  /** `a/b/c`: no leading or trailing `/`, no empty, `.` or `..` part. */
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  /** Permission bits (`0o644`); anything above 0o7777 is refused. */
  readonly mode: number;
  /** A file's text (UTF-8); absent for a directory. */
  readonly content?: string;
}

/**
 * Largest id the ustar header holds (7 octal digits); a larger one (a directory service's uids)
 * goes in a pax record, which Docker's archive reader honours, instead of being clipped.
 */
const USTAR_MAX_ID = 0o7777777;

/** Why `entry` cannot go in the archive, or undefined. */
function entryProblem(entry: ArchiveEntry): string | undefined {
  const parts = entry.name.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..' || part.includes('\0')))
    return `"${entry.name}" is not a relative path without empty, . or .. parts`;
  for (const [what, id] of [
    ['uid', entry.uid],
    ['gid', entry.gid],
  ] as const)
    if (!Number.isSafeInteger(id) || id < 0 || id > 0xffffffff)
      return `${what} ${id} of ${entry.name} is not a Unix id`;
  if (!Number.isInteger(entry.mode) || entry.mode < 0 || entry.mode > 0o7777)
    return `mode ${entry.mode} of ${entry.name} is not a permission mode`;
  if ((entry.type === 'file') !== (entry.content !== undefined))
    return `${entry.name}: a file has content and a directory none`;
  return undefined;
}

/**
 * The tar of `entries`, in their order (a directory before what it holds), every one dated
 * `mtime`. Names too long for ustar, or not ASCII, get pax headers (tar-stream writes them).
 */
export async function dotfileArchive(
  entries: readonly ArchiveEntry[],
  mtime: Date = new Date(),
): Promise<Buffer> {
  for (const entry of entries) {
    const problem = entryProblem(entry);
    if (problem !== undefined) throw new Error(`dotfile archive: ${problem}`);
  }
  const archive = pack();
  const chunks: Buffer[] = [];
  const collected = new Promise<Buffer>((resolve, reject) => {
    archive.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
    archive.once('end', () => resolve(Buffer.concat(chunks)));
    archive.once('error', reject);
  });
  for (const entry of entries) {
    const body = entry.content === undefined ? undefined : Buffer.from(entry.content, 'utf8');
    const large = entry.uid > USTAR_MAX_ID || entry.gid > USTAR_MAX_ID;
    await new Promise<void>((resolve, reject) =>
      archive.entry(
        {
          name: entry.name,
          type: entry.type,
          mode: entry.mode,
          uid: entry.uid,
          gid: entry.gid,
          mtime,
          ...(body === undefined ? {} : { size: body.length }),
          ...(large ? { pax: { uid: String(entry.uid), gid: String(entry.gid) } } : {}),
        },
        body ?? '',
        (error) => (error ? reject(error) : resolve()),
      ),
    );
  }
  archive.finalize();
  return collected;
}
