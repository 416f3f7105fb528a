import type { JSX } from 'react';
import { Icon } from '../../components/Icon';
import { DoctorFix } from '../hosts/DoctorFix';
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
        {fix && <DoctorFix fix={fix} title={view.title} testId="setup-fix" />}
      </div>
    </li>
  );
}
