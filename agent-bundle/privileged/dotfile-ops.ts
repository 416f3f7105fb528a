import { chmod, mkdir, readFile } from 'node:fs/promises';
import type { PrivilegedHelperContract } from '../../common/agent/privileged-helper-contract';
import { AppFailure } from '../../common/contract/result';
import { describeIssues } from '../../common/contract/validation';
import type { LabConfig } from '../../common/host-setup/lab-config';
import {
  dotfileStoreSchema,
  type DotfileLevel,
  type DotfileStore,
} from '../../common/host-setup/privileged-ops';
import type { AgentRegistry } from '../rpc/agent-registry';
import { readIfExists, writeFileAtomic } from './atomic-file';
import { withFileLock } from './file-lock';
import { lookupUid, ROOT_UID } from './caller';
import type { HelperContext } from './helper-context';
import { requireConfig } from './helper-config';
import { refuse } from './privileged-refusal';

/** Dotfile directories: root's, readable by everyone (every user's sessions apply them). */
const DOTFILE_DIR_MODE = 0o755;

type DotfileWrite = DotfileLevel & { readonly path: string; readonly content: string | null };

/** The admins of `level` in the configuration, and the level in words. */
function adminsOf(
  config: LabConfig,
  level: DotfileLevel,
): { admins: readonly string[]; what: string; field: string } {
  if (level.level === 'lab')
    return { admins: config.labAdmins, what: "the lab's dotfiles", field: 'labAdmins' };
  return {
    admins: config.groupAdmins[level.group] ?? [],
    what: `group ${level.group}'s dotfiles`,
    field: `groupAdmins.${level.group}`,
  };
}

/** Refuses a caller who is not an admin of the level (root always is). */
async function requireAdmin(
  context: HelperContext,
  config: LabConfig,
  level: DotfileLevel,
): Promise<void> {
  if (context.callerUid === ROOT_UID) return;
  const { admins, what, field } = adminsOf(config, level);
  const user = await lookupUid(context.callerUid);
  if (user !== undefined && admins.includes(user.name)) return;
  const name =
    user === undefined ? `uid ${context.callerUid}` : `${user.name} (uid ${context.callerUid})`;
  throw refuse(
    'dotfile-not-admin',
    `Only the admins of ${what} may change them, and ${name} is not one (${field} in the lab configuration lists ${admins.length === 0 ? 'nobody' : admins.join(', ')}).`,
    'Ask an admin to add you to that list in /etc/labdeck/config.json.',
  );
}

/** Where a level's files are kept: `dotfiles/lab.json` or `dotfiles/groups/GROUP.json`. */
function storePath(context: HelperContext, level: DotfileLevel): string {
  const dir = `${context.paths.stateDir}/dotfiles`;
  return level.level === 'lab' ? `${dir}/lab.json` : `${dir}/groups/${level.group}.json`;
}

async function readStore(path: string): Promise<DotfileStore> {
  const text = await readIfExists(path, (file) => readFile(file, 'utf8'));
  if (text === undefined) return { files: {} };
  const parsed = dotfileStoreSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new AppFailure({
      code: 'dotfile-store-invalid',
      message: `${path} is not a valid dotfile store (${describeIssues(parsed.error)}); it was left as it is.`,
      hint: 'An admin can fix or remove the file on the host.',
    });
  return parsed.data;
}

/**
 * `privileged.dotfile.write`: sets (content null: removes) one file of the lab's or a group's
 * dotfiles, by atomic replace of the level's store under a lock. The path was already parsed:
 * inside the home (not `.ssh`, `.gnupg`, `.labdeck`) or an allow-listed system file.
 */
async function writeDotfile(context: HelperContext, params: DotfileWrite) {
  const config = requireConfig(context.config);
  await requireAdmin(context, config, params);
  const path = storePath(context, params);
  const dir = path.slice(0, path.lastIndexOf('/'));
  await mkdir(dir, { recursive: true, mode: DOTFILE_DIR_MODE });
  await chmod(dir, DOTFILE_DIR_MODE);
  return withFileLock(`${path}.lock`, async () => {
    const store = await readStore(path);
    const files = { ...store.files };
    if (params.content === null) delete files[params.path];
    else files[params.path] = params.content;
    await writeFileAtomic(path, `${JSON.stringify({ files }, null, 2)}\n`);
    return { path, files: Object.keys(files).length, removed: params.content === null };
  });
}

/** Registers `privileged.dotfile.*`. */
export function registerDotfileMethods(
  registry: AgentRegistry<PrivilegedHelperContract>,
  context: HelperContext,
): void {
  registry.handle('privileged.dotfile.write', (params) => writeDotfile(context, params));
}
