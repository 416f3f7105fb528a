/**
 * XFS's project files, as text: `/etc/projid` lines `name:id`, `/etc/projects` lines
 * `id:/path` (xfs_quota(8)). Pure: reading, finding and editing keep every other line — the
 * admin's own projects and comments — as they are.
 */

/** LabDeck's project ids start here, above what admins usually number by hand. */
export const FIRST_PROJECT_ID = 10_000;
/** XFS project ids are 32-bit. */
const MAX_PROJECT_ID = 0xffffffff;

/** The two files' contents (empty string: the file does not exist). */
export interface ProjectFiles {
  readonly projid: string;
  readonly projects: string;
}

interface Entry {
  readonly key: string;
  readonly value: string;
}

/** `a:b` lines of `text`, split at the first colon; comments and blank lines skipped. */
function entries(text: string): Entry[] {
  const found: Entry[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const colon = trimmed.indexOf(':');
    if (colon > 0) found.push({ key: trimmed.slice(0, colon), value: trimmed.slice(colon + 1) });
  }
  return found;
}

/** The project id /etc/projects gives `path`, if any. */
export function projectIdOf(files: ProjectFiles, path: string): number | undefined {
  const entry = entries(files.projects).find((known) => known.value === path);
  return entry === undefined ? undefined : Number(entry.key);
}

/** The name /etc/projid gives project `id`, if any. */
export function projectNameOf(files: ProjectFiles, id: number): string | undefined {
  return entries(files.projid).find((known) => Number(known.value) === id)?.key;
}

/**
 * The id for a new project: the smallest id from {@link FIRST_PROJECT_ID} up that neither file
 * uses, so ids freed by deleted folders are used again rather than climbing for ever.
 */
export function nextProjectId(files: ProjectFiles): number {
  const used = new Set(
    [
      ...entries(files.projid).map((entry) => Number(entry.value)),
      ...entries(files.projects).map((entry) => Number(entry.key)),
    ].filter((id) => Number.isSafeInteger(id)),
  );
  let next = FIRST_PROJECT_ID;
  while (used.has(next)) next += 1;
  if (next > MAX_PROJECT_ID) throw new Error('XFS project ids are used up');
  return next;
}

function appendLine(text: string, line: string): string {
  return text === '' || text.endsWith('\n') ? `${text}${line}\n` : `${text}\n${line}\n`;
}

/** Both files with project `id` called `name` for `path` added. */
export function withProject(
  files: ProjectFiles,
  id: number,
  name: string,
  path: string,
): ProjectFiles {
  return {
    projid: appendLine(files.projid, `${name}:${id}`),
    projects: appendLine(files.projects, `${id}:${path}`),
  };
}

function withoutLines(text: string, drop: (entry: Entry) => boolean): string {
  return text
    .split('\n')
    .filter((line) => {
      const [entry] = entries(line);
      return entry === undefined || !drop(entry);
    })
    .join('\n');
}

/** Both files without project `id` (its name in projid, every path of it in projects). */
export function withoutProject(files: ProjectFiles, id: number): ProjectFiles {
  return {
    projid: withoutLines(files.projid, (entry) => Number(entry.value) === id),
    projects: withoutLines(files.projects, (entry) => Number(entry.key) === id),
  };
}
