import { isDotFolder } from '../../common/folder-names';
import { AppFailure } from '../../common/contract/result';
import { nameTaken, type InvitationRecord } from '../../common/folders/folder-store';
import type { InvitationView } from '../../common/folders/folder-view';
import {
  callHelper,
  notCloning,
  ownedNamed,
  visibleNamed,
  type FolderDeps,
  type FolderParams,
} from './folder-deps';
import type { FolderContext } from './folder-reader';
import { invitationView } from './folder-views';

/** The invitation `id`, or `invitation-not-found`. */
function invitationById(context: FolderContext, id: string): InvitationRecord {
  const invitation = context.store.invitations.find((known) => known.id === id);
  const uid = context.viewer.uid;
  if (invitation === undefined || (invitation.inviteeUid !== uid && invitation.ownerUid !== uid))
    throw new AppFailure({
      code: 'invitation-not-found',
      message: `There is no invitation ${id} to or from you on this host.`,
      hint: 'labdeck folder invitations HOST lists yours.',
    });
  return invitation;
}

/** The name the owner gives the folder `invitation` is to. */
function folderNameOf(context: FolderContext, invitation: InvitationRecord): string {
  return context.store.folders.find((folder) => folder.id === invitation.folderId)?.name ?? '';
}

function mustBePending(invitation: InvitationRecord): void {
  if (invitation.state !== 'pending')
    throw new AppFailure({
      code: 'invitation-not-pending',
      message: `Invitation ${invitation.id} was ${invitation.state} already.`,
      hint: 'labdeck folder invitations HOST shows where each stands.',
    });
}

/** `folders.invite`: the owner invites a user of the host. Dot-folders stay private. */
export async function inviteToFolder(
  deps: FolderDeps,
  context: FolderContext,
  params: FolderParams<'folders.invite'>,
): Promise<InvitationView> {
  const visible = ownedNamed(context, params.name, 'share');
  notCloning(deps, visible, 'shared');
  if (isDotFolder(visible.name))
    throw new AppFailure({
      code: 'folder-not-shareable',
      message: `Dot-folders are private: "${visible.name}" cannot be shared.`,
      hint: 'Share a folder whose name does not start with ".".',
    });
  const { invitation } = await callHelper(deps, context, (helper) =>
    helper.call('privileged.folder.invite', {
      id: visible.folder.id,
      user: params.user,
      permission: params.permission,
    }),
  );
  return invitationView(invitation, context.store, context.viewer);
}

/**
 * `folders.respond`: the invitee accepts (under `as` when given) or rejects. A name clash with a
 * folder they already see is refused with the way out: accept under another name.
 */
export async function respondToInvitation(
  deps: FolderDeps,
  context: FolderContext,
  params: FolderParams<'folders.respond'>,
): Promise<InvitationView> {
  const invitation = invitationById(context, params.invitation);
  if (invitation.inviteeUid !== context.viewer.uid)
    throw new AppFailure({
      code: 'invitation-not-yours',
      message: `Invitation ${invitation.id} is one you sent to ${invitation.invitee}; only they can answer it.`,
      hint: `To withdraw it: labdeck folder cancel HOST ${invitation.id}`,
    });
  mustBePending(invitation);
  if (params.accept && params.as !== undefined && isDotFolder(params.as))
    throw new AppFailure({
      code: 'folder-alias-private',
      message: `"${params.as}" starts with ".": dot-folders are private, so a folder shared with you cannot be one.`,
      hint: `accept it under a name without the leading ".": labdeck folder accept HOST ${invitation.id} --as NEWNAME`,
    });
  const folderName = folderNameOf(context, invitation);
  const name = params.as ?? folderName;
  if (params.accept && nameTaken(context.store, context.viewer, name))
    throw new AppFailure({
      code: 'folder-name-taken',
      message: `You already have a folder named "${name}" on this host, so ${invitation.owner}'s "${folderName}" cannot take that name.`,
      hint: `accept it under another name: labdeck folder accept HOST ${invitation.id} --as NEWNAME`,
    });
  const alias = params.accept && name !== folderName ? name : null;
  const answered = await callHelper(deps, context, (helper) =>
    helper.call('privileged.folder.respond', { id: invitation.id, accept: params.accept, alias }),
  );
  return invitationView(answered.invitation, context.store, context.viewer);
}

/**
 * `folders.cancel`: the owner withdraws an invitation: a pending one, or an accepted one, which
 * takes the invitee's access back (they keep the invitation, `canceled`).
 */
export async function cancelInvitation(
  deps: FolderDeps,
  context: FolderContext,
  id: string,
): Promise<InvitationView> {
  const invitation = invitationById(context, id);
  if (invitation.ownerUid !== context.viewer.uid)
    throw new AppFailure({
      code: 'invitation-not-yours',
      message: `Invitation ${id} was sent to you by ${invitation.owner}; only they can withdraw it.`,
      hint:
        invitation.state === 'accepted'
          ? `To drop it from your folders: labdeck folder leave HOST ${invitation.alias ?? folderNameOf(context, invitation)}`
          : `To decline it: labdeck folder reject HOST ${id}`,
    });
  if (invitation.state !== 'accepted') mustBePending(invitation);
  const canceled = await callHelper(deps, context, (helper) =>
    helper.call('privileged.folder.cancel', { id }),
  );
  return invitationView(canceled.invitation, context.store, context.viewer);
}

/** `folders.leave`: drops the user's own grant; the data and other grantees stay. */
export async function leaveFolder(
  deps: FolderDeps,
  context: FolderContext,
  name: string,
): Promise<{ id: string }> {
  const visible = visibleNamed(context, name);
  if (visible.via === 'own')
    throw new AppFailure({
      code: 'folder-owner-cannot-leave',
      message: 'owners cannot leave their folder; delete it instead',
      hint: `labdeck folder rm HOST ${name}`,
    });
  if (visible.via === 'group')
    throw new AppFailure({
      code: 'folder-not-shared',
      message: `"${name}" is a folder of your group ${visible.folder.group ?? ''}: you have it as a member, not through an invitation.`,
      hint: 'It leaves your list when you leave the group.',
    });
  const left = await callHelper(deps, context, (helper) =>
    helper.call('privileged.folder.leave', { id: visible.folder.id }),
  );
  deps.usage.forget(visible.folder.id);
  return { id: left.id };
}
