import type { JSX } from 'react';
import { PlaceholderPage } from '../../components/PlaceholderPage';

/** Compute sessions: Docker containers with whole or fractional GPUs. Not built yet. */
export function SessionsPage(): JSX.Element {
  return (
    <PlaceholderPage title="Sessions">
      <p>
        Your compute sessions will be listed here: Docker containers on the lab&apos;s hosts, each
        with the GPUs or GPU shares it holds, how those shares are enforced, its owner and how long
        it has been running — with buttons to open its Jupyter or TensorBoard and to stop it.
      </p>
    </PlaceholderPage>
  );
}
