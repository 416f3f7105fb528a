import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import type {
  DotfileWriteParams,
  PrivilegedHelperContract,
} from '../../common/agent/privileged-helper-contract';
import { validateDotfile, type DotfileError } from '../../common/dotfiles';
import { dotfileAdminsOf, groupAdminsOf } from '../../common/dotfiles/dotfile-admins';
import {
  applyDotfileChange,
  dotfileDocument,
  dotfileInputError,
  dotfileSummary,
} from '../../common/dotfiles/dotfile-changes';
import type {
  DotfileGroupStore,
  DotfileScopeRef,
  DotfileStore,
  DotfileSummary,
} from '../../common/dotfiles/dotfile-store';
import type { LabConfig } from '../../common/host-setup/lab-config';
import { readDotfileStore, SHARED_STORE_DAMAGED_HINT } from '../dotfiles/dotfile-store-file';
import type { AgentRegistry } from '../rpc/agent-registry';
import { lookupUid, ROOT_UID } from './caller';
import { withFileLock } from './file-lock';
import type { HelperContext } from './helper-context';
import { groupsOf } from './folder-users';
import { requireConfig } from './helper-config';
import { PrivilegedRefusal, refuse } from './privileged-refusal';
import { runTool } from './system-tools';

/** `dotfiles/`: root's, readable by everyone (the lab's store is everyone's). */
const DOTFILES_DIR_MODE = 0o755;
/**
 * `dotfiles/groups/`: passable but not listable. This only stops listing: group names are public
 * and anyone may stat `groups/NAME.json` to learn whether a group has a store; its text stays
 * the group's (0640).
 */
const GROUPS_DIR_MODE = 0o711;
/** A group's store: root writes, the group's members read, nobody else. */
const GROUP_STORE_MODE = 0o640;
/** The lab's store: root writes, every user reads (every session applies it). */
const LAB_STORE_MODE = 0o644;

/** A level the helper writes: a group's or the lab's. */
type WritableRef = Exclude<DotfileScopeRef, { scope: 'user' }>;

/** Where one store is kept, its owning gid and mode, and the store in words. */
interface StoreFile {
  readonly path: string;
  readonly gid: number;
  readonly mode: number;
  readonly label: string;
}

/** Refuses a caller who is not an admin of the level (root always is); their name otherwise. */
async function requireAdmin(
  context: HelperContext,
  config: LabConfig,
  ref: WritableRef,
): Promise<string> {
  const user = await lookupUid(context.callerUid);
  if (context.callerUid === ROOT_UID) return user?.name ?? 'root';
  const { admins, field } = dotfileAdminsOf(config, ref);
  if (user !== undefined && admins.includes(user.name)) return user.name;
  const what = ref.scope === 'group' ? `group ${ref.group}'s dotfiles` : "the lab's dotfiles";
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
async function storeFile(context: HelperContext, ref: WritableRef): Promise<StoreFile> {
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

/** A group's or the lab's store as the helper reads it (root reads any). */
function readStore(path: string): Promise<DotfileStore> {
  return readDotfileStore(path, {
    damaged: SHARED_STORE_DAMAGED_HINT,
    unreadable: 'An admin can check the file on the host.',
  });
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
  const ref: WritableRef =
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

/**
 * Refuses a caller who may not read group `group`'s dotfiles: allowed are root, its members as
 * the user database lists them now (not as the caller's process has them: the agent asks
 * exactly when its process lacks a group it joined since), and its admins.
 */
async function requireReader(context: HelperContext, group: string): Promise<void> {
  if (context.callerUid === ROOT_UID) return;
  const user = await lookupUid(context.callerUid);
  if (user !== undefined && (await groupsOf(user.name)).has(group)) return;
  const config = context.config.ok ? context.config.config : undefined;
  const admins = config === undefined ? [] : groupAdminsOf(config, group);
  if (user !== undefined && admins.includes(user.name)) return;
  const name =
    user === undefined ? `uid ${context.callerUid}` : `${user.name} (uid ${context.callerUid})`;
  throw refuse(
    'dotfile-group-not-member',
    `${name} is not in group ${group} nor one of its admins (groupAdmins.${group} in the lab configuration lists ${admins.length === 0 ? 'nobody' : admins.join(', ')}), so its dotfiles are not theirs to read.`,
    `A member of the group or an admin can read them; to add a member: sudo usermod -aG ${group} USER`,
  );
}

/**
 * `privileged.dotfile.read`: group `group`'s store, every file with its text, for its members
 * (per the user database), its admins, or root. Read without the lock: the store is only ever
 * replaced whole, by rename.
 */
async function readGroupDotfiles(
  context: HelperContext,
  group: string,
): Promise<DotfileGroupStore> {
  await requireReader(context, group);
  const store = await readStore(`${context.paths.stateDir}/dotfiles/groups/${group}.json`);
  const ref = { scope: 'group', group } as const;
  const paths = Object.keys(store.files).sort();
  return {
    revision: store.revision,
    files: paths.map((path) => dotfileDocument(ref, path, store.files[path]!)),
  };
}

/** Registers `privileged.dotfile.*`. */
export function registerDotfileMethods(
  registry: AgentRegistry<PrivilegedHelperContract>,
  context: HelperContext,
): void {
  registry.handle('privileged.dotfile.write', (params) => writeDotfile(context, params));
  registry.handle('privileged.dotfile.read', (params) => readGroupDotfiles(context, params.group));
}
