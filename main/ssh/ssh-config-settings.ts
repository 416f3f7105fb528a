import { join } from 'node:path';
import { isMatchAll, type ConfigItem, type ConfigLine } from './ssh-config-read';
import { isPattern, matchPatternList } from './ssh-pattern';

/**
 * The settings ssh_config gives one host alias, with OpenSSH's rules (readconf.c): every block
 * whose `Host` patterns select the alias applies, in file order, `Host *` included; for each
 * keyword the first value wins, except IdentityFile, which accumulates.
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

/** What the config says about one alias, before tokens and jump hosts are resolved. */
export interface HostSettings {
  readonly hostname?: Setting;
  readonly user?: Setting;
  readonly port?: Setting;
  readonly identitiesOnly?: Setting;
  readonly identityFiles: readonly Setting[];
  /** As written, `none` included. */
  readonly proxyJump?: Setting;
  /** Absent when a ProxyJump came first: OpenSSH then ignores any later ProxyCommand. */
  readonly proxyCommand?: Setting;
  readonly unsupported: readonly UnsupportedSetting[];
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
      else if (item.keyword === 'host')
        item.args.filter((a) => !isPattern(a)).forEach((a) => aliases.add(a));
    }
  };
  visit(items);
  return [...aliases];
}

/** Collects the settings for `alias`; `home` only tells default file locations apart. */
export function settingsFor(
  items: readonly ConfigItem[],
  alias: string,
  home: string,
): HostSettings {
  const first = new Map<string, Setting>();
  const identityFiles: Setting[] = [];
  const unsupported: UnsupportedSetting[] = [];
  const apply = (line: ConfigLine): void => {
    const setting = { value: line.args[0] as string, source: line.source };
    if (line.keyword === 'identityfile') identityFiles.push(setting);
    else if (line.keyword === 'proxyjump') {
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
  const walk = (list: readonly ConfigItem[], startActive: boolean, neverMatch: boolean): void => {
    let active = startActive;
    for (const item of list) {
      if (item.kind === 'include') {
        // Each included file starts in, and leaves behind, the including block's state.
        item.files.forEach((file) => walk(file, active, neverMatch || !active));
      } else if (item.keyword === 'host')
        active = !neverMatch && matchPatternList(alias, item.args);
      else if (item.keyword === 'match') active = !neverMatch && isMatchAll(item.args);
      else if (active) apply(item);
    }
  };
  walk(items, true, false);
  const proxyCommand = first.get('proxycommand');
  return {
    hostname: first.get('hostname'),
    user: first.get('user'),
    port: first.get('port'),
    identitiesOnly: first.get('identitiesonly'),
    identityFiles,
    proxyJump: first.get('proxyjump'),
    proxyCommand: proxyCommand?.source === '' ? undefined : proxyCommand,
    unsupported,
  };
}
