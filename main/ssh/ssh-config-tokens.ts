import { isIP } from 'node:net';
import type { Setting } from './ssh-config-settings';

/** Expanding `~` and `%x` tokens in ssh_config values, as ssh.c and readconf.c do. */

/** Thrown inside resolution for a reason that keeps a host from being imported. */
export class NotImported extends Error {}

/** Expands `%x` tokens; an unknown one (or `${VAR}`) is an error naming it. */
export function expandTokens(setting: Setting, tokens: Readonly<Record<string, string>>): string {
  if (setting.value.includes('${')) throw new NotImported('${VARIABLE} expansion is not supported');
  return setting.value.replace(/%(.?)/gs, (whole, key: string) => {
    const value = tokens[key];
    if (value === undefined) throw new NotImported(`LabDeck cannot expand "${whole}"`);
    return value;
  });
}

/** `~` and `~/…` are the home folder; another user's `~name` is refused. */
export function expandTilde(setting: Setting, home: string): Setting {
  const { value } = setting;
  if (value === '~' || value.startsWith('~/')) return { ...setting, value: home + value.slice(1) };
  if (value.startsWith('~')) throw new NotImported(`another user's ~ is not supported`);
  return setting;
}

/**
 * HostName with %h (the alias) and %% expanded, the only tokens ssh.c knows there; undefined
 * when no HostName was read.
 */
export function expandHostName(setting: Setting | undefined, alias: string): string | undefined {
  if (!setting) return undefined;
  try {
    return expandTokens(setting, { h: alias, '%': '%' });
  } catch (error) {
    throw new NotImported(
      `${setting.source}: HostName ${setting.value}: ${(error as Error).message}`,
    );
  }
}

/** ssh lowercases the name it connects to, but not an address (ssh.c, is_addr). */
export function canonicalCase(host: string): string {
  return isIP(host) ? host : host.toLowerCase();
}
