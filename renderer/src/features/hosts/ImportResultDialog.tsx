import { useRef, type JSX } from 'react';
import { Dialog } from '../../components/Dialog';
import type { ImportReport } from './hosts-store';

/** Props of {@link ImportResultDialog}. */
export interface ImportResultDialogProps {
  readonly report: ImportReport;
  readonly onClose: () => void;
}

/**
 * What importing `~/.ssh/config` did: the hosts added, those added with settings LabDeck
 * ignores, and every host skipped with the reason, so nothing is dropped silently.
 */
export function ImportResultDialog({ report, onClose }: ImportResultDialogProps): JSX.Element {
  const close = useRef<HTMLButtonElement>(null);
  const { added, skipped, warnings } = report;

  return (
    <Dialog
      title="Imported from ~/.ssh/config"
      onDismiss={onClose}
      initialFocus={close}
      testId="import-result"
    >
      <section aria-label="Added hosts" className="import-section">
        <h3 className="import-heading">
          {added.length === 0 ? 'No host added' : `Added ${plural(added.length, 'host')}`}
        </h3>
        {added.length > 0 && (
          <ul className="import-list" data-testid="import-added">
            {added.map((host) => (
              <li key={host.id}>
                <strong>{host.name}</strong> <span className="muted">{host.address}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <ReasonList
        title="Added, but LabDeck ignores some settings"
        items={warnings}
        testId="import-warnings"
      />
      <ReasonList
        title={`Skipped ${plural(skipped.length, 'host')}`}
        items={skipped}
        testId="import-skipped"
      />
      <div className="dialog-actions">
        <button ref={close} type="button" className="button button-primary" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

interface ReasonListProps {
  readonly title: string;
  readonly items: readonly { readonly host: string; readonly reason: string }[];
  readonly testId: string;
}

/** Hosts with a reason each; nothing at all when there are none. */
function ReasonList({ title, items, testId }: ReasonListProps): JSX.Element | null {
  if (items.length === 0) return null;
  return (
    <section aria-label={title} className="import-section">
      <h3 className="import-heading">{title}</h3>
      <ul className="import-list" data-testid={testId}>
        {items.map((item, i) => (
          <li key={`${item.host}-${i}`}>
            <strong>{item.host}</strong>: {item.reason}
          </li>
        ))}
      </ul>
    </section>
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
