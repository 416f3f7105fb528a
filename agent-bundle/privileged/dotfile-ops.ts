import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import type {
  DotfileWriteParams,
  PrivilegedHelperContract,
} from '../../common/agent/privileged-helper-contract';
import { AppFailure } from '../../common/contract/result';
import { describeIssues } from '../../common/contract/validation';
import { validateDotfile, type DotfileError } from '../../common/dotfiles';
import {
  applyDotfileChange,
  dotfileInputError,
  dotfileSummary,
} from '../../common/dotfiles/dotfile-changes';
import {
  dotfileStoreSchema,
  EMPTY_DOTFILE_STORE,
  type DotfileScopeRef,
  type DotfileStore,
  type DotfileSummary,
} from '../../common/dotfiles/dotfile-store';
import type { LabConfig } from '../../common/host-setup/lab-config';
import type { AgentRegistry } from '../rpc/agent-registry';
import { readIfExists } from './atomic-file';
import { lookupUid, ROOT_UID } from './caller';
import { withFileLock } from './file-lock';
import type { HelperContext } from './helper-context';
import { requireConfig } from './helper-config';
import { PrivilegedRefusal, refuse } from './privileged-refusal';
import { runTool } from './system-tools';

/** `dotfiles/`: root's, readable by everyone (the lab's store is everyone's). */
const DOTFILES_DIR_MODE = 0o755;
/** `dotfiles/groups/`: passable but not listable, so nobody learns which groups have files. */
const GROUPS_DIR_MODE = 0o711;
/** A group's store: root writes, the group's members read, nobody else. */
const GROUP_STORE_MODE = 0o640;
/** The lab's store: root writes, every user reads (every session applies it). */
const LAB_STORE_MODE = 0o644;

/** Where one store is kept, its owning gid and mode, and the store in words. */
interface StoreFile {
  readonly path: string;
  readonly gid: number;
  readonly mode: number;
  readonly label: string;
}

/** The admins of `ref` in the configuration, and the level in words. */
function adminsOf(
  config: LabConfig,
  ref: DotfileScopeRef,
): { admins: readonly string[]; what: string; field: string } {
  if (ref.scope !== 'group')
    return { admins: config.labAdmins, what: "the lab's dotfiles", field: 'labAdmins' };
  return {
    admins: config.groupAdmins[ref.group] ?? [],
    what: `group ${ref.group}'s dotfiles`,
    field: `groupAdmins.${ref.group}`,
  };
}

/** Refuses a caller who is not an admin of the level (root always is); their name otherwise. */
async function requireAdmin(
  context: HelperContext,
  config: LabConfig,
  ref: DotfileScopeRef,
): Promise<string> {
  const user = await lookupUid(context.callerUid);
  if (context.callerUid === ROOT_UID) return user?.name ?? 'root';
  const { admins, what, field } = adminsOf(config, ref);
  if (user !== undefined && admins.includes(user.name)) return user.name;
  const name =
    user === undefined ? `uid ${context.callerUid}` : `${user.name} (uid ${context.callerUid})`;
  throw refuse(
    'dotfile-not-admin',
    `Only the admins of ${what} may change them, and ${name} is not one (${field} in the lab configuration lists ${admins.length === 0 ? 'nobody' : admins.join(', ')}).`,
    'Ask an admin to add you to that list in /etc/labdeck/config.json.',
  );
}

/** The gid of group `name`, or `dotfile-group-unknown` (its store is chowned to the group). */
async function groupGid(name: string): Promise<number> {
  const run = await runTool('getent', ['group', '--', name]);
  const gid = Number(run.stdout.split('\n')[0]?.split(':')[2]);
  if (run.code !== 0 || !Number.isSafeInteger(gid) || gid < 0)
    throw refuse(
      'dotfile-group-unknown',
      `group: "${name}" is not a group of this host, so it has no dotfiles.`,
      'Check the name with `getent group NAME`.',
    );
  return gid;
}

/** Where `ref`'s store is: `dotfiles/lab.json` or `dotfiles/groups/GROUP.json`. */
async function storeFile(context: HelperContext, ref: DotfileScopeRef): Promise<StoreFile> {
  const dir = `${context.paths.stateDir}/dotfiles`;
  if (ref.scope !== 'group')
    return { path: `${dir}/lab.json`, gid: 0, mode: LAB_STORE_MODE, label: "the lab's dotfiles" };
  return {
    path: `${dir}/groups/${ref.group}.json`,
    gid: await groupGid(ref.group),
    mode: GROUP_STORE_MODE,
    label: `group ${ref.group}'s dotfiles`,
  };
}

