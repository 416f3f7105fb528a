import { displayDotfilePath } from '../../../../common/dotfiles/dotfile-changes';
import type {
  DotfilePreviewEntry,
  DotfileReport,
  DotfileSummary,
} from '../../../../common/dotfiles/dotfile-store';
import { formatBytes } from '../folders/folder-view';

/** How the Dotfiles page and the session form put dotfiles into words. */

/** An ISO time as the page shows it, in the words conflict messages use: `2026-12-02 14:03 UTC`. */
export function whenText(iso: string): string {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) && iso.endsWith('Z')
    ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`
    : iso;
}

/** A list row's second line: `mode 644 · 1.2 KiB · updated by alice, 2026-12-02 14:03 UTC`. */
export function summaryLine(
  file: Pick<DotfileSummary, 'mode' | 'bytes' | 'updatedBy' | 'updatedAt'>,
): string {
  return `mode ${file.mode} · ${formatBytes(file.bytes)} · updated by ${file.updatedBy}, ${whenText(file.updatedAt)}`;
}

/** A level as the preview says where a file comes from: "yours", "group ml", "the lab". */
export function sourceWords(level: { scope: string; group: string | null }): string {
  if (level.scope === 'user') return 'yours';
  return level.scope === 'group' ? `group ${level.group ?? ''}` : 'the lab';
}

/** The preview's note of what a file hides: "overrides group ml’s and the lab’s"; empty for none. */
export function overridesText(entry: Pick<DotfilePreviewEntry, 'overrides'>): string {
  if (entry.overrides.length === 0) return '';
  const names = entry.overrides.map((o) =>
    o.scope === 'group' ? `group ${o.group ?? ''}’s` : 'the lab’s',
  );
  return `overrides ${names.join(' and ')}`;
}

/** The files a new session gets, ordered by path, as the preview lists them. */
export interface PreviewRow {
  readonly path: string;
  /** `~/.bashrc` or `/etc/profile`. */
  readonly shown: string;
  readonly source: string;
  readonly scope: DotfilePreviewEntry['scope'];
  readonly overrides: string;
  readonly detail: string;
}

/** The preview's rows: what, from which level, what it hides, its mode and size. */
export function previewRows(files: readonly DotfilePreviewEntry[]): readonly PreviewRow[] {
  return [...files]
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((file) => ({
      path: file.path,
      shown: displayDotfilePath(file.path),
      source: sourceWords(file),
      scope: file.scope,
      overrides: overridesText(file),
      detail: `mode ${file.mode} · ${formatBytes(file.bytes)}`,
    }));
}

/**
 * A session start's dotfiles in one sentence, for the toast after Start:
 * "Dotfiles (group ml): 3 files written; skipped ~/.x (it would be inside a mounted folder)."
 */
export function reportText(report: DotfileReport): string {
  const written = `${report.written} ${report.written === 1 ? 'file' : 'files'} written`;
  const skipped = report.skipped.map(
    (s) => `${displayDotfilePath(s.path)} (${s.reason.replace(/\.$/, '')})`,
  );
  const tail = skipped.length === 0 ? '' : `; skipped ${skipped.join(', ')}`;
  return `Dotfiles (group ${report.group}): ${written}${tail}.`;
}
