import type { CliIo } from '../cli-io';
import type { ParsedArgs } from '../cli-args';
import { DOTFILE_FORMS } from './dotfile-forms';
import { FOLDER_FORMS } from './folder-forms';

/**
 * The CLI's nouns: one entry each, with every form it is typed in, its options, help and
 * examples, and how to load it. `labdeck.ts` reads this table and nothing else, so adding a
 * command is a module under commands/ and one entry here. The same table gives `labdeck --help`,
 * `labdeck help COMMAND` and the check of every word typed before the command's module loads: an
 * option a module parses must be declared here, or it is refused as unknown. Modules load only
 * when their command runs: `labdeck version` and `help` import no ssh2, dockerode or zod.
 */

/** What a command is given to run with. */
export interface CommandContext {
  readonly io: CliIo;
  readonly env: NodeJS.ProcessEnv;
  /** The built renderer (out/renderer) next to this bundle, for `serve`. */
  readonly rendererDir: string;
  /** The words after the command's name, checked against its form in this table. */
  readonly parsed: ParsedArgs;
  /**
   * The LabDeck host the command line names (`host connect gpu-lab`, `gpus gpu-lab`), if any:
   * what a message about connecting to it calls it.
   */
  readonly target?: string;
}

/** A command module: what `load` resolves to. */
export interface CommandModule {
  /** Runs the command with the words after its name; resolves to the exit status. */
  run(args: string[], context: CommandContext): Promise<number>;
}

/** One `--option` of a form. */
export interface OptionSpec {
  readonly name: string;
  /** The placeholder of its value (`PATH`); absent for a flag that takes none. */
  readonly value?: string;
  /** Must be given (`host add … --ssh`). */
  readonly required?: true;
  /** May be given more than once (`--env A=1 --env B=2`); every value is kept, in order. */
  readonly repeatable?: true;
  /** Its line in the help, what it does and its default. */
  readonly help: string;
}

/** One positional word of a form. */
export interface PositionalSpec {
  readonly name: string;
  readonly optional?: true;
  /** The word names a LabDeck host (its name, its id, or "local"). */
  readonly host?: true;
}

/** One way to type a command: `host check NAME [--json]`. */
export interface CommandForm {
  /** The word after the command (`check`); absent for a command that has no sub-commands. */
  readonly verb?: string;
  readonly positionals?: readonly PositionalSpec[];
  readonly options?: readonly OptionSpec[];
  /** One line for `labdeck --help`. */
  readonly summary: string;
  /** More about it for `labdeck help COMMAND`, already wrapped. */
  readonly details?: string;
  readonly examples?: readonly string[];
}

/** One row of the command table. */
export interface CommandEntry {
  readonly name: string;
  /** Other words that run it (`--version`). */
  readonly aliases?: readonly string[];
  /**
   * Every form. With verbs, the word after the name picks one; without, the words are checked
   * against all forms together (`gpus HOST` and `gpus --all`) and the module sorts them out.
   */
  readonly forms: readonly CommandForm[];
  /** Words of other tools that mean one of the verbs, suggested, never run (`list` → `ls`). */
  readonly synonyms?: Readonly<Record<string, string>>;
  readonly load: () => Promise<CommandModule>;
}

const json = (what: string): OptionSpec => ({
  name: 'json',
  help: `Print ${what} as JSON (stable: keys are only ever added).`,
});
const hostName: PositionalSpec = { name: 'NAME', host: true };
const terminalOn: OptionSpec = {
  name: 'host',
  value: 'HOST',
  help: 'The host it runs on (connected if need be); default: every connected host is searched.',
};
const terminalHost: OptionSpec = {
  name: 'host',
  value: 'HOST',
  help: 'With SESSION: look for it on HOST only. Alone: a login shell on HOST\n("local": this computer).',
};

