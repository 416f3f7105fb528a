import { join } from 'node:path';
import { knownSshConfigKeyword } from './ssh-config-keywords';
import {
  evaluateMatch,
  undecidedNote,
  wantsFinalPass,
  type MatchContext,
} from './ssh-config-match';
import type { ConfigItem, ConfigLine, ConfigMatch } from './ssh-config-read';
import { canonicalCase, expandHostName } from './ssh-config-tokens';
import { isPattern, matchPatternList } from './ssh-pattern';

/**
 * The settings ssh_config gives one host alias, with OpenSSH's rules (readconf.c and ssh.c):
 * every `Host` block whose patterns select the alias and every `Match` block whose criteria hold
 * applies, in file order, `Host *` included; for each keyword the first value wins, except
 * IdentityFile, which accumulates. When a `Match final` line exists or CanonicalizeHostname is
 * on, the file is read a second time against the resolved host name, as ssh does.
 */

/** One value and the `file:line` it came from. */
export interface Setting {
  readonly value: string;
  readonly source: string;
}

/** A setting that matters for connecting but that LabDeck cannot honour. */
export interface UnsupportedSetting extends Setting {
  readonly message: string;
}

/** Whom the settings are for: an alias as typed, and what ssh was given on its command line. */
export interface SettingsTarget {
  readonly alias: string;
  /** `-l USER`, as ssh is given when it reaches a jump host: `Match user` sees it. */
  readonly user?: string;
  /** The user LabDeck runs as: `Match localuser`, and `Match user` when no User is set. */
  readonly localUser: string;
  /** Only tells default file locations apart. */
  readonly home: string;
}

/** What the config says about one alias, before tokens and jump hosts are resolved. */
export interface HostSettings {
  /** What ssh connects to: HostName with %h expanded (or the alias), lowercased unless an address. */
  readonly hostname: string;
  readonly user?: Setting;
  readonly port?: Setting;
  readonly identitiesOnly?: Setting;
  readonly identityFiles: readonly Setting[];
  /** As written, `none` included. */
  readonly proxyJump?: Setting;
  /** Absent when a ProxyJump came first: OpenSSH then ignores any later ProxyCommand. */
  readonly proxyCommand?: Setting;
  readonly unsupported: readonly UnsupportedSetting[];
  /** Whole sentences about this host: Match blocks LabDeck could not decide, DNS canonicalization. */
  readonly notes: readonly string[];
}

const DEFAULT_AGENT = new Set(['SSH_AUTH_SOCK', '$SSH_AUTH_SOCK']);
const DEFAULT_KNOWN_HOSTS = ['~/.ssh/known_hosts', '~/.ssh/known_hosts2'];
const KNOWN_HOSTS_NOTE = 'LabDeck checks host keys against ~/.ssh/known_hosts and its own list';

/**
 * The short list of settings worth a warning on import: each changes how the connection is
 * made or verified. Forwardings, multiplexing, environment and the like are left out on purpose:
 * they do not stop a connection, so warning about them would be noise.
 */
const UNSUPPORTED: Readonly<
  Record<string, { applies: (args: readonly string[], home: string) => boolean; why: string }>
> = {
  certificatefile: { applies: () => true, why: 'certificates are not offered, only plain keys' },
  pkcs11provider: {
    applies: ([value]) => value !== 'none',
    why: 'smart-card keys are used only through ssh-agent',
  },
  hostkeyalias: {
    applies: () => true,
    why: 'LabDeck checks the host key under the real host name and port',
  },
  userknownhostsfile: {
    applies: (args, home) =>
      !args.every((a) => DEFAULT_KNOWN_HOSTS.some((d) => a === d || a === join(home, d.slice(1)))),
    why: `${KNOWN_HOSTS_NOTE}, not this file`,
  },
  knownhostscommand: { applies: () => true, why: KNOWN_HOSTS_NOTE },
  identityagent: {
    applies: ([value]) => !DEFAULT_AGENT.has(value ?? ''),
    why: 'LabDeck uses the agent named by SSH_AUTH_SOCK',
  },
};

/** The aliases a user can connect to by name: every `Host` argument without wildcards. */
export function concreteAliases(items: readonly ConfigItem[]): string[] {
  const aliases = new Set<string>();
  const visit = (list: readonly ConfigItem[]): void => {
    for (const item of list) {
      if (item.kind === 'include') item.files.forEach(visit);
      else if (item.kind === 'line' && item.keyword === 'host')
        item.args.filter((a) => !isPattern(a)).forEach((a) => aliases.add(a));
    }
  };
  visit(items);
  return [...aliases];
}

