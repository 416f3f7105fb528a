import type { MethodParams } from '../../common/agent/agent-contract';
import type { PrivilegedHelperContract } from '../../common/agent/privileged-helper-contract';
import { isDotFolder } from '../../common/folder-names';
import type {
  FolderRecord,
  FolderStore,
  InvitationRecord,
} from '../../common/folders/folder-store';
import type { AgentRegistry } from '../rpc/agent-registry';
import { grantAccess, revokeAccess } from './acl-ops';
import { ROOT_UID } from './caller';
import { randomId } from './folder-create';
import { recordedDirectory } from './folder-directory';
import {
  folderById,
  freshId,
  invitationById,
  ownedFolder,
  requireInvitationRoom,
  requireNameFree,
  requirePending,
  withInvitation,
  withoutInvitation,
} from './folder-records';
import { changeFolderStore, checkBeforeLocking } from './folder-store-file';
import { callerUser, userNamed } from './folder-users';
import type { HelperContext } from './helper-context';
import { requireConfig } from './helper-config';
import { refuse } from './privileged-refusal';

type InviteParams = MethodParams<PrivilegedHelperContract, 'privileged.folder.invite'>;
type RespondParams = MethodParams<PrivilegedHelperContract, 'privileged.folder.respond'>;

/** Refuses sharing a folder that is not ready, or a dot-folder (private by rule, issue 12). */
function requireShareable(folder: FolderRecord): void {
  if (isDotFolder(folder.name))
    throw refuse(
      'folder-not-shareable',
      `id: folder "${folder.name}" is a dot-folder; dot-folders are private to their owner and cannot be shared.`,
      'Share a folder whose name does not start with ".".',
    );
  if (folder.state !== 'ready')
    throw refuse(
      `folder-${folder.state}`,
      `Folder "${folder.name}" is ${folder.state === 'trashed' ? 'in the trash' : 'still being cloned'}, so it cannot be shared now.`,
    );
}

/**
 * `privileged.folder.invite`: a pending invitation of user `user` (by name, resolved on this
 * host) to the caller's folder. Not to dot-folders, not to its owner, and not twice: one pending
 * or accepted invitation per user and folder.
 */
async function invite(context: HelperContext, params: InviteParams) {
  const invitee = await userNamed(params.user);
  const owned = (store: FolderStore): FolderRecord =>
    ownedFolder(store, params.id, context.callerUid, 'invite others to it');
  await checkBeforeLocking(context, owned);
  return changeFolderStore(context, async (store) => {
    const folder = owned(store);
    requireShareable(folder);
    requireInvitationRoom(store, folder.ownerUid);
    if (invitee.uid === folder.ownerUid)
      throw refuse('invitation-to-owner', `user: ${invitee.name} owns "${folder.name}" already.`);
    const open = store.invitations.find(
      (known) =>
        known.folderId === folder.id &&
        known.inviteeUid === invitee.uid &&
        (known.state === 'pending' || known.state === 'accepted'),
    );
    if (open !== undefined)
      throw refuse(
        'invitation-exists',
        `user: ${invitee.name} has a ${open.state} invitation to "${folder.name}" already (${open.id}).`,
        open.state === 'pending'
          ? 'Cancel it first to invite them with another permission.'
          : undefined,
      );
    const now = new Date().toISOString();
    const invitation: InvitationRecord = {
      id: freshId(store, randomId),
      folderId: folder.id,
      ownerUid: folder.ownerUid,
      owner: folder.owner,
      inviteeUid: invitee.uid,
      invitee: invitee.name,
      permission: params.permission,
      state: 'pending',
      alias: null,
      createdAt: now,
      updatedAt: now,
    };
    return { store: withInvitation(store, invitation), value: { invitation } };
  });
}

/**
 * `privileged.folder.respond`: the invitee (only they) accepts — under the folder's name, or
 * `alias` when that clashes with a folder they see (never a dot-name: dot-folders are private,
 * and a shared one would stand among the invitee's own in their sessions); the grant is a POSIX
 * ACL entry on the folder's tree, taken back if the record cannot be written — or rejects.
 */
async function respond(context: HelperContext, params: RespondParams) {
  const config = requireConfig(context.config);
  if (params.accept && params.alias !== null && isDotFolder(params.alias))
    throw refuse(
      'folder-not-shareable-name',
      `alias: "${params.alias}" is a dot-folder name, and dot-folders are private to their owner, so a folder shared with you cannot take one (in your sessions it would stand where your own dot-folders go).`,
      `Accept it under a name without a leading ".": labdeck folder accept HOST ${params.id} --as NEWNAME`,
    );
  const caller = await callerUser(context.callerUid);
  const answerable = (store: FolderStore): InvitationRecord => {
    const invitation = invitationById(store, params.id);
    if (invitation.inviteeUid !== caller.uid)
      throw refuse(
        'invitation-not-yours',
        `Invitation ${invitation.id} is for ${invitation.invitee}, so only they may ${params.accept ? 'accept' : 'reject'} it; you are ${caller.name}.`,
      );
    requirePending(invitation, params.accept ? 'accepted' : 'rejected');
    return invitation;
  };
  await checkBeforeLocking(context, answerable);
  return changeFolderStore(context, async (store) => {
    const before = answerable(store);
    const updatedAt = new Date().toISOString();
    if (!params.accept) {
      const invitation: InvitationRecord = { ...before, state: 'rejected', updatedAt };
      return { store: withInvitation(store, invitation), value: { invitation } };
    }
    const folder = folderById(store, before.folderId);
    requireShareable(folder);
    const name = params.alias ?? folder.name;
    requireNameFree(
      store,
      caller.viewer,
      name,
      `accept it under another name: labdeck folder accept HOST ${before.id} --as NEWNAME`,
    );
    const directory = await recordedDirectory(config, folder);
    const undo = async (): Promise<void> => {
      await revokeAccess(directory, caller.uid);
    };
    await grantAccess(directory, caller.uid, before.permission).catch(async (error: unknown) => {
      await undo().catch(() => undefined);
      throw error;
    });
    const alias = name === folder.name ? null : name;
    const invitation: InvitationRecord = { ...before, state: 'accepted', alias, updatedAt };
    return { store: withInvitation(store, invitation), value: { invitation }, undo };
  });
}

