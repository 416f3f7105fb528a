import type { CommandForm, OptionSpec, PositionalSpec } from './command-table';

/**
 * The forms of `labdeck folder …` (issue 12) for the command table: kept beside the table, not
 * in the command's module, so `labdeck help folder` and the check of every word load nothing of
 * the folder code. Imports only types, so the table can import it without a cycle.
 */

const host: PositionalSpec = { name: 'HOST', host: true };
const folder: PositionalSpec = { name: 'NAME' };
const json = (what: string): OptionSpec => ({
  name: 'json',
  help: `Print ${what} as JSON (stable: keys are only ever added).`,
});
const NAME_RULE =
  'NAME: at most 64 letters, digits, ".", "_" and "-", starting and ending with a letter or\n' +
  'digit (a leading "." makes a private dot-folder, such as .local, mounted into every session).';

/** Every form of `labdeck folder`. */
export const FOLDER_FORMS: readonly CommandForm[] = [
  {
    verb: 'create',
    positionals: [host, folder],
    options: [
      { name: 'volume', value: 'V', help: "The storage volume (default: the host's first)." },
      {
        name: 'quota',
        value: 'SIZE',
        help: 'Limit it to SIZE, e.g. 50g or 512m (default: none). Enforced on XFS\nvolumes whose kernel and mount have project quotas; said so otherwise.',
      },
      { name: 'cloneable', help: 'Let others who can read it clone it.' },
      json('the folder'),
    ],
    summary: 'Make a folder on a storage volume of a host, private to you.',
    details: NAME_RULE,
    examples: [
      'labdeck folder create gpu-lab datasets --quota 500g',
      'labdeck folder create gpu-lab template --cloneable',
      'labdeck folder create gpu-lab .local',
    ],
  },
  {
    verb: 'ls',
    positionals: [host],
    options: [json('the folders')],
    summary: "List a host's folders you can see: yours, your groups', shared with you.",
    details:
      'Shows each folder\'s usage against its quota, and says "not enforced" where the\nfilesystem does not hold to it.',
    examples: ['labdeck folder ls gpu-lab', 'labdeck folder ls gpu-lab --json'],
  },
  {
    verb: 'invite',
    positionals: [host, folder, { name: 'USER' }],
    options: [
      {
        name: 'perm',
        value: 'PERM',
        required: true,
        help: 'What USER may do: ro (read), rw (read and write) or wd (read, write and delete).',
      },
      json('the invitation'),
    ],
    summary: 'Invite a user of the host to a folder of yours; they accept or reject it.',
    details: 'Dot-folders stay private and cannot be shared.',
    examples: ['labdeck folder invite gpu-lab datasets bob --perm ro'],
  },
  {
    verb: 'invitations',
    positionals: [host],
    options: [json('the invitations')],
    summary: 'List invitations to you and from you, with their IDs.',
    examples: ['labdeck folder invitations gpu-lab'],
  },
  {
    verb: 'accept',
    positionals: [host, { name: 'INVITATION' }],
    options: [
      {
        name: 'as',
        value: 'NEWNAME',
        help: 'Call the folder NEWNAME (when you already have one of its name); not a\ndot-name, as dot-folders are private.',
      },
      json('the invitation'),
    ],
    summary: 'Accept an invitation: the folder appears among yours.',
    examples: [
      'labdeck folder accept gpu-lab 3f9c0a12b7de4411',
      'labdeck folder accept gpu-lab 3f9c0a12b7de4411 --as alice-datasets',
    ],
  },
  ...(['reject', 'cancel'] as const).map((verb) => ({
    verb,
    positionals: [host, { name: 'INVITATION' }],
    options: [json('the invitation')],
    summary: {
      reject: 'Reject an invitation to you.',
      cancel: 'Withdraw an invitation you sent; if accepted, their access goes too.',
    }[verb],
    examples: [`labdeck folder ${verb} gpu-lab 3f9c0a12b7de4411`],
  })),
  {
    verb: 'leave',
    positionals: [host, folder],
    summary: 'Leave a folder shared with you; its data and other members stay.',
    examples: ['labdeck folder leave gpu-lab alice-datasets'],
  },
  {
    verb: 'clone',
    positionals: [host, { name: 'SOURCE' }, { name: 'TARGET' }],
    options: [json('the new folder')],
    summary: 'Copy a cloneable folder (or one of yours) into a new folder you own.',
    details:
      'Instant where the filesystem can share blocks (XFS reflink); shows its progress on a\n' +
      'terminal. Ctrl+C cancels it and removes the half-made folder.',
    examples: ['labdeck folder clone gpu-lab template my-project'],
  },
  {
    verb: 'clone-cancel',
    positionals: [host, folder],
    options: [json('whether a clone was stopped')],
    summary: 'Stop the clone into NAME; the half-made folder is removed.',
    details:
      'A folder left "cloning" with no clone filling it (its agent was killed) is removed with\n' +
      'labdeck folder purge HOST NAME.',
    examples: ['labdeck folder clone-cancel gpu-lab my-project'],
  },
  ...(['rm', 'restore', 'purge'] as const).map((verb) => ({
    verb,
    positionals: [host, folder],
    options: [json(verb === 'purge' ? 'the purged id' : 'the folder')],
    summary: {
      rm: 'Move a folder of yours to the trash (not while a running session mounts it).',
      restore: 'Take a folder back out of the trash.',
      purge: 'Delete a trashed folder for good: its files, quota and invitations.',
    }[verb],
    examples: [`labdeck folder ${verb} gpu-lab old-runs`],
  })),
  {
    verb: 'quota',
    positionals: [host, folder, { name: 'SIZE' }],
    options: [json('the folder')],
    summary: 'Set the quota of a folder of yours (0 or none removes it).',
    examples: [
      'labdeck folder quota gpu-lab datasets 1t',
      'labdeck folder quota gpu-lab datasets none',
    ],
  },
];
