import type { JSX } from 'react';
import { Icon } from '../../components/Icon';
import { DoctorFix } from './DoctorFix';
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
        {fix && <DoctorFix fix={fix} title={view.title} testId="doctor-fix" />}
      </div>
    </li>
  );
}
