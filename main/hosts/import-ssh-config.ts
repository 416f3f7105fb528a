import type { HostSummary } from '../../common/hosts/host-summary';
import { sshHostInputSchema, type SshHostInput } from '../../common/hosts/host-config';
import { toAppError } from '../../common/contract/result';
import { describeIssues } from '../../common/contract/validation';
import { parseSshConfig, type ImportedHost, type SshConfigOptions } from '../ssh/ssh-config';
import type { HostsService } from './hosts-service';

/** A host the import left out or imported with a caveat, and why. */
interface Skip {
  host: string;
  reason: string;
}

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
 * Adds every usable `Host` of an ssh_config file. Hosts that already exist (by name) are
 * skipped, as are hosts the file describes in ways LabDeck cannot use; each skip says why.
 * Settings LabDeck ignores on an imported host are returned as warnings.
 */
export async function importSshConfig(
  hosts: HostsService,
  path: string,
  options: SshConfigOptions & { localUser: string },
): Promise<{ added: HostSummary[]; skipped: Skip[]; warnings: Skip[] }> {
  const parsed = await parseSshConfig(path, options);
  const skipped: Skip[] = [];
  const warnings: Skip[] = [];
  for (const problem of parsed.problems) {
    const entry = {
      host: problem.host || '(file)',
      reason: problem.message.replace(/^not imported: /, ''),
    };
    (problem.message.startsWith('not imported:') ? skipped : warnings).push(entry);
  }
  const added: HostSummary[] = [];
  for (const host of parsed.hosts) {
    const input = sshHostInputSchema.safeParse(inputFor(host, options.localUser));
    if (!input.success) {
      skipped.push({ host: host.name, reason: describeIssues(input.error) });
      continue;
    }
    try {
      added.push(await hosts.add(input.data));
    } catch (error) {
      skipped.push({ host: host.name, reason: toAppError(error).message });
    }
  }
  return { added, skipped, warnings };
}
