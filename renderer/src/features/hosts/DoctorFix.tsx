import type { JSX } from 'react';
import { CodeText } from '../../components/CodeText';
import { CopyButton } from '../../components/CopyButton';
import type { DoctorFixView } from './doctor-view';

/** Props of {@link DoctorFix}. */
export interface DoctorFixProps {
  readonly fix: DoctorFixView;
  /** The step or check it fixes, as its Copy buttons name it ("the fix for Docker access"). */
  readonly title: string;
  readonly testId: string;
}

/**
 * The fix of a Doctor step or a setup check: its sentence, each command copyable on its own,
 * and a trailing note.
 */
export function DoctorFix({ fix, title, testId }: DoctorFixProps): JSX.Element {
  return (
    <div className="doctor-fix" data-testid={testId}>
      <span className="doctor-fix-label">Fix</span>
      {fix.lead && (
        <p className="doctor-fix-text">
          <CodeText text={fix.lead} />
        </p>
      )}
      {fix.commands.map((command, i) => (
        <div key={`${i} ${command}`} className="doctor-command">
          <code className="doctor-command-text">{command}</code>
          <CopyButton text={command} what={`the fix for ${title}`} />
        </div>
      ))}
      {fix.note && <p className="doctor-fix-text muted">({fix.note})</p>}
    </div>
  );
}
