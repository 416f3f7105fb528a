import type { JSX } from 'react';

/**
 * What browser mode shows when the page was opened without its access token (a bare
 * address, a bookmark, a new tab): how to get in, instead of a window whose every
 * request would be refused.
 */
export function MissingTokenScreen(): JSX.Element {
  return (
    <main className="page" data-testid="missing-token">
      <header className="page-header">
        <h1>LabDeck needs its access token</h1>
        <p className="page-lede">
          This address alone does not open LabDeck: the server also needs the token of this run.
        </p>
      </header>
      <div className="empty-state">
        <p className="empty-title">
          Open the URL that <code>npm run serve</code> printed
        </p>
        <div className="empty-text">
          It looks like <code>{location.origin}/#token=…</code>. Copy it from the terminal where{' '}
          <code>npm run serve</code> (or <code>labdeck serve</code>) is running, or start it again
          if it has stopped.
        </div>
      </div>
    </main>
  );
}
