import type {
  DotfilePreview,
  DotfilePreviewEntry,
  DotfileSummary,
} from '../../../common/dotfiles/dotfile-store';
import { displayDotfilePath, displayTime } from '../../../common/dotfiles/dotfile-changes';
import { terminalSafe } from '../../../common/text/terminal-safe';
import { oneLine, table, type CliIo } from '../cli-io';
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

/** Which sessions get a file just set: every level above it may set the same path. */
function whoGetsIt(host: string, file: DotfileSummary): string {
  switch (file.scope) {
    case 'user':
      return 'Sessions started from now on get it.';
    case 'group': {
      const group = oneLine(file.group ?? '');
      return `New sessions with group ${group} get it, unless the user's own dotfiles have the same path (what yours get: labdeck dotfile preview ${host} --group ${group}).`;
    }
    case 'domain':
      return `New sessions get it, unless a group's or the user's own dotfiles have the same path (what yours get: labdeck dotfile preview ${host}).`;
  }
}

/** What `dotfile set` says it did on `host`, and which new sessions get the file. */
export function setText(host: string, file: DotfileSummary): string {
  const where = `${oneLine(displayDotfilePath(file.path))} (${oneLine(scopeWord(file))})`;
  return `Set ${where} on ${oneLine(host)}: mode ${oneLine(file.mode)}, ${sizeText(file.bytes)}. ${whoGetsIt(oneLine(host), file)}\n`;
}

/** What `dotfile rm` says it did on `host`. */
export function removedText(host: string, file: DotfileSummary): string {
  const where = `${oneLine(displayDotfilePath(file.path))} (${oneLine(scopeWord(file))})`;
  return `Removed ${where} from ${oneLine(host)}.\n`;
}

/**
 * The warning `dotfile set` prints (on stderr) when the local file has Windows line ends: bash
 * in a session would read each `\r` as part of the line. The text is kept as it is (what was
 * set is what `dotfile show` prints); the warning says how to fix it. Undefined without CRLF.
 */
export function crlfWarning(local: string, content: string): string | undefined {
  const lines = content.split('\r\n').length - 1;
  if (lines === 0) return undefined;
  const file = oneLine(local);
  return (
    `warning: ${file} has Windows line ends (CRLF, on ${lines === 1 ? '1 line' : `${lines} lines`}): ` +
    "in a session bash and most tools read the \\r as part of the line ($'\\r': command not found). " +
    `LabDeck kept the text as it is. To fix it, convert the file (dos2unix ${file}, or sed -i 's/\\r$//' ${file}) and set it again.\n`
  );
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
      `${displayTime(f.updatedAt)} by ${f.updatedBy}`,
    ]);
  io.out(table(rows));
}

/** The merged set a new session gets, each file's level and what it hides. */
export function printPreview(preview: DotfilePreview, host: string, io: CliIo): void {
  const files = preview.files;
  const head = `A new session on ${oneLine(host)} (group ${oneLine(preview.group)}) gets`;
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
