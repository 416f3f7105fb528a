import type { JSX } from 'react';
import { CodeText } from '../../components/CodeText';
import { CopyButton } from '../../components/CopyButton';
import { Icon } from '../../components/Icon';
import type { DoctorStepView } from './doctor-view';

/** Props of {@link DoctorStepItem}. */
export interface DoctorStepItemProps {
  readonly view: DoctorStepView;
}

/**
 * One step of the Doctor panel: icon and outcome in words (never colour alone), title, time,
 * what was found, and for a warning or failure the fix, each command copyable on its own.
 */
export function DoctorStepItem({ view }: DoctorStepItemProps): JSX.Element {
  const { statusView, fix } = view;
  return (
    <li
      className={`doctor-step doctor-step-${statusView.tone}`}
      data-testid="doctor-step"
      data-step={view.step}
      data-status={view.status}
    >
      <Icon name={statusView.icon} className="doctor-step-icon" />
      <div className="doctor-step-body">
        <p className="doctor-step-head">
          <span className="doctor-step-title">{view.title}</span>
          <span className="doctor-step-status" data-testid="doctor-step-status">
            {statusView.label}
          </span>
          {view.time && <span className="doctor-step-time">{view.time}</span>}
        </p>
        <p className="doctor-step-detail">{view.detail}</p>
        {fix && (
          <div className="doctor-fix" data-testid="doctor-fix">
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
