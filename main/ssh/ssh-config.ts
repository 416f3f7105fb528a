import { readFile as readFileFromDisk } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { AppFailure } from '../../common/contract/result';
import { DEFAULT_PORT, MAX_PORT, parseHops, type JumpHop, type ParsedHop } from './jump-spec';
import { readConfigFile, type ConfigItem } from './ssh-config-read';
import {
  concreteAliases,
  settingsFor,
  type HostSettings,
  type Setting,
} from './ssh-config-settings';
import { NotImported, expandTilde, expandTokens } from './ssh-config-tokens';

export { parseJumpSpec, type JumpHop } from './jump-spec';

/**
 * Imports hosts from an OpenSSH client config (`~/.ssh/config`). What it resolves agrees with
 * `ssh -G <alias>`, Match blocks included; what it cannot use is reported per host rather than
 * silently dropped.
 */

/** How many jump hosts' own ProxyJump settings are followed before calling it a loop. */
const MAX_JUMP_NESTING = 8;

/** A `Host` alias from the config, resolved as ssh would resolve it. */
export interface ImportedHost {
  /** The alias as written after `Host`. */
  readonly name: string;
  /** Lowercased, as ssh uses it. */
  readonly hostname: string;
  readonly user?: string;
  readonly port: number;
  /** With `~` and the %d %u %h %r %p %n %% tokens expanded. */
  readonly identityFile?: readonly string[];
  readonly identitiesOnly?: boolean;
  /** Every hop ssh goes through, first hop first: a first hop's own ProxyJump comes before it. */
  readonly jump: readonly JumpHop[];
  /** The ProxyJump value that applies, as written (never `none`). */
  readonly proxyJump?: string;
}

/** Something the import could not use; `host` is empty for lines that concern no one host. */
export interface SshConfigProblem {
  readonly host: string;
  readonly message: string;
}

/** The outcome of {@link parseSshConfig}. */
export interface SshConfigImport {
  readonly hosts: readonly ImportedHost[];
  readonly problems: readonly SshConfigProblem[];
}

/** Where to read from; `localUser` and `readFile` default to the current user and the disk. */
export interface SshConfigOptions {
  readonly home: string;
  readonly localUser?: string;
  readonly readFile?: (path: string) => Promise<string>;
}

/**
 * Reads an ssh_config file and resolves every concrete `Host` alias in it. A missing file gives
 * an empty import. A `Match` block LabDeck cannot decide (`exec`) is left out and reported for
 * each host it would affect.
 */
export async function parseSshConfig(
  path: string,
  options: SshConfigOptions,
): Promise<SshConfigImport> {
  const problems: SshConfigProblem[] = [];
  const items = await readConfigFile(path, {
    home: options.home,
    readFile: options.readFile ?? ((file) => readFileFromDisk(file, 'utf8')),
    report: (source, message) => problems.push({ host: '', message: `${source}: ${message}` }),
  }).catch((error: unknown) => {
    throw new AppFailure({
      code: 'ssh-config-unreadable',
      message: `LabDeck could not read ${path}: ${(error as Error).message}`,
      hint: `Make the file readable by you (\`chmod u+r ${path}\`), then import again.`,
    });
  });
  if (!items) return { hosts: [], problems };
  const resolver = new Resolver(items, options.home, options.localUser ?? userInfo().username);
  const hosts: ImportedHost[] = [];
  for (const alias of concreteAliases(items)) {
    const notes: string[] = [];
    try {
      hosts.push(resolver.host(alias, notes));
    } catch (error) {
      if (!(error instanceof NotImported)) throw error;
      notes.push(`not imported: ${error.message}`);
    }
    problems.push(...notes.map((message) => ({ host: alias, message })));
  }
  return { hosts, problems };
}

class Resolver {
  readonly #settings = new Map<string, HostSettings>();

  constructor(
    private readonly items: readonly ConfigItem[],
    private readonly home: string,
    private readonly localUser: string,
  ) {}

  host(alias: string, notes: string[]): ImportedHost {
    const settings = this.#settingsOf(alias);
    notes.push(...settings.notes);
    for (const u of settings.unsupported)
      notes.push(`${u.source}: ${u.value} is ignored: ${u.message}`);
    const command = settings.proxyCommand;
    if (command && command.value.toLowerCase() !== 'none') {
      notes.push(
        `${command.source}: ProxyCommand is not supported (LabDeck connects directly or through ProxyJump); imported without it`,
      );
    }
    const { identityFile, ...endpoint } = this.#endpoint(alias, settings, {}, notes);
    const jump = this.#jumps(settings.proxyJump, [alias], notes);
    const proxyJump = settings.proxyJump?.value;
    return {
      name: alias,
      ...endpoint,
      ...(identityFile ? { identityFile } : {}),
      jump,
      ...(proxyJump && proxyJump.toLowerCase() !== 'none' ? { proxyJump } : {}),
    };
  }

