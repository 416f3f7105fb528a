import type { CommandForm, OptionSpec, PositionalSpec } from './command-table';

/**
 * The forms of `labdeck dotfile …` (issue 13) for the command table: kept beside the table, not
 * in the command's module, so `labdeck help dotfile` and the check of every word load nothing of
 * the dotfile code. Imports only types, so the table can import it without a cycle.
 */

const host: PositionalSpec = { name: 'HOST', host: true };
const path: PositionalSpec = { name: 'PATH' };
const json = (what: string): OptionSpec => ({
  name: 'json',
  help: `Print ${what} as JSON (stable: keys are only ever added).`,
});
const scope = (otherwise: string): OptionSpec => ({
  name: 'scope',
  value: 'user|group:NAME|domain',
  help: `The level: yours, a Unix group's or the lab's;\n${otherwise}.`,
});
const PATH_RULE =
  'PATH: relative to the home directory (.bashrc, .config/git/config), or at group and\n' +
  'domain level one of the system files /etc/bash.bashrc, /etc/profile,\n' +
  '/etc/profile.d/NAME.sh, /etc/vim/vimrc.local, /etc/gitconfig, /etc/tmux.conf,\n' +
  "/etc/inputrc and those the host's configuration adds. Never in .ssh, .labdeck or\n" +
  '.terminfo, nor .jupyter, .local or .config themselves. Shown as ~/PATH for home files.';

/** Every form of `labdeck dotfile`. */
export const DOTFILE_FORMS: readonly CommandForm[] = [
  {
    verb: 'ls',
    positionals: [host],
    options: [scope('default: every level that applies to you'), json('the dotfiles')],
    summary: "List dotfiles on a host: yours, your groups' and the lab's, or one level's.",
    examples: [
      'labdeck dotfile ls gpu-lab',
      'labdeck dotfile ls gpu-lab --scope group:vision --json',
    ],
  },
  {
    verb: 'show',
    positionals: [host, path],
    options: [scope('default user')],
    summary: 'Print the text of one dotfile, exactly as kept (for scripts).',
    examples: [
      'labdeck dotfile show gpu-lab .bashrc',
      'labdeck dotfile show gpu-lab /etc/bash.bashrc --scope domain > bash.bashrc',
    ],
  },
  {
    verb: 'set',
    positionals: [host, path],
    options: [
      {
        name: 'file',
        value: 'LOCAL',
        required: true,
        help: 'The file on this computer whose text it gets:\nUTF-8 text, no NUL, at most 65,536 bytes.',
      },
      scope('default user'),
      {
        name: 'mode',
        value: 'MODE',
        help: 'Its mode in sessions, three octal digits (default 644).',
      },
    ],
    summary: 'Set a dotfile from a local file; every session started after it gets it.',
    details:
      `${PATH_RULE}\n` +
      'Group and domain levels need host setup and their admin (groupAdmins, labAdmins in\n' +
      "/etc/labdeck/config.json). It replaces the file if there is one: only the window's\n" +
      'editor checks that nobody changed it since you opened it. Each owner keeps at most 100\n' +
      'files and 256 KiB in all. PATH, --mode and the file are checked before anything\n' +
      "connects (a system file only the host's configuration allows, with the host first): a\n" +
      'mistake exits 2 and writes nothing.',
    examples: [
      'labdeck dotfile set gpu-lab .bashrc --file ~/.bashrc',
      'labdeck dotfile set gpu-lab bin/run.sh --file ./run.sh --mode 755',
      'labdeck dotfile set gpu-lab /etc/profile.d/lab.sh --file lab.sh --scope group:vision',
    ],
  },
  {
    verb: 'rm',
    positionals: [host, path],
    options: [scope('default user')],
    summary: 'Remove a dotfile from a level; sessions started after it no longer get it.',
    examples: [
      'labdeck dotfile rm gpu-lab .vimrc',
      'labdeck dotfile rm gpu-lab /etc/bash.bashrc --scope domain',
    ],
  },
  {
    verb: 'preview',
    positionals: [host],
    options: [
      {
        name: 'group',
        value: 'NAME',
        help: 'The group whose dotfiles apply, as with `session start --group` (default:\nyour primary group; you must be in it).',
      },
      json('the merged set'),
    ],
    summary: 'What a new session gets: the merged set, each file from the level that wins.',
    details: 'For the same path, user wins over group, and group over domain (the lab).',
    examples: [
      'labdeck dotfile preview gpu-lab',
      'labdeck dotfile preview gpu-lab --group vision --json',
    ],
  },
];
