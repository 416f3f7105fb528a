import type { FolderStore, FolderViewer } from '../../common/folders/folder-store';
import { groupNamesOf } from '../folders/folder-reader';
import { lookupUid, type PasswdUser } from './caller';
import { refuse } from './privileged-refusal';
import { runTool } from './system-tools';

/**
 * Users and groups as the folder operations need them: names from NSS (`getent`, `id`, by
 * absolute path, argv only), so LDAP and SSSD users count like /etc/passwd ones.
 */

/** A user who takes part in a folder operation: their passwd entry and their groups. */
export interface FolderUser extends PasswdUser {
  readonly viewer: FolderViewer;
}

/**
 * The names of the groups `name` is in (`id -Gnz -- NAME`: primary and supplementary;
 * NUL-separated, as a directory service's group name may have spaces).
 */
export async function groupsOf(name: string): Promise<Set<string>> {
  const run = await runTool('id', ['-Gnz', '--', name]);
  if (run.code !== 0) return new Set();
  return new Set(groupNamesOf(run.stdout));
}

async function withGroups(user: PasswdUser): Promise<FolderUser> {
  return { ...user, viewer: { uid: user.uid, groups: await groupsOf(user.name) } };
}

/** Who called: their name and groups, or a refusal when NSS does not know their uid. */
export async function callerUser(callerUid: number): Promise<FolderUser> {
  const user = await lookupUid(callerUid);
  if (user === undefined)
    throw refuse(
      'folder-unknown-caller',
      `No user has uid ${callerUid} on this host (getent passwd ${callerUid} found none), so the helper cannot tell whose folders these are.`,
    );
  return withGroups(user);
}

/** The user called `name` (for an invitation), or a refusal naming the field. */
export async function userNamed(name: string): Promise<FolderUser> {
  const run = await runTool('getent', ['passwd', '--', name]);
  const [found, , uidText, gidText] =
    run.code === 0 ? (run.stdout.split('\n')[0]?.split(':') ?? []) : [];
  if (found !== name || uidText === undefined)
    throw refuse(
      'folder-unknown-user',
      `user: "${name}" is not a user of this host.`,
      'Check the name with `getent passwd NAME`.',
    );
  return withGroups({ name, uid: Number(uidText), gid: Number(gidText) });
}

/** The gid of group `name`, or a refusal naming the field. */
export async function groupGid(name: string): Promise<number> {
  const run = await runTool('getent', ['group', '--', name]);
  const [found, , gidText] = run.code === 0 ? (run.stdout.split('\n')[0]?.split(':') ?? []) : [];
  if (found !== name || gidText === undefined)
    throw refuse(
      'folder-unknown-group',
      `group: "${name}" is not a group of this host.`,
      'Check the name with `getent group NAME`.',
    );
  return Number(gidText);
}

/**
 * The users of the store (folder owners and accepted invitees) other than the caller who are in
 * `group`, with their groups: the others whose view a group folder's name must fit. None for a
 * folder of no group (its grantees know it by the name they accepted it under).
 */
export async function othersWhoSee(
  store: FolderStore,
  callerUid: number,
  group: string | null,
): Promise<{ readonly name: string; readonly viewer: FolderViewer }[]> {
  if (group === null) return [];
  const users = new Map<number, string>();
  for (const known of store.folders) users.set(known.ownerUid, known.owner);
  for (const known of store.invitations)
    if (known.state === 'accepted') users.set(known.inviteeUid, known.invitee);
  users.delete(callerUid);
  const others = [];
  for (const [uid, name] of users) {
    const groups = await groupsOf(name);
    if (groups.has(group)) others.push({ name, viewer: { uid, groups } });
  }
  return others;
}
