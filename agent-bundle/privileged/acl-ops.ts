import type { PrivilegedHelperContract } from '../../common/agent/privileged-helper-contract';
import type { FolderAccess, FolderRef } from '../../common/host-setup/privileged-ops';
import type { AgentRegistry } from '../rpc/agent-registry';
import { lookupUid } from './caller';
import {
  confineFolder,
  requireOwner,
  requireUnmanaged,
  type ConfinedFolder,
} from './confined-folder';
import { ownerTree, runAsOwner } from './owner-tree';
import type { HelperContext } from './helper-context';
import { requireConfig } from './helper-config';
import { refuse } from './privileged-refusal';
import { toolFailure } from './tool-failure';

/**
 * The ACL permissions of each access: `X` gives directories (and files already executable)
 * search, not every file execute. `wd` (delete) is `w` on the directories, as for `rw`.
 */
const ACL_PERMISSIONS: Record<FolderAccess, string> = { ro: 'rX', rw: 'rwX', wd: 'rwX' };

/**
 * Runs setfacl with `dirArgs` on the folder's directories (access and default entries) and
 * `fileArgs` on its files (access entries only), as the owner on a no-follow walk — not
 * `setfacl -R`, whose walk a caller racing it could lead out of the folder (owner-tree.ts).
 */
async function setAcl(
  folder: ConfinedFolder,
  dirArgs: readonly string[],
  fileArgs: readonly string[],
  what: string,
): Promise<{ readonly skipped: number }> {
  const tree = await ownerTree(folder);
  const failed =
    (await runAsOwner(folder, 'setfacl', dirArgs, tree.dirs)) ??
    (await runAsOwner(folder, 'setfacl', fileArgs, tree.files));
  if (failed !== undefined)
    throw toolFailure('acl-failed', `${what} ${folder.path}`, 'setfacl', failed);
  return { skipped: tree.skipped };
}

/**
 * `privileged.acl.grant`: gives user `uid` `access` on the folder and everything in it, and
 * the same as the default for what is created later. The caller must own the folder (or be
 * root); the grantee must exist and not be them. Files another user owns inside are skipped.
 */
async function grant(
  context: HelperContext,
  params: FolderRef & { uid: number; access: FolderAccess },
) {
  const folder = await confineFolder(requireConfig(context.config), params);
  requireUnmanaged(folder);
  requireOwner(folder, context.callerUid, 'share it');
  if (params.uid === context.callerUid || params.uid === folder.ownerUid)
    throw refuse(
      'acl-grant-to-owner',
      `uid: ${params.uid} owns ${folder.path} already; a grant is for another user.`,
    );
  if ((await lookupUid(params.uid)) === undefined)
    throw refuse(
      'acl-unknown-user',
      `uid: no user has uid ${params.uid} on this host.`,
      'Check the uid with `getent passwd UID`.',
    );
  const { skipped } = await grantAccess(folder, params.uid, params.access);
  return { path: folder.path, uid: params.uid, access: params.access, skipped };
}

/**
 * Gives user `uid` `access` on `folder` and everything in it (its owner's entries), and the same
 * as the default for what is made later. The checks of who may are the caller's.
 */
export function grantAccess(
  folder: ConfinedFolder,
  uid: number,
  access: FolderAccess,
): Promise<{ readonly skipped: number }> {
  const entry = `u:${uid}:${ACL_PERMISSIONS[access]}`;
  return setAcl(folder, ['-m', `${entry},d:${entry}`], ['-m', entry], 'share');
}

/** Removes user `uid`'s access and default entries from `folder` and everything in it. */
export function revokeAccess(
  folder: ConfinedFolder,
  uid: number,
): Promise<{ readonly skipped: number }> {
  const entry = `u:${uid}`;
  return setAcl(folder, ['-x', `${entry},d:${entry}`], ['-x', entry], 'unshare');
}

/**
 * `privileged.acl.revoke`: removes user `uid`'s entries from the folder and everything in it.
 * The owner may remove anyone's; any other caller only their own (leaving a shared folder).
 */
async function revoke(context: HelperContext, params: FolderRef & { uid: number }) {
  const folder = await confineFolder(requireConfig(context.config), params);
  requireUnmanaged(folder);
  if (params.uid !== context.callerUid)
    requireOwner(folder, context.callerUid, "remove another user's access");
  const { skipped } = await revokeAccess(folder, params.uid);
  return { path: folder.path, uid: params.uid, skipped };
}

/** Registers `privileged.acl.*`. */
export function registerAclMethods(
  registry: AgentRegistry<PrivilegedHelperContract>,
  context: HelperContext,
): void {
  registry.handle('privileged.acl.grant', (params) => grant(context, params));
  registry.handle('privileged.acl.revoke', (params) => revoke(context, params));
}