  /** The settings of `alias` as ssh reads them, with `-l user` when a jump spec names one. */
  #settingsOf(alias: string, user?: string): HostSettings {
    const key = `${alias}\0${user ?? ''}`;
    let settings = this.#settings.get(key);
    if (!settings) {
      settings = settingsFor(this.items, {
        alias,
        ...(user !== undefined ? { user } : {}),
        localUser: this.localUser,
        home: this.home,
      });
      this.#settings.set(key, settings);
    }
    return settings;
  }

  /** Host name, user, port and keys of `alias`; `given` values (from a jump spec) win. */
  #endpoint(
    alias: string,
    s: HostSettings,
    given: { user?: string; port?: number },
    notes: string[],
  ) {
    const { hostname } = s;
    const user = given.user ?? s.user?.value;
    const port = given.port ?? (s.port ? parsePort(s.port.value, s.port.source) : DEFAULT_PORT);
    const r = user ?? this.localUser;
    const tokens = {
      d: this.home,
      u: this.localUser,
      h: hostname,
      n: alias,
      r,
      p: `${port}`,
      '%': '%',
    };
    const identityFile = s.identityFiles.flatMap((file) => {
      try {
        return [this.#keyPath(expandTokens(expandTilde(file, this.home), tokens))];
      } catch (error) {
        if (!(error instanceof NotImported)) throw error;
        notes.push(`${file.source}: IdentityFile ${file.value} is skipped: ${error.message}`);
        return [];
      }
    });
    const only = s.identitiesOnly?.value.toLowerCase();
    return {
      hostname,
      ...(user !== undefined ? { user } : {}),
      port,
      ...(identityFile.length > 0 ? { identityFile } : {}),
      ...(only !== undefined ? { identitiesOnly: only === 'yes' || only === 'true' } : {}),
    };
  }

  /** A relative key path is taken from the home folder, where ssh is usually started. */
  #keyPath(path: string): string {
    return isAbsolute(path) ? path : join(this.home, path);
  }

  /** Resolves a ProxyJump value; `path` holds the aliases being resolved, to catch loops. */
  #jumps(spec: Setting | undefined, path: readonly string[], notes: string[]): JumpHop[] {
    if (!spec || spec.value.toLowerCase() === 'none') return [];
    if (path.length > MAX_JUMP_NESTING)
      throw new NotImported(`ProxyJump nests too deep: ${path.join(' → ')}`);
    let hops: ParsedHop[];
    try {
      hops = parseHops(spec.value);
    } catch (error) {
      throw new NotImported(`${spec.source}: ${(error as Error).message}`);
    }
    return hops.flatMap((hop, index) => {
      const settings = this.#settingsOf(hop.host, hop.user);
      const hopNotes = settings.notes.map((note) => `jump host ${hop.host}: ${note}`);
      for (const note of hopNotes) if (!notes.includes(note)) notes.push(note);
      const command = settings.proxyCommand;
      if (index === 0 && command && command.value.toLowerCase() !== 'none') {
        throw new NotImported(
          `jump host ${hop.host} uses ProxyCommand (${command.source}), which LabDeck does not support`,
        );
      }
      // ssh reaches hop 1 with `ssh -J hop0 hop1`, so only the first hop's own ProxyJump counts.
      let before: JumpHop[] = [];
      if (index === 0 && settings.proxyJump && settings.proxyJump.value.toLowerCase() !== 'none') {
        if (path.includes(hop.host))
          throw new NotImported(`ProxyJump loops: ${[...path, hop.host].join(' → ')}`);
        before = this.#jumps(settings.proxyJump, [...path, hop.host], notes);
      }
      const endpoint = this.#endpoint(hop.host, settings, hop, []);
      return [...before, { alias: hop.host, ...endpoint }];
    });
  }
}

function parsePort(value: string, source: string): number {
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (port >= 1 && port <= MAX_PORT) return port;
  throw new NotImported(`${source}: Port "${value}" is not a number from 1 to ${MAX_PORT}`);
}
