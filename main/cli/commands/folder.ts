import type { Client } from '../../../common/contract/client';
import type { RequestName } from '../../../common/contract/contract';
import type { FolderView } from '../../../common/contract/folders';
import type { InvitationView } from '../../../common/folders/folder-view';
import { terminalSafe } from '../../../common/text/terminal-safe';
import type { ParsedArgs } from '../cli-args';
import { EXIT_FAILURE, jsonText, valueOrReport, type CliIo } from '../cli-io';
import { withCliClient } from '../cli-services';
import type { CommandContext } from './command-table';
import { folderCall, type FolderCall } from './folder-args';
import { cloneCancelCommand, cloneCommand } from './folder-clone';
import {
  folderJson,
  invitationJson,
  printFolders,
  printInvitations,
  sizeText,
} from './folder-output';

/** What a person is told after a change, by verb. */
function changed(verb: string, answer: unknown, call: FolderCall): string {
  const name = 'name' in call.input ? call.input.name : '';
  switch (verb) {
    case 'create':
      return `Created ${name}.`;
    case 'quota': {
      const bytes = (call.input as { quotaBytes: number }).quotaBytes;
      return bytes === 0
        ? `${name} has no quota now.`
        : `${name} is limited to ${sizeText(bytes)} now.`;
    }
    case 'invite': {
      const invitation = answer as InvitationView;
      return `Invited ${invitation.invitee} to ${invitation.folder} (${invitation.permission}); invitation ${invitation.id} is pending until they answer.`;
    }
    case 'accept':
    case 'reject':
      return `Invitation ${(answer as InvitationView).id} is ${(answer as InvitationView).state} now.`;
    case 'cancel': {
      const invitation = answer as InvitationView;
      return `Invitation ${invitation.id} is canceled now: ${invitation.invitee} has no access to ${invitation.folder} through it.`;
    }
    case 'leave':
      return `You left ${name}; its data and other members are untouched.`;
    case 'rm':
      return `Moved ${name} to the trash (labdeck folder restore ${call.input.hostId} ${name} takes it back).`;
    case 'restore':
      return `Restored ${name}.`;
    case 'purge':
      return `Deleted ${name} for good.`;
    default:
      return 'Done.';
  }
}

/** `labdeck folder …`, its words already checked: the exit status. */
export async function folderCommand(
  args: ParsedArgs,
  call: FolderCall,
  client: Client,
  io: CliIo,
): Promise<number> {
  const json = args.flags.has('json');
  const verb = args.verb ?? '';
  if (call.channel === 'folders:clone') return cloneCommand(client, call.input, io, json);
  if (call.channel === 'folders:clone-cancel')
    return cloneCancelCommand(client, call.input, io, json);
  const request = client.request as (
    channel: RequestName,
    input: unknown,
  ) => ReturnType<Client['request']>;
  const answer = valueOrReport(io, await request(call.channel, call.input));
  if (answer === undefined) return EXIT_FAILURE;
  if (verb === 'ls' || verb === 'invitations') {
    const list = answer as { folders: FolderView[]; invitations: InvitationView[] };
    if (verb === 'ls') {
      if (json) io.out(`${jsonText(list.folders.map(folderJson), 2)}\n`);
      else printFolders(list.folders, call.input.hostId, io);
    } else if (json) io.out(`${jsonText(list.invitations.map(invitationJson), 2)}\n`);
    else printInvitations(list.invitations, call.input.hostId, io);
    return 0;
  }
  if (json) {
    // Folders and invitations in their documented shapes; leave and purge answer `{ id }`.
    const shaped = ['create', 'quota', 'rm', 'restore'].includes(verb)
      ? folderJson(answer as FolderView)
      : ['invite', 'accept', 'reject', 'cancel'].includes(verb)
        ? invitationJson(answer as InvitationView)
        : answer;
    io.out(`${jsonText(shaped, 2)}\n`);
  } else io.out(terminalSafe(`${changed(verb, answer, call)}\n`));
  return 0;
}

/**
 * `labdeck folder …` as the command table runs it: every word is checked (names by the folder
 * rule, sizes, permissions) before any connection, then the request goes to a running LabDeck
 * or to in-process services.
 */
export function run(_args: string[], context: CommandContext): Promise<number> {
  const call = folderCall(context.parsed);
  return withCliClient(context, (client) =>
    folderCommand(context.parsed, call, client, context.io),
  );
}
