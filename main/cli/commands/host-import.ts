import { resolve } from 'node:path';
import type { Client } from '../../../common/contract/client';
import type { RequestOutput } from '../../../common/contract/contract';
import { toAppError, type Result } from '../../../common/contract/result';
import type { ImportCandidate, ImportHop } from '../../../common/hosts/ssh-config-import';
import { terminalSafe } from '../../../common/text/terminal-safe';
import type { ParsedArgs } from '../cli-args';
import { EXIT_FAILURE, UsageError, table, valueOrReport, type CliIo } from '../cli-io';

/** What `host import-ssh-config --file` does in-process, outside the bridge's requests. */
export interface HostImportLocal {
  /** Imports an ssh_config file the user named with `--file` (never offered over the bridge). */
  importSshConfigFile(
    path: string,
    names?: readonly string[],
  ): Promise<RequestOutput<'hosts:import-ssh-config'>>;
  /** Lists what importing that file would add, adding nothing. */
  previewSshConfigFile(path: string): Promise<RequestOutput<'hosts:preview-import'>>;
}

/**
 * `labdeck host import-ssh-config [--file PATH] [--dry-run] [--only NAME,…]`: `--dry-run` lists
 * every host as it would be added and adds nothing; `--only` adds just the hosts named.
 */
export async function importSshConfigCommand(
  { flags, values }: ParsedArgs,
  client: Client,
  io: CliIo,
  local: HostImportLocal,
): Promise<number> {
  const file = values.get('file');
  const only = values.get('only');
  const names = only === undefined ? undefined : onlyNames(only);
  if (flags.has('dry-run')) {
    const preview = valueOrReport(
      io,
      file !== undefined
        ? await settle(local.previewSshConfigFile(resolve(file)))
        : await client.request('hosts:preview-import', {}),
    );
    if (!preview) return EXIT_FAILURE;
    printPreview(preview, io, names);
    return 0;
  }
  const result = valueOrReport(
    io,
    file !== undefined
      ? await settle(local.importSshConfigFile(resolve(file), names))
      : await client.request('hosts:import-ssh-config', names ? { names } : {}),
  );
  if (!result) return EXIT_FAILURE;
  for (const h of result.added) line(io, 'added', h.name, ` (${h.address})`);
  for (const s of result.skipped) line(io, 'skipped', s.host, `: ${s.reason}`);
  for (const w of result.warnings) line(io, 'note', w.host, `: ${w.reason}`);
  io.out(`${result.added.length} added, ${result.skipped.length} skipped\n`);
  return 0;
}

function onlyNames(spec: string): string[] {
  const names = spec.split(',').map((n) => n.trim());
  if (names.some((n) => n === ''))
    throw new UsageError(`--only takes host names separated by commas (got "${spec}")`);
  return names;
}

function settle<T>(promise: Promise<T>): Promise<Result<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error: toAppError(error) }),
  );
}

/** Names and reasons come from a file the user named: printed terminal-safe, one line each. */
function line(io: CliIo, label: string, host: string, text: string): void {
  io.out(terminalSafe(`${label.padEnd(9)}${host}${text}`).replace(/\n/g, ' ') + '\n');
}

/** The preview as a table (host, address, jump chain, what importing would do), then caveats. */
function printPreview(
  preview: RequestOutput<'hosts:preview-import'>,
  io: CliIo,
  names: readonly string[] | undefined,
): void {
  const picked = (c: ImportCandidate): boolean => !names || names.includes(c.host.name);
  const shown = preview.candidates.filter(picked);
  if (shown.length === 0) io.out(`${preview.file} names no host LabDeck can add.\n`);
  else {
    const rows = [['HOST', 'ADDRESS', 'VIA', 'IMPORT']];
    for (const c of shown) rows.push([c.host.name, address(c.host), via(c.via), action(c)]);
    io.out(table(rows));
  }
  for (const c of shown) for (const note of c.notes) line(io, 'note', c.host.name, `: ${note}`);
  for (const s of preview.skipped) line(io, 'skipped', s.host, `: ${s.reason}`);
  for (const note of preview.fileNotes) line(io, 'note', '(file)', `: ${note}`);
  const adding = shown.filter((c) => !c.existing).length;
  io.out(
    `Would add ${adding} host${adding === 1 ? '' : 's'}; ${shown.length - adding} already in LabDeck, ${preview.skipped.length} cannot be imported. Nothing was added (--dry-run).\n`,
  );
}

function action(c: ImportCandidate): string {
  if (!c.existing) return 'add';
  return c.existing.differences.length === 0
    ? 'already in LabDeck (same)'
    : `already in LabDeck, differs: ${c.existing.differences.join('; ')}`;
}

function address(hop: Omit<ImportHop, 'name'>): string {
  const host = hop.hostname.includes(':') ? `[${hop.hostname}]` : hop.hostname;
  return hop.port === 22 ? `${hop.user}@${hop.hostname}` : `${hop.user}@${host}:${hop.port}`;
}

function via(hops: readonly ImportHop[]): string {
  return hops.length === 0 ? '-' : hops.map((h) => h.name).join(' → ');
}
