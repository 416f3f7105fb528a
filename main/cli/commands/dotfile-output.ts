import type {
  DotfilePreview,
  DotfilePreviewEntry,
  DotfileSummary,
} from '../../../common/dotfiles/dotfile-store';
import { displayDotfilePath } from '../../../common/dotfiles/dotfile-changes';
import { terminalSafe } from '../../../common/text/terminal-safe';
import { table, type CliIo } from '../cli-io';
import { sizeText } from './folder-output';

/**
 * What `labdeck dotfile …` prints: the stable `--json` shapes of the issue (exactly these keys,
 * in this order; changed only by adding keys) and the tables a person reads, paths shown as
 * `~/PATH` for home files and levels as `--scope` takes them.
 */

/** The `dotfile ls --json` shape of one dotfile. */
export function dotfileJson(file: DotfileSummary): Record<string, unknown> {
  return {
    scope: file.scope,
    group: file.group,
    path: file.path,
    mode: file.mode,
    bytes: file.bytes,
    updatedAt: file.updatedAt,
  };
}

/** The `dotfile preview --json` shape of one file of the merged set. */
export function previewJson(entry: DotfilePreviewEntry): Record<string, unknown> {
  return {
    path: entry.path,
    scope: entry.scope,
    group: entry.group,
    mode: entry.mode,
    bytes: entry.bytes,
  };
}

/** A level as `--scope` takes it: `user`, `group:vision`, `domain`. */
export function scopeWord(level: { scope: string; group: string | null }): string {
  return level.scope === 'group' ? `group:${level.group ?? ''}` : level.scope;
}

/** `2026-12-02 14:03 UTC`: when, to the minute, in the words a conflict message uses. */
export function minuteUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The dotfiles as a table, or how to add one when there are none. */
export function printDotfiles(
  files: readonly DotfileSummary[],
  host: string,
  scope: string | undefined,
  io: CliIo,
): void {
  if (files.length === 0) {
    const where = scope === undefined ? '' : ` at ${scope} scope`;
    io.out(
      terminalSafe(
        `No dotfiles on ${host}${where}. Add one with: labdeck dotfile set ${host} .bashrc --file ~/.bashrc\n`,
      ),
    );
    return;
  }
  const rows = [['SCOPE', 'PATH', 'MODE', 'SIZE', 'UPDATED']];
  for (const f of files)
    rows.push([
      scopeWord(f),
      displayDotfilePath(f.path),
      f.mode,
      sizeText(f.bytes),
      `${minuteUtc(f.updatedAt)} by ${f.updatedBy}`,
    ]);
  io.out(table(rows));
}

/** The merged set a new session gets, each file's level and what it hides. */
export function printPreview(preview: DotfilePreview, host: string, io: CliIo): void {
  const files = preview.files;
  const head = `A new session on ${host} (group ${preview.group}) gets`;
  if (files.length === 0) {
    io.out(terminalSafe(`${head} no dotfiles.\n`));
    return;
  }
  io.out(terminalSafe(`${head} ${files.length === 1 ? '1 file' : `${files.length} files`}:\n`));
  const rows = [['PATH', 'FROM', 'MODE', 'SIZE', 'OVERRIDES']];
  for (const f of files)
    rows.push([
      displayDotfilePath(f.path),
      scopeWord(f),
      f.mode,
      sizeText(f.bytes),
      f.overrides.length === 0 ? '-' : f.overrides.map(scopeWord).join(', '),
    ]);
  io.out(table(rows));
}
