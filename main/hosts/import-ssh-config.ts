import { toAppError } from '../../common/contract/result';
import { describeIssues } from '../../common/contract/validation';
import {
  sshHostInputSchema,
  type SshHostConfig,
  type SshHostInput,
} from '../../common/hosts/host-config';
import type {
  ImportCandidate,
  ImportNote,
  ImportPreview,
  ImportReport,
} from '../../common/hosts/ssh-config-import';
import type { HostSummary } from '../../common/hosts/host-summary';
import { parseSshConfig, type ImportedHost, type SshConfigOptions } from '../ssh/ssh-config';
import type { HostsService } from './hosts-service';

/** Where to read, and how the file is named to the user (`~/.ssh/config`). */
export type ImportOptions = SshConfigOptions & {
  readonly localUser: string;
  readonly shownAs?: string;
};

/** A host as `hosts.add` stores it, defaults filled in. */
type ParsedInput = ReturnType<typeof sshHostInputSchema.parse>;

/** The user LabDeck logs in as when the config names none: the local user, as ssh does. */
function inputFor(host: ImportedHost, localUser: string): SshHostInput {
  return {
    name: host.name,
    user: host.user ?? localUser,
    hostname: host.hostname,
    port: host.port,
    identityFile: host.identityFile?.[0] ?? null,
    identitiesOnly: host.identitiesOnly ?? false,
    jump: host.jump.map((hop) => ({
      user: hop.user ?? localUser,
      hostname: hop.hostname,
      port: hop.port,
    })),
  };
}

/**
 * What importing an ssh_config file would do, without adding anything: each host as LabDeck
 * would add it, with its jump chain and caveats; the hosts already in LabDeck under that name
 * and how they differ; the hosts it cannot add and why.
 */
export async function previewSshConfigImport(
  hosts: HostsService,
  path: string,
  options: ImportOptions,
): Promise<ImportPreview> {
  const parsed = await parseSshConfig(path, options);
  const skipped: ImportNote[] = [];
  const notes = new Map<string, string[]>();
  const fileNotes: string[] = [];
  // `~/.ssh/config:12` reads better than the home folder's full path, and says the same.
  const home = `${options.home.replace(/\/$/, '')}/`;
  for (const problem of parsed.problems) {
    const { host } = problem;
    const message = problem.message.replaceAll(home, '~/');
    if (!host) fileNotes.push(message);
    else if (message.startsWith('not imported: '))
      skipped.push({ host, reason: message.slice('not imported: '.length) });
    else notes.set(host, [...(notes.get(host) ?? []), message]);
  }
  const known = await hosts.list();
  const candidates: ImportCandidate[] = [];
  for (const host of parsed.hosts) {
    const input = sshHostInputSchema.safeParse(inputFor(host, options.localUser));
    if (!input.success) {
      skipped.push({ host: host.name, reason: describeIssues(input.error) });
      continue;
    }
    const same = known.find((k) => k.config && k.name.toLowerCase() === host.name.toLowerCase());
    candidates.push({
      host: input.data,
      via: input.data.jump.map((hop, i) => ({ name: host.jump[i]?.alias ?? hop.hostname, ...hop })),
      notes: notes.get(host.name) ?? [],
      existing: same?.config
        ? { id: same.id, name: same.name, differences: differences(same.config, input.data) }
        : null,
    });
  }
  return { file: options.shownAs ?? path, candidates, skipped, fileNotes };
}

/**
 * Adds the hosts of an ssh_config file: those named in `names`, or every new one. A host that
 * is already in LabDeck is left as it is, and the report says whether the file differs.
 */
export async function importSshConfig(
  hosts: HostsService,
  path: string,
  options: ImportOptions,
  names?: readonly string[],
): Promise<ImportReport> {
  const preview = await previewSshConfigImport(hosts, path, options);
  const chosen = names && new Set(names);
  const picked = (host: string): boolean => !chosen || chosen.has(host);
  const skipped = preview.skipped.filter((s) => picked(s.host));
  const warnings: ImportNote[] = preview.fileNotes.map((reason) => ({ host: '(file)', reason }));
  const added: HostSummary[] = [];
  for (const candidate of preview.candidates) {
    const { name } = candidate.host;
    if (!picked(name)) continue;
    if (candidate.existing) {
      skipped.push({ host: name, reason: alreadyThere(candidate.existing.differences) });
      continue;
    }
    try {
      added.push(await hosts.add(candidate.host));
      warnings.push(...candidate.notes.map((reason) => ({ host: name, reason })));
    } catch (error) {
      skipped.push({ host: name, reason: toAppError(error).message });
    }
  }
  const offered = new Set([
    ...preview.candidates.map((c) => c.host.name),
    ...preview.skipped.map((s) => s.host),
  ]);
  for (const name of chosen ?? [])
    if (!offered.has(name))
      skipped.push({ host: name, reason: `${preview.file} no longer names this host` });
  return { added, skipped, warnings };
}

/** Says in words that a host is already in LabDeck, and how the file's version differs. */
export function alreadyThere(differences: readonly string[]): string {
  return differences.length === 0
    ? 'already in LabDeck, with the same settings'
    : `already in LabDeck with other settings (${differences.join('; ')}); edit it there to change them`;
}

/** One phrase per setting where LabDeck's host and the file's differ. */
function differences(ours: SshHostConfig, file: ParsedInput): string[] {
  const out: string[] = [];
  const say = (what: string, mine: string, theirs: string): void => {
    if (mine !== theirs) out.push(`${what} ${mine} in LabDeck, ${theirs} in the file`);
  };
  say('user', ours.user, file.user);
  say('address', ours.hostname, file.hostname);
  say('port', `${ours.port}`, `${file.port}`);
  say('key', ours.identityFile ?? 'none', file.identityFile ?? 'none');
  say('IdentitiesOnly', yesNo(ours.identitiesOnly), yesNo(file.identitiesOnly));
  say('jump hosts', chain(ours.jump), chain(file.jump));
  return out;
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

function chain(hops: SshHostConfig['jump']): string {
  return hops.length === 0
    ? 'none'
    : hops.map((h) => `${h.user}@${h.hostname}:${h.port}`).join(' → ');
}
