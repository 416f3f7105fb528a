import { useRef, type JSX } from 'react';
import type { HostSummary } from '../../../../common/hosts/host-summary';
import { CodeText } from '../../components/CodeText';
import { Dialog } from '../../components/Dialog';
import { DoctorStepItem } from './DoctorStepItem';
import { doctorStepView, doctorSummary } from './doctor-view';
import { useHostCheck } from './use-host-check';

/** Props of {@link DoctorDialog}. */
export interface DoctorDialogProps {
  readonly host: HostSummary;
  readonly onClose: () => void;
}

/**
 * The Doctor panel: checks every step of reaching a host (`hosts:check`) and lists each with its
 * outcome, what was found, how long it took and, for a warning or failure, the command that
 * fixes it. "Close" has the focus; Tab reaches "Check again" and every Copy button.
 */
export function DoctorDialog({ host, onClose }: DoctorDialogProps): JSX.Element {
  const close = useRef<HTMLButtonElement>(null);
  const { state, rerun } = useHostCheck(host.id);
  const running = state.phase === 'running';

  return (
    <Dialog
      title={`Check ${host.name}`}
      onDismiss={onClose}
      initialFocus={close}
      className="doctor-dialog"
      testId="doctor-dialog"
    >
      <div role="status" className="doctor-status" data-testid="doctor-status">
        {state.phase === 'running' && (
          <p className="loading-line" data-testid="doctor-running">
            <span className="spinner" aria-hidden="true" />
            Checking every step of reaching {host.name}… this can take a few seconds.
          </p>
        )}
        {state.phase === 'done' && (
          <p className="doctor-summary" data-testid="doctor-summary">
            {doctorSummary(state.report)}
          </p>
        )}
      </div>
      {state.phase === 'failed' && (
        <div className="form-error" role="alert" data-testid="doctor-error">
          <p>
            <CodeText text={state.error.message} />
          </p>
          {state.error.hint && (
            <p className="muted">
              <CodeText text={state.error.hint} />
            </p>
          )}
        </div>
      )}
      {state.phase === 'done' && (
        <ol className="doctor-steps" aria-label={`Steps of ${host.name}`}>
          {state.report.steps.map((step) => (
            <DoctorStepItem key={step.step} view={doctorStepView(step)} />
          ))}
        </ol>
      )}
      <div className="dialog-actions">
        <button
          type="button"
          className="button"
          aria-disabled={running}
          data-testid="doctor-rerun"
          onClick={running ? undefined : rerun}
        >
          {running && <span className="spinner" aria-hidden="true" />}
          Check again
        </button>
        <button ref={close} type="button" className="button button-primary" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
