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

export { parseJumpSpec, type JumpHop } from './jump-spec';

/**
 * Imports hosts from an OpenSSH client config (`~/.ssh/config`). What it resolves agrees with
 * `ssh -G <alias>`; what it cannot use is reported per host rather than silently dropped.
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
  readonly jump: readonly JumpHop[];
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

/** Thrown inside resolution for a reason that keeps a host from being imported. */
class NotImported extends Error {}

/**
 * Reads an ssh_config file and resolves every concrete `Host` alias in it. A missing file gives
 * an empty import. `Match` blocks are skipped and reported (except `Match all`).
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
    for (const u of settings.unsupported)
      notes.push(`${u.source}: ${u.value} is ignored: ${u.message}`);
    const command = settings.proxyCommand;
    if (command && command.value.toLowerCase() !== 'none') {
      notes.push(
        `${command.source}: ProxyCommand is not supported (LabDeck connects directly or through ProxyJump); imported without it`,
      );
    }
    const { identityFile, ...endpoint } = this.#endpoint(alias, settings, {}, notes);
    const jump = this.#jumps(settings.proxyJump, [alias]);
    return { name: alias, ...endpoint, ...(identityFile ? { identityFile } : {}), jump };
  }

  #settingsOf(alias: string): HostSettings {
    let settings = this.#settings.get(alias);
    if (!settings)
      this.#settings.set(alias, (settings = settingsFor(this.items, alias, this.home)));
    return settings;
  }

  /** Host name, user, port and keys of `alias`; `given` values (from a jump spec) win. */
  #endpoint(
    alias: string,
    s: HostSettings,
    given: { user?: string; port?: number },
    notes: string[],
  ) {
    const hostname = expandHostName(s.hostname, alias);
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
  #jumps(spec: Setting | undefined, path: readonly string[]): JumpHop[] {
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
      const settings = this.#settingsOf(hop.host);
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
        before = this.#jumps(settings.proxyJump, [...path, hop.host]);
      }
      return [...before, this.#endpoint(hop.host, settings, hop, [])];
    });
  }
}

function parsePort(value: string, source: string): number {
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (port >= 1 && port <= MAX_PORT) return port;
  throw new NotImported(`${source}: Port "${value}" is not a number from 1 to ${MAX_PORT}`);
}

/** HostName knows only %h (the alias) and %%, as in ssh.c; the result is lowercased like ssh's. */
function expandHostName(setting: Setting | undefined, alias: string): string {
  if (!setting) return alias.toLowerCase();
  try {
    return expandTokens(setting, { h: alias, '%': '%' }).toLowerCase();
  } catch (error) {
    throw new NotImported(
      `${setting.source}: HostName ${setting.value}: ${(error as Error).message}`,
    );
  }
}

function expandTilde(setting: Setting, home: string): Setting {
  const { value } = setting;
  if (value === '~' || value.startsWith('~/')) return { ...setting, value: home + value.slice(1) };
  if (value.startsWith('~')) throw new NotImported(`another user's ~ is not supported`);
  return setting;
}

/** Expands `%x` tokens; an unknown one (or `${VAR}`) is an error naming it. */
function expandTokens(setting: Setting, tokens: Readonly<Record<string, string>>): string {
  if (setting.value.includes('${')) throw new NotImported('${VARIABLE} expansion is not supported');
  return setting.value.replace(/%(.?)/gs, (whole, key: string) => {
    const value = tokens[key];
    if (value === undefined) throw new NotImported(`LabDeck cannot expand "${whole}"`);
    return value;
  });
}
