import type { PrivilegedHelperContract } from '../../common/agent/privileged-helper-contract';
import type { FolderAccess, FolderRef } from '../../common/host-setup/privileged-ops';
import type { AgentRegistry } from '../rpc/agent-registry';
import { lookupUid } from './caller';
import { confineFolder, requireOwner } from './confined-folder';
import type { HelperContext } from './helper-context';
import { requireConfig } from './helper-config';
import { refuse } from './privileged-refusal';
import { runTool } from './system-tools';
import { toolFailed, toolFailure } from './tool-failure';

/**
 * The ACL permissions of each access: `X` gives directories (and files already executable)
 * search, not every file execute. `wd` (delete) is `w` on the directories, as for `rw`.
 */
const ACL_PERMISSIONS: Record<FolderAccess, string> = { ro: 'rX', rw: 'rwX', wd: 'rwX' };

/**
 * `privileged.acl.grant`: gives user `uid` `access` on the folder and everything in it, and
 * the same as the default for what is created later (`setfacl -R -P`: symlinks inside are
 * never followed). The caller must own the folder; the grantee must exist and not be them.
 */
async function grant(
  context: HelperContext,
  params: FolderRef & { uid: number; access: FolderAccess },
) {
  const folder = await confineFolder(requireConfig(context.config), params);
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
  const permissions = ACL_PERMISSIONS[params.access];
  const entry = `u:${params.uid}:${permissions},d:u:${params.uid}:${permissions}`;
  const run = await runTool('setfacl', ['-R', '-P', '-m', entry, '--', folder.path]);
  if (toolFailed(run)) throw toolFailure('acl-failed', `share ${folder.path}`, 'setfacl', run);
  return { path: folder.path, uid: params.uid, access: params.access };
}

/**
 * `privileged.acl.revoke`: removes user `uid`'s entries from the folder and everything in it.
 * The owner may remove anyone's; any other caller only their own (leaving a shared folder).
 */
async function revoke(context: HelperContext, params: FolderRef & { uid: number }) {
  const folder = await confineFolder(requireConfig(context.config), params);
  if (params.uid !== context.callerUid)
    requireOwner(folder, context.callerUid, "remove another user's access");
  const entry = `u:${params.uid},d:u:${params.uid}`;
  const run = await runTool('setfacl', ['-R', '-P', '-x', entry, '--', folder.path]);
  if (toolFailed(run)) throw toolFailure('acl-failed', `unshare ${folder.path}`, 'setfacl', run);
  return { path: folder.path, uid: params.uid };
}

/** Registers `privileged.acl.*`. */
export function registerAclMethods(
  registry: AgentRegistry<PrivilegedHelperContract>,
  context: HelperContext,
): void {
  registry.handle('privileged.acl.grant', (params) => grant(context, params));
  registry.handle('privileged.acl.revoke', (params) => revoke(context, params));
}
