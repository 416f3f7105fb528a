import type { JSX } from 'react';
import { PlaceholderPage } from '../../components/PlaceholderPage';

/** Terminals into sessions and hosts, in one window. Not built yet. */
export function TerminalsPage(): JSX.Element {
  return (
    <PlaceholderPage title="Terminals">
      <p>
        Terminals into your sessions and hosts will open here as tabs. They will survive a dropped
        connection and replay what you missed when you reconnect.
      </p>
    </PlaceholderPage>
  );
}
