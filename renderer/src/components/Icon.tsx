import type { JSX } from 'react';

/** Stroke paths of the window's few icons, drawn on a 24×24 grid. */
const PATHS = {
  hosts: 'M4 5h16v6H4zM4 13h16v6H4zM8 8h.01M8 16h.01',
  sessions: 'M12 3l8 4.5v9L12 21l-8-4.5v-9zM12 12l8-4.5M12 12v9M12 12L4 7.5',
  folders: 'M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z',
  dotfiles: 'M7 3h7l5 5v13H7zM14 3v5h5M10 13h6M10 17h6',
  terminals: 'M4 5h16v14H4zM8 10l3 2-3 2M13 15h3',
  refresh: 'M20 11a8 8 0 1 0-2.3 5.7M20 5v6h-6',
  close: 'M6 6l12 12M18 6L6 18',
  info: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 11v5M12 8h.01',
  warning: 'M12 3l10 18H2zM12 10v4M12 17h.01',
  passed: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM8 12.5l2.8 2.8L16 9.5',
  failed: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM9 9l6 6M15 9l-6 6',
  skipped: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM8 12h8',
  doctor: 'M3 12h4l2-5 4 10 2-5h6',
  copy: 'M9 9h11v11H9zM5 15H4V4h11v1',
} as const;

/** The name of one of the window's icons. */
export type IconName = keyof typeof PATHS;

/** Props of {@link Icon}. */
export interface IconProps {
  readonly name: IconName;
  readonly className?: string;
}

/**
 * A small line icon, drawn inline so it follows `currentColor` in light and dark. Decorative:
 * hidden from assistive technology, so the control it sits in must have its own name.
 */
export function Icon({ name, className }: IconProps): JSX.Element {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.75}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
