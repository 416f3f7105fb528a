import type { JSX } from 'react';
import type { PreviewState } from './use-session-preview';
import { tierText } from './session-format';

/** Props of {@link GpuPreview}. */
export interface GpuPreviewProps {
  readonly state: PreviewState | null;
  /** The amount typed now; when it differs from the preview's, the preview is marked as updating. */
  readonly gpus: string;
  readonly id: string;
}

/**
 * What the amount typed would get, before Start: each GPU's free share now and the share it
 * would give (in shares and GiB of its memory), and how the shares would be enforced — or the
 * allocator's reason it cannot be given. Live (`aria-live`), so a screen reader hears it change.
 */
export function GpuPreview({ state, gpus, id }: GpuPreviewProps): JSX.Element {
  const stale = state !== null && state.gpus !== gpus;
  return (
    <div
      id={id}
      className="session-preview"
      aria-live="polite"
      aria-busy={state === null || stale}
      data-testid="session-preview"
    >
      {state === null && <p className="loading-line">Asking the host for its free GPUs…</p>}
      {state?.error && (
        <p className="field-errors" role="alert">
          {state.error.message}
        </p>
      )}
      {state?.preview && <PreviewTable state={state} />}
    </div>
  );
}

function PreviewTable({ state }: { readonly state: PreviewState }): JSX.Element {
  const preview = state.preview!;
  const given = preview.shares !== null && Object.keys(preview.shares).length > 0;
  const tier = preview.enforcement === null || !given ? null : tierText(preview.enforcement);
  return (
    <>
      {preview.gpus.length === 0 ? (
        <p className="muted">This host has no GPUs LabDeck can share.</p>
      ) : (
        <table className="session-preview-table">
          <thead>
            <tr>
              <th scope="col">GPU</th>
              <th scope="col">Free now</th>
              <th scope="col">Would get</th>
            </tr>
          </thead>
          <tbody>
            {preview.gpus.map((gpu) => {
              const share = preview.shares?.[gpu.uuid];
              const gib = preview.memoryGiB?.[gpu.uuid];
              return (
                <tr key={gpu.uuid} data-testid="session-preview-gpu">
                  <th scope="row">
                    GPU {gpu.index} <span className="muted">{gpu.name}</span>
                  </th>
                  <td>{gpu.free}</td>
                  <td data-testid="session-preview-share">
                    {share === undefined
                      ? '—'
                      : `${share}${gib === undefined ? '' : ` · ${gib} GiB`}`}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {preview.error && (
        <p className="field-errors" role="alert" data-testid="session-preview-error">
          {preview.error.message}
        </p>
      )}
      {tier && (
        <p
          className={tier.warn ? 'session-tier session-tier-warn' : 'session-tier'}
          data-testid="session-preview-tier"
        >
          Enforcement: {tier.label}
          {tier.warn && ' — other sessions on these GPUs can use more than their share.'}
        </p>
      )}
    </>
  );
}