/** Collects the settings ssh would use for `target`, reading the file once or twice as ssh does. */
export function settingsFor(items: readonly ConfigItem[], target: SettingsTarget): HostSettings {
  const { alias, home, localUser } = target;
  const first = new Map<string, Setting>();
  const identityFiles: Setting[] = [];
  const unsupported: UnsupportedSetting[] = [];
  /** Undecided Match lines by source, with the keywords of their blocks. */
  const undecided = new Map<string, { match: ConfigMatch; keywords: Set<string> }>();
  let wantFinal = false;

  const apply = (line: ConfigLine): void => {
    const setting = { value: line.args[0] as string, source: line.source };
    if (line.keyword === 'identityfile') {
      // ssh keeps one of each path as written (add_identity_file), e.g. across its two passes.
      if (!identityFiles.some((f) => f.value === setting.value)) identityFiles.push(setting);
    } else if (line.keyword === 'proxyjump') {
      if (first.has('proxyjump') || first.has('proxycommand')) return;
      const value = line.rest.replace(/#.*/, '').trim();
      first.set('proxyjump', { value, source: line.source });
      // A real jump disables any later ProxyCommand; `ProxyJump none` does not (readconf.c).
      if (value.toLowerCase() !== 'none') first.set('proxycommand', { value: 'none', source: '' });
    } else if (line.keyword === 'proxycommand') {
      if (!first.has('proxycommand'))
        first.set('proxycommand', { value: line.rest, source: line.source });
    } else if (!first.has(line.keyword)) {
      first.set(line.keyword, setting);
      const rule = UNSUPPORTED[line.keyword];
      if (rule?.applies(line.args, home)) {
        unsupported.push({ ...setting, value: line.rest, message: rule.why });
      }
    }
  };

  /** One reading of the file; `host` is what Host lines match (the alias, then the resolved name). */
  const pass = (host: string, finalPass: boolean): void => {
    const context = (): MatchContext => ({
      // Match host sees the HostName read so far (readconf.c match_cfg_line keeps in sync with ssh.c).
      host: finalPass ? host : (expandHostName(first.get('hostname'), alias) ?? alias),
      originalHost: alias,
      user: target.user ?? first.get('user')?.value ?? localUser,
      localUser,
      finalPass,
    });
    const walk = (list: readonly ConfigItem[], startActive: boolean, neverMatch: boolean): void => {
      let active = startActive;
      let leftOut: Set<string> | undefined;
      for (const item of list) {
        if (item.kind === 'include') {
          // Each included file starts in, and leaves behind, the including block's state.
          item.files.forEach((file) => walk(file, active, neverMatch || !active));
        } else if (item.kind === 'match') {
          // Any `Match final` asks for the second pass, even in a block that never matches.
          if (item.criteria && wantsFinalPass(item.criteria)) wantFinal = true;
          const outcome =
            item.criteria && !neverMatch ? evaluateMatch(item.criteria, context()) : false;
          active = outcome === true;
          leftOut = undefined;
          if (outcome === 'undecided') {
            const entry = undecided.get(item.source) ?? { match: item, keywords: new Set() };
            undecided.set(item.source, entry);
            leftOut = entry.keywords;
          }
        } else if (item.keyword === 'host') {
          active = !neverMatch && matchPatternList(host, item.args);
          leftOut = undefined;
        } else if (active) apply(item);
        else if (leftOut) {
          // Only a real keyword is named: a line of a file Included by mistake may be a secret.
          const keyword = knownSshConfigKeyword(item.keyword);
          if (keyword) leftOut.add(keyword);
        }
      }
    };
    walk(items, true, false);
  };

  pass(alias, false);
  const hostname = canonicalCase(expandHostName(first.get('hostname'), alias) ?? alias);
  const notes: string[] = [];
  const canonicalize = first.get('canonicalizehostname');
  if (canonicalize && canonicalize.value.toLowerCase() !== 'no') {
    wantFinal = true;
    if (first.has('canonicaldomains'))
      notes.push(
        `${canonicalize.source}: CanonicalizeHostname: LabDeck looks no names up in DNS, so it connects to ${hostname} as written`,
      );
  }
  if (wantFinal) {
    first.set('hostname', { value: hostname, source: '' });
    pass(hostname, true);
  }
  for (const { match, keywords } of undecided.values())
    if (keywords.size > 0 && match.criteria)
      notes.push(undecidedNote(match.criteria, match.source, [...keywords]));
  const proxyCommand = first.get('proxycommand');
  return {
    hostname,
    user: first.get('user'),
    port: first.get('port'),
    identitiesOnly: first.get('identitiesonly'),
    identityFiles,
    proxyJump: first.get('proxyjump'),
    proxyCommand: proxyCommand?.source === '' ? undefined : proxyCommand,
    unsupported,
    notes,
  };
}
