import { useState, type JSX } from 'react';
import type { HostSummary } from '../../../../common/hosts/host-summary';
import { useHostSetup } from '../../stores/stores';
import '../../styles/host-setup.css';
import { HostSetupDialog } from './HostSetupDialog';
import { setupOffer } from './host-setup-view';
import { UndoSetupDialog } from './UndoSetupDialog';

/** Props of {@link HostSetupOffer}. */
export interface HostSetupOfferProps {
  readonly host: HostSummary;
}

/**
 * A host card's host setup line, for users who can sudo there once the host is connected: a
 * call to action that says why setup is needed, or, once the host is set up for this version, a
 * quiet "Set up ✓" with a "Setup…" button. Opens the setup dialog and, on top of it, the Undo
 * confirmation. The button stays the same element when the line changes (setup finished), so
 * focus comes back to it when the dialog closes.
 */
export function HostSetupOffer({ host }: HostSetupOfferProps): JSX.Element {
  const entry = useHostSetup((s) => s.statuses[host.id]);
  const [dialog, setDialog] = useState<'setup' | 'undo' | null>(null);
  const offer = setupOffer(host.connection.phase === 'connected' ? entry : undefined);
  const status = entry?.phase === 'loaded' ? entry.status : null;

  return (
    <>
      {offer.kind !== 'none' && (
        <div
          className={`setup-offer setup-offer-${offer.kind}`}
          data-testid="setup-offer"
          data-state={offer.kind}
        >
          <div className="setup-offer-text">
            {offer.kind === 'done' ? (
              <p>
                <span className="setup-offer-done-label">Set up ✓</span>{' '}
                <span className="muted">{offer.detail}</span>
              </p>
            ) : (
              <>
                <p>
                  <strong>{offer.title}.</strong> {offer.reason}
                </p>
                {offer.note && <p className="muted">{offer.note}</p>}
              </>
            )}
          </div>
          <button
            type="button"
            className={offer.kind === 'done' ? 'button button-small' : 'button button-primary'}
            aria-label={
              offer.kind === 'done' ? `Setup of ${host.name}…` : `Set up this host (${host.name})…`
            }
            data-testid="setup-open"
            onClick={() => setDialog('setup')}
          >
            {offer.kind === 'done' ? 'Setup…' : 'Set up this host…'}
          </button>
        </div>
      )}
      {dialog && (
        <HostSetupDialog
          host={host}
          status={status}
          onClose={() => setDialog(null)}
          onUndo={() => setDialog('undo')}
        />
      )}
      {dialog === 'undo' && (
        <UndoSetupDialog
          host={host}
          onClose={() => setDialog('setup')}
          // "Undo setup…" went with what it undid: the focus lands on the setup dialog's "Set up"
          // (its focus home) once the confirmation closed.
          onUndone={() => setDialog('setup')}
        />
      )}
    </>
  );
}
