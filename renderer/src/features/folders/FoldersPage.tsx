import type { JSX } from 'react';
import { PlaceholderPage } from '../../components/PlaceholderPage';

/** Storage folders with quotas, sharing and cloning. Not built yet. */
export function FoldersPage(): JSX.Element {
  return (
    <PlaceholderPage title="Folders">
      <p>
        Your storage folders will be listed here, with usage against their quota where the
        filesystem enforces one, who they are shared with, and pending invitations to accept or
        decline. Folders can then be created, shared, cloned and mounted into sessions.
      </p>
    </PlaceholderPage>
  );
}
