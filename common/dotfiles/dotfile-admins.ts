import type { LabConfig } from '../host-setup/lab-config';
import type { DotfileScopeRef } from './dotfile-store';

/**
 * Who may change a group's or the lab's dotfiles (issue 13), read from the lab configuration
 * the same way by the agent (to say what a user may do) and the privileged helper (to refuse).
 */

/**
 * The admins of group `group` (`groupAdmins[GROUP]`), none when it lists none. Looked up as an
 * own key only: a group named `constructor` or `__proto__` must not find Object's properties.
 */
export function groupAdminsOf(config: LabConfig, group: string): readonly string[] {
  return Object.hasOwn(config.groupAdmins, group) ? (config.groupAdmins[group] ?? []) : [];
}

/** The admins of the level `ref` names (the lab's for `domain`), and its field in words. */
export function dotfileAdminsOf(
  config: LabConfig,
  ref: Exclude<DotfileScopeRef, { scope: 'user' }>,
): { readonly admins: readonly string[]; readonly field: string } {
  return ref.scope === 'group'
    ? { admins: groupAdminsOf(config, ref.group), field: `groupAdmins.${ref.group}` }
    : { admins: config.labAdmins, field: 'labAdmins' };
}
