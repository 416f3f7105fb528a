import { useId, useRef, useState, type JSX } from 'react';
import type { ImportCandidate } from '../../../../common/hosts/ssh-config-import';
import { Dialog } from '../../components/Dialog';
import type { ImportPreview } from './hosts-store';
import { hopAddress } from './jump-chain';

/** Props of {@link ImportPreviewDialog}. */
export interface ImportPreviewDialogProps {
  readonly preview: ImportPreview;
  /** Adds the chosen hosts; the page then shows what happened. */
  readonly onImport: (names: readonly string[]) => Promise<void>;
  readonly onClose: () => void;
}

/**
 * What importing `~/.ssh/config` would add, before anything is: each host with its user,
 * address, port and jump chain and a checkbox, the hosts already in LabDeck (and whether the
 * file differs), and every host that cannot be imported with why.
 */
export function ImportPreviewDialog({
  preview,
  onImport,
  onClose,
}: ImportPreviewDialogProps): JSX.Element {
  const importButton = useRef<HTMLButtonElement>(null);
  const { candidates, skipped, fileNotes, file } = preview;
  const fresh = candidates.filter((c) => !c.existing).map((c) => c.host.name);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(fresh));
  const [busy, setBusy] = useState(false);
  const toggle = (name: string, on: boolean): void =>
    setChosen((old) => {
      const next = new Set(old);
      if (on) next.add(name);
      else next.delete(name);
      return next;
    });
  const names = fresh.filter((name) => chosen.has(name));
  const submit = async (): Promise<void> => {
    if (busy || names.length === 0) return;
    setBusy(true);
    await onImport(names);
    setBusy(false);
  };

  return (
    <Dialog
      title={`Import from ${file}`}
      onDismiss={onClose}
      initialFocus={importButton}
      className="import-dialog"
      testId="import-preview"
    >
      {candidates.length === 0 ? (
        <p data-testid="import-nothing">{file} names no host LabDeck can add.</p>
      ) : (
        <section aria-label="Hosts to import" className="import-section">
          <div className="import-heading-row">
            <h3 className="import-heading">
              Choose the hosts to add — nothing is added until you press Import
            </h3>
            {fresh.length > 1 && (
              <div className="import-select">
                <button
                  type="button"
                  className="link-button"
                  onClick={() => setChosen(new Set(fresh))}
                >
                  All
                </button>
                <button type="button" className="link-button" onClick={() => setChosen(new Set())}>
                  None
                </button>
              </div>
            )}
          </div>
          <ul className="import-choices">
            {candidates.map((candidate) => (
              <CandidateRow
                key={candidate.host.name}
                candidate={candidate}
                checked={chosen.has(candidate.host.name)}
                onChange={(on) => toggle(candidate.host.name, on)}
              />
            ))}
          </ul>
        </section>
      )}
      {skipped.length > 0 && (
        <section aria-label="Not imported" className="import-section">
          <h3 className="import-heading">
            Not imported ({skipped.length}): LabDeck cannot use{' '}
            {skipped.length === 1 ? 'it' : 'them'} as written
          </h3>
          <ul className="import-list" data-testid="import-preview-skipped">
            {skipped.map((item, i) => (
              <li key={`${item.host}-${i}`}>
                <strong>{item.host}</strong>: {item.reason}
              </li>
            ))}
          </ul>
        </section>
      )}
      {fileNotes.length > 0 && (
        <section aria-label="Lines not used" className="import-section">
          <h3 className="import-heading">Lines of the file LabDeck did not use</h3>
          <ul className="import-list muted" data-testid="import-file-notes">
            {fileNotes.map((note, i) => (
              <li key={i}>{note}</li>
            ))}
          </ul>
        </section>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button
          ref={importButton}
          type="button"
          className="button button-primary"
          aria-disabled={busy || names.length === 0}
          data-testid="import-confirm"
          onClick={() => void submit()}
        >
          {busy && <span className="spinner" aria-hidden="true" />}
          {names.length === 0
            ? 'Import'
            : `Import ${names.length} host${names.length === 1 ? '' : 's'}`}
        </button>
      </div>
    </Dialog>
  );
}

interface CandidateRowProps {
  readonly candidate: ImportCandidate;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
}

/** One host of the file: a checkbox named by the host, its endpoint, its chain and caveats. */
function CandidateRow({ candidate, checked, onChange }: CandidateRowProps): JSX.Element {
  const id = useId();
  const { host, via, notes, existing } = candidate;
  return (
    <li className="import-choice" data-testid="import-candidate" data-host={host.name}>
      <input
        id={id}
        type="checkbox"
        checked={!existing && checked}
        disabled={existing !== null}
        aria-describedby={`${id}-details`}
        onChange={(event) => onChange(event.target.checked)}
      />
      <div className="import-choice-body" id={`${id}-details`}>
        <label htmlFor={id} className="import-choice-name">
          {host.name}
        </label>{' '}
        <span className="import-address">{hopAddress(host)}</span>
        <p className="import-via" data-testid="import-via">
          {via.length === 0
            ? 'Direct connection'
            : `via ${via.map((hop) => (hop.name === hop.hostname ? hopAddress(hop) : `${hop.name} (${hopAddress(hop)})`)).join(' → ')}`}
        </p>
        {existing && (
          <p className="import-existing" data-testid="import-existing">
            {existing.differences.length === 0
              ? 'Already in LabDeck, with the same settings.'
              : `Already in LabDeck with other settings — ${existing.differences.join('; ')}. It stays as it is; edit it to change it.`}
          </p>
        )}
        {notes.map((note, i) => (
          <p key={i} className="import-note" data-testid="import-note">
            {note}
          </p>
        ))}
      </div>
    </li>
  );
}