/** Makes `dotfiles/` (0755) and, for a group's store, `dotfiles/groups/` (0711), or fixes their modes. */
async function makeStoreDirs(context: HelperContext, file: StoreFile): Promise<void> {
  const dir = `${context.paths.stateDir}/dotfiles`;
  await mkdir(dir, { recursive: true, mode: DOTFILES_DIR_MODE });
  await chmod(dir, DOTFILES_DIR_MODE);
  if (!file.path.startsWith(`${dir}/groups/`)) return;
  await mkdir(`${dir}/groups`, { recursive: true, mode: GROUPS_DIR_MODE });
  await chmod(`${dir}/groups`, GROUPS_DIR_MODE);
}

async function readStore(path: string): Promise<DotfileStore> {
  const text = await readIfExists(path, (file) => readFile(file, 'utf8'));
  if (text === undefined) return EMPTY_DOTFILE_STORE;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppFailure({
      code: 'dotfile-store-invalid',
      message: `${path} is not JSON; it was left as it is.`,
      hint: 'An admin can fix or remove the file on the host.',
    });
  }
  const parsed = dotfileStoreSchema.safeParse(json);
  if (!parsed.success)
    throw new AppFailure({
      code: 'dotfile-store-invalid',
      message: `${path} is not a valid dotfile store (${describeIssues(parsed.error)}); it was left as it is.`,
      hint: 'An admin can fix or remove the file on the host.',
    });
  return parsed.data;
}

/**
 * Replaces the store atomically with `root:GID` and `mode` set on the temporary file before it
 * is renamed over, so a reader never finds it half written, nor with another owner or mode.
 */
async function writeStore(file: StoreFile, store: DotfileStore): Promise<void> {
  const slash = file.path.lastIndexOf('/');
  const temporary = `${file.path.slice(0, slash)}/.${file.path.slice(slash + 1)}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(store, null, 2)}\n`);
      await handle.chown(ROOT_UID, file.gid);
      await handle.chmod(file.mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file.path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** validateDotfile's errors for this write (a removal checks only the path), or undefined. */
function problemsOf(
  params: DotfileWriteParams,
  config: LabConfig,
): readonly DotfileError[] | undefined {
  const check = validateDotfile(
    {
      scope: params.scope,
      path: params.path,
      content: params.content ?? '',
      ...(params.mode === undefined || params.content === null ? {} : { mode: params.mode }),
    },
    { systemPaths: config.dotfileSystemPaths ?? [] },
  );
  return check.ok ? undefined : check.errors;
}

/**
 * `privileged.dotfile.write`: sets (content null: removes) one file of the lab's or a group's
 * dotfiles. Checked, in order: the file (`validateDotfile` with the host's extra system paths;
 * `invalid-input` naming every field), the caller (an admin of the level, or root;
 * `dotfile-not-admin`), the group (it exists; `dotfile-group-unknown`); then, under the store's
 * lock, the store (`dotfile-conflict`, `dotfile-not-found`, `dotfile-limit`) and an atomic
 * replace. A refusal writes nothing. A file already kept under a path the rules no longer allow
 * (the host's extra paths shrank) may still be removed.
 */
async function writeDotfile(
  context: HelperContext,
  params: DotfileWriteParams,
): Promise<DotfileSummary> {
  const config = requireConfig(context.config);
  const ref: DotfileScopeRef =
    params.scope === 'group' ? { scope: 'group', group: params.group ?? '' } : { scope: 'domain' };
  const problems = problemsOf(params, config);
  if (problems !== undefined && params.content !== null)
    throw new PrivilegedRefusal(dotfileInputError(problems));
  const by = await requireAdmin(context, config, ref);
  const file = await storeFile(context, ref);
  // One lock for every dotfile store, beside them: taking it creates nothing that stays.
  return withFileLock(`${context.paths.stateDir}/dotfiles.lock`, async () => {
    const store = await readStore(file.path);
    if (problems !== undefined && !Object.hasOwn(store.files, params.path))
      throw new PrivilegedRefusal(dotfileInputError(problems));
    const change = applyDotfileChange(
      store,
      {
        path: params.path,
        content: params.content,
        ...(params.mode === undefined ? {} : { mode: params.mode }),
        ...(params.baseRevision === undefined ? {} : { baseRevision: params.baseRevision }),
      },
      { now: new Date(), by, label: file.label },
    );
    if (!change.ok) throw new PrivilegedRefusal(change.error);
    await makeStoreDirs(context, file);
    await writeStore(file, change.store);
    return dotfileSummary(ref, params.path, change.entry);
  });
}

/** Registers `privileged.dotfile.*`. */
export function registerDotfileMethods(
  registry: AgentRegistry<PrivilegedHelperContract>,
  context: HelperContext,
): void {
  registry.handle('privileged.dotfile.write', (params) => writeDotfile(context, params));
}
