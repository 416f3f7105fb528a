import type { CliIo } from '../cli-io';

/**
 * The CLI's nouns: one entry each, with its help and how to load it. `labdeck.ts` reads this table
 * and nothing else, so adding a command is a module under commands/ and one entry here. Modules
 * load only when their command runs: `labdeck version` and `help` import no ssh2, dockerode or
 * zod (the services come in with the command that needs them).
 */

/** What a command is given to run with. */
export interface CommandContext {
  readonly io: CliIo;
  readonly env: NodeJS.ProcessEnv;
  /** The built renderer (out/renderer) next to this bundle, for `serve`. */
  readonly rendererDir: string;
}

/** A command module: what `load` resolves to. */
export interface CommandModule {
  /** Runs the command with the words after its name; resolves to the exit status. */
  run(args: string[], context: CommandContext): Promise<number>;
}

/** One row of the command table. */
export interface CommandEntry {
  readonly name: string;
  /** Other words that run it (`--version`). */
  readonly aliases?: readonly string[];
  /** Its lines in `labdeck help`, already indented and aligned. */
  readonly synopsis: string;
  /** Its own help: `labdeck help NAME`, `labdeck NAME --help`, and after a usage error. */
  readonly usage: string;
  readonly load: () => Promise<CommandModule>;
}

/** Every command, in the order `labdeck help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'host',
    synopsis: `  host ls [--json]               List hosts, their connection and Docker state.
  host add NAME --ssh USER@HOST[:PORT] [--identity PATH] [--jump HOPS]
  host import-ssh-config [--file PATH]
  host connect NAME | host check NAME | host rm NAME`,
    usage: `Usage: labdeck host <command>

  ls [--json]                         List hosts, their connection and Docker state.
  add NAME --ssh USER@HOST[:PORT] [--identity PATH] [--jump USER@HOST[:PORT],...]
                                      Add an SSH host (nothing is sent until you connect).
  import-ssh-config [--file PATH]     Add the hosts of ~/.ssh/config; says what it skipped and why.
  connect NAME                        Connect (asks for the host key and credentials as needed).
  check NAME [--json]                 Check each step of reaching NAME ("local" for this computer)
                                      and print the command that fixes what fails.
  trust-key NAME --fingerprint SHA256:…
                                      After a host key CHANGED: record the new key, but only if the
                                      server presents exactly the fingerprint you verified.
  rm NAME                             Forget a host.
`,
    load: () => import('./host'),
  },
  {
    name: 'gpus',
    synopsis: `  gpus HOST [--json] [--watch]   GPUs of a host ("local" for this computer) and who uses them.`,
    usage: `Usage: labdeck gpus HOST [--json] [--watch]

  Lists the GPUs of HOST ("local" for this computer): memory, utilization, temperature, power,
  MIG mode and the processes using each, with their container and user.
  --json   Print a JSON array (stable format, see README "CLI").
  --watch  Keep showing live utilization, memory, temperature and power (1 Hz) until Ctrl+C;
           with --json, one JSON object per tick and line: {"hostId","at","gpus":[…]}.
`,
    load: () => import('./gpus'),
  },
  {
    name: 'serve',
    synopsis: `  serve [--port N] [--host A]    Open LabDeck in a browser (browser mode).`,
    usage: `Usage: labdeck serve [--port N] [--host ADDRESS]

  Serves the LabDeck window to a browser on this computer and prints its URL, which ends in
  #token=… : the key of this run. The tab keeps the token to itself (no cookie), so open the
  printed URL again for a new tab or window.
  --port N        Port to listen on (default: settings serve.port, 4780; 0 = any free port).
  --host ADDRESS  Address to bind (default 127.0.0.1). A non-loopback address is allowed only
                  when given here explicitly; anyone who can reach it and has the token gets in.
`,
    load: () => import('./serve'),
  },
  {
    name: 'version',
    aliases: ['--version'],
    synopsis: `  version [--json]               Print LabDeck's version.`,
    usage: `Usage: labdeck version [--json]

  Prints LabDeck's version; with --json, {"version":"…"}.
`,
    load: () => import('./version'),
  },
];

/** The command named (or aliased) `word`, if any. */
export function findCommand(word: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === word || c.aliases?.includes(word));
}
