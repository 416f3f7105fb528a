import type { JSX } from 'react';
import { CodeText } from '../../components/CodeText';
import { CopyButton } from '../../components/CopyButton';
import { Icon } from '../../components/Icon';
import type { SetupCheckView } from './host-setup-view';

/** Props of {@link SetupCheckItem}. */
export interface SetupCheckItemProps {
  readonly view: SetupCheckView;
}

/**
 * One check of a setup report, drawn as a Doctor step (its classes, icons and words): outcome,
 * what was found and, for a warning or failure, the fix with each command copyable on its own.
 */
export function SetupCheckItem({ view }: SetupCheckItemProps): JSX.Element {
  const { fix } = view;
  return (
    <li
      className={`doctor-step doctor-step-${view.tone}`}
      data-testid="setup-check"
      data-check={view.check}
      data-status={view.status}
    >
      <Icon name={view.icon} className="doctor-step-icon" />
      <div className="doctor-step-body">
        <p className="doctor-step-head">
          <span className="doctor-step-title">{view.title}</span>
          <span className="doctor-step-status">{view.label}</span>
        </p>
        <p className="doctor-step-detail">{view.detail}</p>
        {fix && (
          <div className="doctor-fix" data-testid="setup-fix">
            <span className="doctor-fix-label">Fix</span>
            {fix.lead && (
              <p className="doctor-fix-text">
                <CodeText text={fix.lead} />
              </p>
            )}
            {fix.commands.map((command, i) => (
              <div key={`${i} ${command}`} className="doctor-command">
                <code className="doctor-command-text">{command}</code>
                <CopyButton text={command} what={`the fix for ${view.title}`} />
              </div>
            ))}
            {fix.note && <p className="doctor-fix-text muted">({fix.note})</p>}
          </div>
        )}
      </div>
    </li>
  );
}
