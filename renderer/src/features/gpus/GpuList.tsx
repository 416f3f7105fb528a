import type { JSX } from 'react';
import type { AppError } from '../../../../common/contract/result';
import { CodeText } from '../../components/CodeText';
import { GpuCard } from './GpuCard';
import { isDriverError } from './gpu-format';
import type { GpuInventoryEntry } from './gpus-store';

/** Props of {@link GpuList}. */
export interface GpuListProps {
  readonly hostId: string;
  readonly entry: GpuInventoryEntry | undefined;
  readonly watchError: AppError | undefined;
  /** When the readings shown were taken, for a host that is not connected; null while live. */
  readonly staleSince: number | null;
  readonly onRetryLoad: () => void;
  readonly onRetryWatch: () => void;
}

/**
 * A host's GPUs, or why there are none to show: loading, a failed request (with retry), a
 * driver failure with its hint (alongside the GPUs still readable), or no GPU at all — a host
 * without `nvidia-smi` gets a neutral note, not an error.
 */
export function GpuList(props: GpuListProps): JSX.Element {
  const { hostId, entry, watchError } = props;
  const inventory = entry?.inventory ?? null;

  if (inventory === null && entry?.status !== 'failed') {
    return (
      <p className="loading-line" role="status" data-testid="gpus-loading">
        <span className="spinner" aria-hidden="true" />
        Reading the GPUs…
      </p>
    );
  }

  return (
    <>
      {entry?.status === 'failed' && entry.error && (
        <ErrorBox error={entry.error} testId="gpus-error" title="Could not read the GPUs">
          <button type="button" className="button" onClick={props.onRetryLoad}>
            Try again
          </button>
        </ErrorBox>
      )}
      {inventory?.driverFailure &&
        (isDriverError(inventory.driverFailure) ? (
          <ErrorBox
            error={inventory.driverFailure}
            testId="gpu-driver-failure"
            title="GPU driver"
          />
        ) : (
          <p className="muted" data-testid="gpus-no-nvidia">
            No NVIDIA GPUs found on this host — nvidia-smi is not installed.
          </p>
        ))}
      {watchError && (
        <div className="inline-warning" role="status" data-testid="gpu-watch-error">
          <span>Live charts are off: {watchError.message}</span>
          <button type="button" className="button button-small" onClick={props.onRetryWatch}>
            Try again
          </button>
        </div>
      )}
      {inventory && inventory.gpus.length === 0 && !inventory.driverFailure && (
        <p className="muted" data-testid="gpus-empty">
          No NVIDIA GPU found on this host.
        </p>
      )}
      {inventory && inventory.gpus.length > 0 && (
        <ul className="gpu-grid" aria-label="GPUs">
          {inventory.gpus.map((gpu) => (
            <li key={gpu.uuid}>
              <GpuCard hostId={hostId} gpu={gpu} staleSince={props.staleSince} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

interface ErrorBoxProps {
  readonly title: string;
  readonly error: { readonly code: string; readonly message: string; readonly hint?: string };
  readonly testId: string;
  readonly children?: JSX.Element;
}

function ErrorBox({ title, error, testId, children }: ErrorBoxProps): JSX.Element {
  return (
    <div className="alert-box alert-danger" role="alert" data-testid={testId}>
      <p className="alert-title">{title}</p>
      <p className="alert-message">
        <CodeText text={error.message} />
      </p>
      {error.hint && (
        <p className="alert-hint">
          <CodeText text={error.hint} />
        </p>
      )}
      <p className="alert-code">{error.code}</p>
      {children}
    </div>
  );
}
