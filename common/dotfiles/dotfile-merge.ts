import { utf8Bytes } from '../host-setup/privileged-ops';
import type { DotfileEntry, DotfilePreviewEntry, DotfileStore } from './dotfile-store';

/**
 * The merged dotfiles a new session gets (issue 13): user over group over domain for the same
 * path, one group per session. The agent answers `dotfiles.preview` with it and a session start
 * writes exactly what it lists, so the preview is what the container gets.
 */

/** The three levels that apply to one session; `group` null when its group has no store. */
export interface DotfileLevels {
  readonly user: DotfileStore;
  readonly group: { readonly name: string; readonly store: DotfileStore } | null;
  readonly domain: DotfileStore;
}

/** One level's claim on a path. */
interface Claim {
  readonly scope: DotfilePreviewEntry['scope'];
  readonly group: string | null;
  readonly entry: DotfileEntry;
}

/**
 * One entry per path from the level that wins, with the lower levels it hides in `overrides`
 * (group before domain), sorted by path (code-unit order, the same everywhere). `content: true`
 * adds each winner's text; a preview for the window leaves it out.
 */
export function mergeDotfiles(
  levels: DotfileLevels,
  options: { readonly content?: boolean } = {},
): DotfilePreviewEntry[] {
  const claims = new Map<string, Claim[]>();
  const add = (scope: Claim['scope'], group: string | null, store: DotfileStore): void => {
    for (const [path, entry] of Object.entries(store.files))
      claims.set(path, [...(claims.get(path) ?? []), { scope, group, entry }]);
  };
  // Highest first: the first claim of a path wins.
  add('user', null, levels.user);
  if (levels.group !== null) add('group', levels.group.name, levels.group.store);
  add('domain', null, levels.domain);
  return [...claims.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, [winner, ...hidden]]) => ({
      path,
      scope: winner!.scope,
      group: winner!.group,
      mode: winner!.entry.mode,
      bytes: utf8Bytes(winner!.entry.content),
      overrides: hidden.map((claim) => ({
        scope: claim.scope as 'group' | 'domain',
        group: claim.group,
      })),
      ...(options.content === true ? { content: winner!.entry.content } : {}),
    }));
}
