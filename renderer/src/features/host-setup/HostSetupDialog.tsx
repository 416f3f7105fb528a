import { useEffect, useRef, useState, type FormEvent, type JSX } from 'react';
import type { SetupMode } from '../../../../common/host-setup/setup-report';
import type { SetupStatus } from '../../../../common/host-setup/setup-status';
import type { HostSummary } from '../../../../common/hosts/host-summary';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/FormError';
import { TextField } from '../../components/TextField';
import { hostSetupStore, useHostSetup } from '../../stores/stores';
import { DeclaredVolumes } from './DeclaredVolumes';
import {
  checkHostSetupForm,
  hostSetupFormFrom,
  type HostSetupFormErrors,
  type HostSetupFormValues,
} from './host-setup-form';
import { canUndo, runningText, sudoNote } from './host-setup-view';
import { SetupReportView } from './SetupReportView';
import { VolumeRows } from './VolumeRows';

/** Props of {@link HostSetupDialog}. */
export interface HostSetupDialogProps {
  readonly host: HostSummary;
  /** How far the host is set up, as its card showed it; null when not known. */
  readonly status: SetupStatus | null;
  readonly onClose: () => void;
  /** Asks before taking setup back (a dialog of its own, on top of this one). */
  readonly onUndo: () => void;
}

/**
 * "Set up this host" (issue 11): the lab's name and the volumes to add, each field checked with
 * the rules main uses; "Preview changes" lists every change a run would make and makes none;
 * "Set up" (Enter) runs setup as root — the sudo password dialog comes on top when sudo needs
 * one — and lists what was done, what was already so, and each check with its fix. A second run
 * says "Nothing changed". "Undo setup…" asks first. The run lives in the host-setup store, so
 * closing the dialog while it runs loses nothing; reopening shows it.
 */
export function HostSetupDialog({
  host,
  status,
  onClose,
  onUndo,
}: HostSetupDialogProps): JSX.Element {
  const [values, setValues] = useState<HostSetupFormValues>(() => hostSetupFormFrom(status));
  const [errors, setErrors] = useState<HostSetupFormErrors>({});
  const [shown, setShown] = useState(0);
  const run = useHostSetup((s) => s.runs[host.id]);
  const form = useRef<HTMLFormElement>(null);
  const first = useRef<HTMLInputElement>(null);
  const result = useRef<HTMLDivElement>(null);
  const running = run?.phase === 'running';
  const note = status ? sudoNote(status.sudo) : null;

  // A finished run from an earlier opening is not this one's: start empty (a run under way stays).
  useEffect(() => hostSetupStore.getState().clearRun(host.id), [host.id]);

  // After each check that found errors, focus the first field in error, in reading order.
  useEffect(() => {
    if (shown > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [shown]);

  // A new outcome may be below the fold of a long form: bring it into view.
  useEffect(() => {
    if (run && run.phase !== 'running') result.current?.scrollIntoView({ block: 'nearest' });
  }, [run]);

  const start = (mode: SetupMode): void => {
    if (running) return;
    const checked = checkHostSetupForm(values);
    setErrors(checked.ok ? {} : checked.errors);
    if (!checked.ok) return setShown((n) => n + 1);
    void hostSetupStore.getState().run(host.id, { ...checked.request, mode });
  };
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    start('setup');
  };

  return (
    <Dialog
      title={`Set up ${host.name}`}
      onDismiss={onClose}
      initialFocus={first}
      className="setup-dialog"
      testId="setup-dialog"
    >
      <form ref={form} className="form" noValidate onSubmit={submit} aria-busy={running}>
        <p className="dialog-text">
          Host setup makes {host.name} ready for every user of it: it installs this LabDeck&apos;s
          helper and the sudo rule that lets the <code>labdeck</code> group use it, writes the
          lab&apos;s configuration, and checks Docker and the NVIDIA container toolkit. It runs as
          root, downloads nothing, and can be undone. Preview changes first to see each step.
        </p>
        {note && (
          <p className="form-note" data-testid="setup-sudo-note">
            {note}
          </p>
        )}
        <TextField
          label="Lab name"
          inputRef={first}
          help="Optional. How lists and the lab's dotfiles name the lab; empty keeps the host's (or uses its hostname)."
          value={values.lab}
          errors={errors.lab}
          testId="setup-lab"
          name="lab"
          onChange={(lab) => setValues((v) => ({ ...v, lab }))}
        />
        {status && status.volumes.length > 0 && <DeclaredVolumes volumes={status.volumes} />}
        <VolumeRows
          rows={values.volumes}
          errors={errors}
          onChange={(volumes) => setValues((v) => ({ ...v, volumes }))}
        />
        <div ref={result} className="setup-outcome" role="status" data-testid="setup-status">
          {run?.phase === 'running' && (
            <p className="loading-line" data-testid="setup-running">
              <span className="spinner" aria-hidden="true" />
              {runningText(run.mode, host.name)}
            </p>
          )}
          {run?.phase === 'done' && <SetupReportView report={run.report} hostName={host.name} />}
        </div>
        <FormError error={run?.phase === 'failed' ? run.error : null} testId="setup-error" />
        <div className="dialog-actions">
          {canUndo(status) && (
            <button
              type="button"
              className="button setup-undo"
              aria-disabled={running}
              data-testid="setup-undo"
              onClick={running ? undefined : onUndo}
            >
              Undo setup…
            </button>
          )}
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
          <button
            type="button"
            className="button"
            aria-disabled={running}
            data-testid="setup-preview"
            onClick={() => start('dry-run')}
          >
            {run?.phase === 'running' && run.mode === 'dry-run' && (
              <span className="spinner" aria-hidden="true" />
            )}
            Preview changes
          </button>
          {/* Takes the focus when the control that had it went (see focus-home.ts): "Undo setup…",
              once setup is undone. */}
          <button
            type="submit"
            data-focus-primary=""
            className="button button-primary"
            aria-disabled={running}
            data-testid="setup-run"
          >
            {run?.phase === 'running' && run.mode === 'setup' && (
              <span className="spinner" aria-hidden="true" />
            )}
            Set up
          </button>
        </div>
      </form>
    </Dialog>
  );
}