/**
 * `privileged.folder.cancel`: the folder's owner withdraws an invitation — a pending one, or an
 * accepted one, which takes the grant back: the invitee's ACL entries go (put back if the record
 * cannot be written) and the invitation stays, `canceled`, so the invitee learns how it ended.
 * The folder's files and other grants are untouched.
 */
async function cancel(context: HelperContext, id: string) {
  const cancelable = (store: FolderStore): InvitationRecord => {
    const invitation = invitationById(store, id);
    if (context.callerUid !== ROOT_UID && invitation.ownerUid !== context.callerUid)
      throw refuse(
        'invitation-not-owner',
        `Invitation ${invitation.id} was sent by ${invitation.owner}; only they may cancel it (you are uid ${context.callerUid}).`,
        invitation.inviteeUid === context.callerUid
          ? invitation.state === 'accepted'
            ? `To drop it from your folders, leave it: labdeck folder leave HOST ${invitation.alias ?? folderById(store, invitation.folderId).name}`
            : 'To say no, reject it.'
          : undefined,
      );
    if (invitation.state !== 'accepted') requirePending(invitation, 'canceled');
    return invitation;
  };
  await checkBeforeLocking(context, cancelable);
  return changeFolderStore(context, async (store) => {
    const before = cancelable(store);
    const invitation: InvitationRecord = {
      ...before,
      state: 'canceled',
      updatedAt: new Date().toISOString(),
    };
    if (before.state !== 'accepted')
      return { store: withInvitation(store, invitation), value: { invitation } };
    const directory = await recordedDirectory(
      requireConfig(context.config),
      folderById(store, before.folderId),
    );
    const undo = async (): Promise<void> => {
      await grantAccess(directory, before.inviteeUid, before.permission);
    };
    await revokeAccess(directory, before.inviteeUid).catch(async (error: unknown) => {
      await undo().catch(() => undefined);
      throw error;
    });
    return { store: withInvitation(store, invitation), value: { invitation }, undo };
  });
}

/**
 * `privileged.folder.leave`: the caller drops their own grant on a folder shared with them —
 * their ACL entries and their accepted invitation. The data and other grantees are untouched;
 * the owner cannot leave (they delete), nor a member who sees it through a group.
 */
async function leave(context: HelperContext, id: string) {
  const config = requireConfig(context.config);
  await checkBeforeLocking(context, (store) => folderById(store, id));
  return changeFolderStore(context, async (store) => {
    const folder = folderById(store, id);
    if (folder.ownerUid === context.callerUid)
      throw refuse(
        'folder-owner-cannot-leave',
        `You own folder "${folder.name}", so you cannot leave it.`,
        `Delete it instead: labdeck folder rm HOST ${folder.name}`,
      );
    const accepted = store.invitations.find(
      (known) =>
        known.folderId === folder.id &&
        known.inviteeUid === context.callerUid &&
        known.state === 'accepted',
    );
    if (accepted === undefined)
      throw refuse(
        'folder-not-shared-with-you',
        `id: folder "${folder.name}" was not shared with you (uid ${context.callerUid}), so there is no grant of yours to leave.`,
        folder.group === null ? undefined : `Members of ${folder.group} see it through the group.`,
      );
    const directory = await recordedDirectory(config, folder);
    const undo = async (): Promise<void> => {
      await grantAccess(directory, context.callerUid, accepted.permission);
    };
    await revokeAccess(directory, context.callerUid).catch(async (error: unknown) => {
      await undo().catch(() => undefined);
      throw error;
    });
    return { store: withoutInvitation(store, accepted.id), value: { id: folder.id }, undo };
  });
}

/** Registers `privileged.folder.invite/respond/cancel/leave`. */
export function registerInvitationMethods(
  registry: AgentRegistry<PrivilegedHelperContract>,
  context: HelperContext,
): void {
  registry.handle('privileged.folder.invite', (params) => invite(context, params));
  registry.handle('privileged.folder.respond', (params) => respond(context, params));
  registry.handle('privileged.folder.cancel', ({ id }) => cancel(context, id));
  registry.handle('privileged.folder.leave', ({ id }) => leave(context, id));
}