/** Every command, in the order `labdeck help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'host',
    synonyms: {
      list: 'ls',
      remove: 'rm',
      delete: 'rm',
      del: 'rm',
      import: 'import-ssh-config',
      doctor: 'check',
      trust: 'trust-key',
    },
    forms: [
      {
        verb: 'ls',
        options: [json('the hosts')],
        summary: 'List hosts, their connection and Docker state.',
        details:
          'When LabDeck (the desktop app or `labdeck serve`) runs, the states are the ones its\n' +
          'open connections have now.',
        examples: ['labdeck host ls', 'labdeck host ls --json'],
      },
      {
        verb: 'add',
        positionals: [{ name: 'NAME' }],
        options: [
          {
            name: 'ssh',
            value: 'USER@HOST[:PORT]',
            required: true,
            help: 'Who and where: user name, host name or address, port (default 22).\nAn IPv6 address goes in brackets: ada@[fe80::1]:2222.',
          },
          {
            name: 'identity',
            value: 'PATH',
            help: 'Private key file (default: ssh-agent, then ~/.ssh/id_*).',
          },
          {
            name: 'jump',
            value: 'USER@HOST[:PORT],...',
            help: 'Jump hosts, first hop first, as `ssh -J` takes them.',
          },
        ],
        summary: 'Add an SSH host (nothing is sent to it until you connect).',
        details: 'NAME is what you call it in LabDeck: letters, digits, ".", "_" and "-".',
        examples: [
          'labdeck host add gpu-lab --ssh ada@gpu1.lab.example.org',
          'labdeck host add gpu-lab --ssh ada@10.0.0.5:2222 --identity ~/.ssh/id_ed25519',
          'labdeck host add gpu-lab --ssh ada@gpu1 --jump ada@gateway.lab.example.org',
        ],
      },
      {
        verb: 'import-ssh-config',
        options: [
          {
            name: 'file',
            value: 'PATH',
            help: 'Read PATH instead of ~/.ssh/config (in this process only).',
          },
          {
            name: 'dry-run',
            help: 'List each host as it would be added (address, jump hosts, already there?); add nothing.',
          },
          {
            name: 'only',
            value: 'NAME[,NAME…]',
            help: 'Add only these hosts of the file.',
          },
        ],
        summary: 'Add the hosts of ~/.ssh/config; says what it skipped and why.',
        examples: [
          'labdeck host import-ssh-config --dry-run',
          'labdeck host import-ssh-config --only gpu-a,lab-direct',
          'labdeck host import-ssh-config --file ./lab-ssh-config',
        ],
      },
      {
        verb: 'connect',
        positionals: [hostName],
        summary: 'Connect (asks for the host key and credentials as needed).',
        details:
          'Questions are asked on the terminal; a host key is trusted only by typing "yes".\n' +
          'Without a terminal (a script) nothing can be asked and the command fails saying what\n' +
          'it needed. When LabDeck runs, the question appears in its window instead.',
        examples: ['labdeck host connect gpu-lab'],
      },
      {
        verb: 'check',
        positionals: [hostName],
        options: [json('the report')],
        summary: 'Check each step of reaching a host; names the fix for what fails.',
        details: 'Exits 1 when a step fails.',
        examples: ['labdeck host check gpu-lab', 'labdeck host check local --json'],
      },
      {
        verb: 'setup',
        positionals: [hostName],
        options: [
          {
            name: 'volume',
            value: 'NAME=PATH',
            repeatable: true,
            help: 'Declare a storage volume for folders (PATH: an existing directory; XFS with\nprjquota gets quotas). Adds it, or updates the one of that name.',
          },
          { name: 'lab', value: 'NAME', help: "The lab's name (default: kept, or the host name)." },
          { name: 'dry-run', help: 'Print every change setup would make; make none.' },
          { name: 'undo', help: 'Remove what setup installed and restore what it replaced.' },
          {
            name: 'root',
            value: 'DIR',
            help: 'Put every system path under DIR instead of / (for tests).',
          },
          json('the report'),
        ],
        summary: 'Set the host up for LabDeck as root: helper, sudo rule, lab configuration.',
        details:
          'Runs once per host, as root: asks for your sudo password on the host (never kept).\n' +
          'Installs the agent under /opt/labdeck/agent/VERSION, writes /etc/labdeck/config.json\n' +
          '(merged, the previous one kept as config.json.bak), makes /var/lib/labdeck and\n' +
          '/var/log/labdeck, the labdeck group and /etc/sudoers.d/labdeck (checked by visudo).\n' +
          'Checks Docker, the NVIDIA container toolkit and each volume, and prints the command\n' +
          'that fixes what is missing; it installs nothing from the internet. A second run\n' +
          'changes nothing and says so. Exits 1 when setup fails (nothing is left half-done).',
        examples: [
          'labdeck host setup gpu-lab --volume scratch=/data/scratch --lab vision-lab',
          'labdeck host setup gpu-lab --dry-run',
          'labdeck host setup gpu-lab --undo',
        ],
      },
      {
        verb: 'trust-key',
        positionals: [hostName],
        options: [
          {
            name: 'fingerprint',
            value: 'SHA256:...',
            required: true,
            help: "The new key's fingerprint, as the server's administrator confirmed it.",
          },
        ],
        summary: 'After a host key CHANGED: record the new one, once verified.',
        details:
          'The key is recorded only if the server presents exactly this fingerprint. Ask the\n' +
          'administrator to run `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on the server.',
        examples: [
          'labdeck host trust-key gpu-lab --fingerprint SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8',
        ],
      },
      {
        verb: 'rm',
        positionals: [hostName],
        summary: 'Disconnect and forget a host.',
        examples: ['labdeck host rm gpu-lab'],
      },
    ],
    load: () => import('./host'),
  },
  {
    name: 'gpus',
    forms: [
      {
        positionals: [{ name: 'HOST', host: true }],
        options: [
          json('the GPUs'),
          {
            name: 'watch',
            help: 'Keep showing live utilization, memory, temperature and power (1 Hz) until\nCtrl+C; with --json, one JSON object per tick and line.',
          },
        ],
        summary: 'GPUs of a host ("local": this computer) and who uses them.',
        examples: [
          'labdeck gpus gpu-lab',
          'labdeck gpus local --json',
          'labdeck gpus gpu-lab --watch',
        ],
      },
      {
        options: [
          { name: 'all', required: true, help: 'Every GPU of every connected host, one row each.' },
          json('the GPUs'),
          { name: 'watch', help: 'Keep the table live (1 Hz) until Ctrl+C.' },
        ],
        summary: 'Every GPU of every connected host: which one is free?',
        examples: ['labdeck gpus --all', 'labdeck gpus --all --watch'],
      },
    ],
    load: () => import('./gpus'),
  },
  {
    name: 'session',
    synonyms: {
      list: 'ls',
      run: 'start',
      create: 'start',
      new: 'start',
      remove: 'rm',
      delete: 'rm',
      kill: 'stop',
      log: 'logs',
      'port-forward': 'forward',
      tunnel: 'forward',
    },
    forms: [
      {
        verb: 'start',
        positionals: [{ name: 'HOST', host: true }],
        options: [
          {
            name: 'image',
            value: 'IMAGE',
            required: true,
            help: 'The image to run, as the host has it (`labdeck session images HOST`).',
          },
          {
            name: 'gpus',
            value: 'AMOUNT',
            help: 'GPU shares: 0.5, 1, 1.5, 4 … spread evenly over the GPUs (default 0: none).',
          },
          { name: 'cpus', value: 'N', help: 'CPU limit, e.g. 4 or 0.5 (default: no limit).' },
          {
            name: 'memory',
            value: 'SIZE',
            help: 'Memory limit, e.g. 16g or 512m (default: no limit).',
          },
          {
            name: 'shm',
            value: 'SIZE',
            help: 'Size of /dev/shm, e.g. 8g (PyTorch data loaders need more than the 64m default).',
          },
          {
            name: 'env',
            value: 'K=V',
            repeatable: true,
            help: 'An environment variable; give it once per variable.',
          },
          {
            name: 'port',
            value: 'NAME:PROTOCOL:PORT',
            repeatable: true,
            help: 'A service the session offers (protocol http, tcp, preopen, vnc or rdp);\nonce per service. Default: the ports the image declares.',
          },
          {
            name: 'command',
            value: 'CMD',
            help: "Run `/bin/sh -c CMD` in the container instead of the image's command.",
          },
          { name: 'name', value: 'NAME', help: 'What to call it (default: from the image).' },
          {
            name: 'mount',
            value: 'FOLDER[:ro]',
            repeatable: true,
            help: 'Mount a folder of yours (`labdeck folder ls HOST`) at /home/work/FOLDER,\nread-only with :ro; once per folder. Your dot-folders (.local) are always mounted.',
          },
          {
            name: 'group',
            value: 'NAME',
            help: "The Unix group whose dotfiles it gets, besides yours and the lab's (default:\nyour primary group; you must be in it). See `labdeck dotfile preview HOST`.",
          },
          json('the session, with what became of its dotfiles,'),
        ],
        summary: 'Start a session: a container with GPU shares and service ports.',
        details:
          'The GPU shares are allocated evenly under a host-wide lease, so two laptops never\n' +
          'book the same GPU. Without --command and without ports declared by the image, the\n' +
          'container runs a keep-alive, so a plain image (ubuntu, pytorch) gives a session to open\n' +
          "terminals in. Ports are published on the host's 127.0.0.1 only; reach them with\n" +
          '`labdeck session forward`.\n\n' +
          "Your dotfiles, the group's and the lab's (`labdeck dotfile preview HOST`) are\n" +
          'written into the container before it starts: home files into its HOME, owned by\n' +
          'its user, system files into /etc, owned by root. A file that would land in a folder\n' +
          'mounted from the host is skipped, and the start says which and why.',
        examples: [
          'labdeck session start gpu-lab --image pytorch/pytorch:latest --gpus 1.5',
          'labdeck session start gpu-lab --image jupyter/base-notebook --gpus 0.5 --port jupyter:http:8888',
          'labdeck session start local --image ubuntu:24.04 --env WANDB_MODE=offline --name scratch',
          'labdeck session start gpu-lab --image pytorch/pytorch:latest --mount datasets:ro --mount code',
          'labdeck session start gpu-lab --image ubuntu:24.04 --group vision',
        ],
      },
      {
        verb: 'ls',
        positionals: [{ name: 'HOST', host: true, optional: true }],
        options: [json('the sessions')],
        summary: "List sessions (yours and others', read-only) of a host or every connected host.",
        examples: ['labdeck session ls', 'labdeck session ls gpu-lab --json'],
      },
      {
        verb: 'logs',
        positionals: [{ name: 'SESSION' }],
        options: [
          { name: 'follow', help: 'Keep printing what it writes until Ctrl+C.' },
          { name: 'host', value: 'HOST', help: 'Look for SESSION on HOST only.' },
        ],
        summary: "Print a session's output (the last 2,000 lines).",
        examples: ['labdeck session logs train --follow'],
      },
      {
        verb: 'forward',
        positionals: [{ name: 'SESSION' }, { name: 'NAME' }],
        options: [
          {
            name: 'local-port',
            value: 'PORT',
            help: 'Port on this computer (default: a free one).',
          },
          { name: 'host', value: 'HOST', help: 'Look for SESSION on HOST only.' },
        ],
        summary: 'Forward service NAME to this computer until Ctrl+C, like ssh -L.',
        details: 'Prints the local address (http://127.0.0.1:PORT/ for an http service).',
        examples: [
          'labdeck session forward train jupyter',
          'labdeck session forward train tb --local-port 6006',
        ],
      },
      ...(['stop', 'restart', 'rm'] as const).map((verb) => ({
        verb,
        positionals: [{ name: 'SESSION' }],
        options: [
          { name: 'host', value: 'HOST', help: 'Look for SESSION on HOST only.' },
          json('the session'),
        ],
        summary: {
          stop: 'Stop a session of yours (its GPU shares are free while it is stopped).',
          restart: 'Restart a session of yours (its GPU shares must still be free).',
          rm: 'Stop and remove a session of yours.',
        }[verb],
        examples: [`labdeck session ${verb} train`],
      })),
      {
        verb: 'images',
        positionals: [{ name: 'HOST', host: true }],
        options: [json('the images')],
        summary: 'List the images a host has, with the service ports each declares.',
        examples: ['labdeck session images gpu-lab'],
      },
      {
        verb: 'pull',
        positionals: [{ name: 'HOST', host: true }, { name: 'IMAGE' }],
        options: [json('the progress, one line per update,')],
        summary: 'Pull an image onto a host from its registry, showing progress.',
        details:
          "The host's Docker engine pulls it, so the host must reach the registry. LabDeck sends\n" +
          'no registry credentials: for a private image run `docker login` on the host first.\n' +
          'Ctrl+C stops the pull.',
        examples: [
          'labdeck session pull gpu-lab pytorch/pytorch:latest',
          'labdeck session pull local ghcr.io/lab/train:1.2 --json',
        ],
      },
    ],
    load: () => import('./session'),
  },
  {
    name: 'folder',
    synonyms: {
      list: 'ls',
      new: 'create',
      mkdir: 'create',
      share: 'invite',
      inbox: 'invitations',
      delete: 'rm',
      remove: 'rm',
      trash: 'rm',
      copy: 'clone',
      cp: 'clone',
      undelete: 'restore',
    },
    forms: FOLDER_FORMS,
    load: () => import('./folder'),
  },
  {
    name: 'dotfile',
    synonyms: {
      list: 'ls',
      cat: 'show',
      get: 'show',
      put: 'set',
      edit: 'set',
      add: 'set',
      remove: 'rm',
      delete: 'rm',
      del: 'rm',
    },
    forms: DOTFILE_FORMS,
    load: () => import('./dotfile'),
  },
  {
    name: 'terminal',
    synonyms: { list: 'ls', join: 'attach', kill: 'close', rm: 'close', exit: 'close' },
    forms: [
      {
        positionals: [{ name: 'SESSION' }],
        options: [terminalHost],
        summary: 'Open a terminal in a session (a shell in its container) and attach to it.',
        details:
          'Attaches in raw mode, as ssh does. Type ~. at the start of a line to detach: the\n' +
          'terminal keeps running on the host (`labdeck terminal attach ID` joins it again);\n' +
          '~~ sends one ~. After a dropped connection it reattaches by itself and shows what it\n' +
          "missed. When the terminal's process exits, so does this command, with its exit code.\n" +
          'Without a terminal on stdin (a pipe), its bytes go through as they are and its end\n' +
          'detaches once the output has been quiet for a moment.',
        examples: ['labdeck terminal train', 'labdeck terminal train --host gpu-lab'],
      },
      {
        options: [{ ...terminalHost, required: true }],
        summary: 'Open a terminal on a host (a login shell) and attach to it.',
        examples: [
          'labdeck terminal --host gpu-lab',
          "echo 'nvidia-smi; exit' | labdeck terminal --host gpu-lab",
        ],
      },
      {
        verb: 'attach',
        positionals: [{ name: 'ID' }],
        options: [terminalOn],
        summary: 'Attach to a running terminal: its recent output is shown again first.',
        details:
          'ID is what `labdeck terminal ls` lists. Several windows and commands can watch and\n' +
          'type into one terminal at once. Type ~. at the start of a line to detach.',
        examples: ['labdeck terminal attach 3f9c0a12b7de'],
      },
      {
        verb: 'ls',
        options: [json('the terminals')],
        summary: 'List the live (and recently ended) terminals of every connected host.',
        details: 'Exits 1 when a connected host did not answer; it is named on stderr.',
        examples: ['labdeck terminal ls', 'labdeck terminal ls --json'],
      },
      {
        verb: 'close',
        positionals: [{ name: 'ID' }],
        options: [terminalOn],
        summary: 'End a terminal: its process is hung up and its output dropped.',
        examples: ['labdeck terminal close 3f9c0a12b7de'],
      },
    ],
    load: () => import('./terminal'),
  },
  {
    name: 'serve',
    forms: [
      {
        options: [
          {
            name: 'port',
            value: 'N',
            help: 'Port to listen on (default: settings serve.port, 4780; 0 = any free port).',
          },
          {
            name: 'host',
            value: 'ADDRESS',
            help: 'Address to bind (default 127.0.0.1). A non-loopback address is allowed only\nwhen given here; anyone who can reach it and has the token gets in.',
          },
        ],
        summary: 'Open LabDeck in a browser (browser mode).',
        details:
          'Prints a URL ending in #token=…: the key of this run. The tab keeps the token to itself\n' +
          '(no cookie), so open the printed URL again for a new tab or window.',
        examples: ['labdeck serve', 'labdeck serve --port 0'],
      },
    ],
    load: () => import('./serve'),
  },
  {
    name: 'version',
    aliases: ['--version'],
    forms: [
      {
        options: [json('the version')],
        summary: "Print LabDeck's version.",
        examples: ['labdeck version --json'],
      },
    ],
    load: () => import('./version'),
  },
];

/** The command named (or aliased) `word`, if any. */
export function findCommand(word: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === word || c.aliases?.includes(word));
}
