import type { JSX, ReactNode } from 'react';

/** Props of {@link PlaceholderPage}. */
export interface PlaceholderPageProps {
  readonly title: string;
  /** What this page will show once it exists, in a sentence or two. */
  readonly children: ReactNode;
}

/**
 * A page that is not built yet. It says so plainly and what will appear, and shows no sample
 * data: an empty promise is better than a convincing fake.
 */
export function PlaceholderPage({ title, children }: PlaceholderPageProps): JSX.Element {
  return (
    <div className="page">
      <header className="page-header">
        <h1>{title}</h1>
      </header>
      <div className="empty-state" data-testid="not-built">
        <p className="empty-title">Not built yet</p>
        <div className="empty-text">{children}</div>
      </div>
    </div>
  );
}
