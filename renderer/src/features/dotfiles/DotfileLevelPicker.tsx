import { useId, type JSX } from 'react';
import type { DotfileContext, DotfileScopeRef } from '../../../../common/dotfiles/dotfile-store';
import { levelGroups, levelKey } from './dotfile-form';
import { dotfilesStore } from './dotfiles-window';

/** Props of {@link DotfileLevelPicker}. */
export interface DotfileLevelPickerProps {
  readonly context: DotfileContext;
  readonly level: DotfileScopeRef;
}

/**
 * The three levels, highest first as they win: Mine, Group (the primary group first, then a
 * picker of the user's other groups and of those they only administer), Lab. Switching with
 * unsaved text asks first.
 */
export function DotfileLevelPicker({ context, level }: DotfileLevelPickerProps): JSX.Element {
  const groupId = useId();
  const group = level.scope === 'group' ? level.group : context.primaryGroup;
  const choose = (next: DotfileScopeRef): void => {
    const store = dotfilesStore.getState();
    if (levelKey(next) === levelKey(store.level)) return;
    store.whenClean(() => store.chooseLevel(next));
  };
  const button = (next: DotfileScopeRef, label: string, testId: string) => (
    <button
      type="button"
      className="dotfile-segment"
      aria-pressed={level.scope === next.scope}
      data-testid={testId}
      onClick={() => choose(next)}
    >
      {label}
    </button>
  );
  return (
    <div className="dotfile-levels" role="group" aria-label="Level">
      <div className="dotfile-segments">
        {button({ scope: 'user' }, 'Mine', 'dotfiles-level-user')}
        {button({ scope: 'group', group }, 'Group', 'dotfiles-level-group')}
        {button(
          { scope: 'domain' },
          context.lab ? `Lab (${context.lab})` : 'Lab',
          'dotfiles-level-domain',
        )}
      </div>
      {level.scope === 'group' && (
        <>
          <label className="visually-hidden" htmlFor={groupId}>
            Group
          </label>
          <select
            id={groupId}
            className="input dotfile-group-select"
            value={group}
            data-testid="dotfiles-group"
            onChange={(e) => choose({ scope: 'group', group: e.target.value })}
          >
            {levelGroups(context).map(({ name, label }) => (
              <option key={name} value={name}>
                {label}
              </option>
            ))}
          </select>
        </>
      )}
    </div>
  );
}
