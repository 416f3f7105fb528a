import type { JSX } from 'react';
import { PlaceholderPage } from '../../components/PlaceholderPage';

/** The user's, group's and lab's dotfiles applied to every session. Not built yet. */
export function DotfilesPage(): JSX.Element {
  return (
    <PlaceholderPage title="Dotfiles">
      <p>
        Your dotfiles will be edited here, next to your group&apos;s and the lab&apos;s, with a
        preview of exactly which files a new session receives and where they are written.
      </p>
    </PlaceholderPage>
  );
}
