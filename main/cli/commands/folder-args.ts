import { isDotFolder, validateFolderName } from '../../../common/folder-names';
import { FOLDER_ACCESS } from '../../../common/host-setup/privileged-ops';
import { parseByteSize } from '../../../common/session-fields';
import type { ParsedArgs } from '../cli-args';
import { UsageError } from '../cli-io';

/**
 * The words of `labdeck folder …` and `session start --mount` checked and turned into requests
 * before anything connects: a bad folder name, size or permission is a usage mistake that names
 * the word, in the same words the form and the agent use.
 */

/** `value` if it may name a folder; else a usage error naming `label` (`NAME`, `--as`). */
export function folderNameArg(label: string, value: string): string {
  const check = validateFolderName(value);
  if (check.ok) return value;
  const quoted = `"${value}"`;
  throw new UsageError(
    `${label} ${check.message.startsWith(quoted) ? '' : `${quoted} `}${check.message}`,
  );
}

/** A quota as typed (`50g`, `512m`, bytes) in bytes; `0` and `none` mean no quota. */
export function quotaArg(label: string, text: string): number {
  if (text.trim().toLowerCase() === 'none') return 0;
  const bytes = parseByteSize(text);
  if (bytes === undefined)
    throw new UsageError(
      `${label} "${text}" is not a size: use bytes or 512m, 50g, 1t (0 or none for no quota)`,
    );
  return bytes;
}

/** `--mount NAME[:ro]` (also `:rw`), each checked by the folder-name rule. */
export function mountArgs(words: readonly string[]): { name: string; readOnly: boolean }[] {
  const mounts = words.map((word) => {
    const match = /^(.*):(ro|rw)$/.exec(word);
    const name = match ? match[1]! : word;
    return { name: folderNameArg(`--mount ${word}: folder`, name), readOnly: match?.[2] === 'ro' };
  });
  const twice = mounts.find((m, i) => mounts.findIndex((o) => o.name === m.name) !== i);
  if (twice) throw new UsageError(`--mount ${twice.name} is given twice; mount each folder once`);
  return mounts;
}

/** The folder request a command line makes: its channel and input, host included. */
export type FolderCall =
  | { readonly channel: 'folders:list'; readonly input: { hostId: string } }
  | {
      readonly channel: 'folders:create';
      readonly input: {
        hostId: string;
        name: string;
        volume?: string;
        quotaBytes: number;
        cloneable: boolean;
      };
    }
  | {
      readonly channel: 'folders:update';
      readonly input: { hostId: string; name: string; quotaBytes: number };
    }
  | {
      readonly channel: 'folders:invite';
      readonly input: {
        hostId: string;
        name: string;
        user: string;
        permission: (typeof FOLDER_ACCESS)[number];
      };
    }
  | {
      readonly channel: 'folders:respond';
      readonly input: { hostId: string; invitation: string; accept: boolean; as?: string };
    }
  | { readonly channel: 'folders:cancel'; readonly input: { hostId: string; invitation: string } }
  | {
      readonly channel: 'folders:leave' | 'folders:trash' | 'folders:restore' | 'folders:purge';
      readonly input: { hostId: string; name: string };
    }
  | {
      readonly channel: 'folders:clone-cancel';
      readonly input: { hostId: string; name: string };
    }
  | {
      readonly channel: 'folders:clone';
      readonly input: { hostId: string; source: string; target: string };
    };

const NAMED = {
  leave: 'folders:leave',
  rm: 'folders:trash',
  restore: 'folders:restore',
  purge: 'folders:purge',
} as const;

/** `--as NEWNAME`: a folder name, and not a dot-name (dot-folders are private, never shared). */
function aliasArg(value: string): string {
  const name = folderNameArg('--as', value);
  if (isDotFolder(name))
    throw new UsageError(
      `--as "${name}" starts with ".": dot-folders are private, so a folder shared with you cannot be one; pick a name without the leading "."`,
    );
  return name;
}

/** An invitation's id as `folder invitations` lists it: 16 hex digits. */
function invitationArg(value: string): string {
  if (/^[0-9a-f]{16}$/.test(value)) return value;
  throw new UsageError(
    `INVITATION "${value}" is not an invitation's id (16 hex digits, as \`labdeck folder invitations HOST\` lists them)`,
  );
}

/**
 * The request `labdeck folder VERB …` makes, every word checked first (a {@link UsageError}
 * naming the word otherwise), so a mistake never reaches a host.
 */
export function folderCall(args: ParsedArgs): FolderCall {
  const [hostId = '', first = '', second = ''] = args.positionals;
  const verb = args.verb ?? '';
  switch (verb) {
    case 'ls':
    case 'invitations':
      return { channel: 'folders:list', input: { hostId } };
    case 'create': {
      const volume = args.values.get('volume');
      const quota = args.values.get('quota');
      return {
        channel: 'folders:create',
        input: {
          hostId,
          name: folderNameArg('NAME', first),
          ...(volume === undefined ? {} : { volume }),
          quotaBytes: quota === undefined ? 0 : quotaArg('--quota', quota),
          cloneable: args.flags.has('cloneable'),
        },
      };
    }
    case 'quota':
      return {
        channel: 'folders:update',
        input: { hostId, name: folderNameArg('NAME', first), quotaBytes: quotaArg('SIZE', second) },
      };
    case 'invite': {
      const perm = args.values.get('perm') ?? '';
      if (!(FOLDER_ACCESS as readonly string[]).includes(perm))
        throw new UsageError(
          `--perm "${perm}" is not a permission: ro (read), rw (read-write) or wd (read-write-delete)`,
        );
      return {
        channel: 'folders:invite',
        input: {
          hostId,
          name: folderNameArg('NAME', first),
          user: second,
          permission: perm as (typeof FOLDER_ACCESS)[number],
        },
      };
    }
    case 'accept':
    case 'reject': {
      const as = args.values.get('as');
      return {
        channel: 'folders:respond',
        input: {
          hostId,
          invitation: invitationArg(first),
          accept: verb === 'accept',
          ...(as === undefined ? {} : { as: aliasArg(as) }),
        },
      };
    }
    case 'cancel':
      return { channel: 'folders:cancel', input: { hostId, invitation: invitationArg(first) } };
    case 'leave':
    case 'rm':
    case 'restore':
    case 'purge':
      return { channel: NAMED[verb], input: { hostId, name: folderNameArg('NAME', first) } };
    case 'clone-cancel':
      return {
        channel: 'folders:clone-cancel',
        input: { hostId, name: folderNameArg('NAME', first) },
      };
    case 'clone':
      return {
        channel: 'folders:clone',
        input: {
          hostId,
          source: folderNameArg('SOURCE', first),
          target: folderNameArg('TARGET', second),
        },
      };
    default:
      throw new Error(`folder ${verb}: not implemented`);
  }
}
