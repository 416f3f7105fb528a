import { userInfo } from 'node:os';
import type { Client } from '../../../common/contract/client';
import type { RequestInput } from '../../../common/contract/contract';
import { describeConnection } from '../../../common/hosts/connection-state';
import type { DoctorReport, DoctorStep } from '../../../common/hosts/doctor-report';
import type { HostSummary } from '../../../common/hosts/host-summary';
import { terminalSafe } from '../../../common/text/terminal-safe';
import type { ParsedArgs } from '../cli-args';
import { EXIT_FAILURE, jsonText, table, valueOrReport, type CliIo } from '../cli-io';
import { withCliClient } from '../cli-services';
import { importSshConfigCommand, type HostImportLocal } from './host-import';
import { hostSetupCommand, setupInput } from './host-setup';
import { parseJumpTargets, parseSshTarget } from '../ssh-target';
import type { CommandContext } from './command-table';

/**
 * The stable `--json` shape of one host: every key always present, null where unknown, so
 * scripts can rely on it. Documented in the README; change only by adding keys.
 */
export function hostJson(host: HostSummary): Record<string, unknown> {
  return {
    id: host.id,
    name: host.name,
    kind: host.kind,
    address: host.address,
    connection: host.connection.phase,
    docker: {
      state: host.docker.state,
      version: host.docker.version,
      socket: host.docker.socket,
      message: host.docker.message,
      hint: host.docker.hint ?? null,
      checkedAt: host.docker.checkedAt,
    },
  };
}

const DOCKER_LABELS: Readonly<Record<HostSummary['docker']['state'], string>> = {
  unknown: 'not checked',
  reachable: 'reachable',
  'not-installed': 'not installed',
  'daemon-not-running': 'daemon not running',
  'permission-denied': 'permission denied',
  error: 'error',
};

function printHosts(hosts: readonly HostSummary[], io: CliIo): void {
  const rows = [['NAME', 'KIND', 'ADDRESS', 'CONNECTION', 'DOCKER']];
  for (const h of hosts) {
    const docker =
      DOCKER_LABELS[h.docker.state] + (h.docker.version ? ` (${h.docker.version})` : '');
    rows.push([h.name, h.kind, h.address ?? '-', describeConnection(h.connection), docker]);
  }
  io.out(table(rows));
  for (const h of hosts.filter((x) => x.docker.hint))
    io.out(terminalSafe(`\n${h.name}: ${h.docker.message}\n  fix: ${h.docker.hint}\n`));
}

const MARKS: Readonly<Record<DoctorStep['status'], string>> = {
  pass: 'ok  ',
  warn: 'warn',
  fail: 'FAIL',
  skip: '-   ',
};

function printReport(report: DoctorReport, io: CliIo): void {
  io.out(`Checking ${report.host}\n`);
  for (const step of report.steps) {
    io.out(
      `  ${MARKS[step.status]}  ${step.title.padEnd(26)} ${terminalSafe(step.detail)}${step.ms === undefined ? '' : ` (${step.ms} ms)`}\n`,
    );
    if (step.fix && step.status !== 'pass') io.out(`        fix: ${terminalSafe(step.fix)}\n`);
  }
}

/**
 * The new host of `host add NAME --ssh … [--identity …] [--jump …]`; a malformed --ssh or --jump
 * is a usage mistake naming the part that is wrong.
 */
function addInput({ positionals, values }: ParsedArgs): RequestInput<'hosts:add'> {
  const localUser = userInfo().username;
  const jump = values.get('jump');
  return {
    name: positionals[0] ?? '',
    ...parseSshTarget('--ssh', values.get('ssh') ?? '', localUser),
    identityFile: values.get('identity') ?? null,
    jump: jump === undefined ? [] : parseJumpTargets('--jump', jump, localUser),
  };
}

/** What `host` may do in-process, outside the bridge's requests. */
export type HostCommandLocal = HostImportLocal;

/** `labdeck host …`, its words already checked against the command table: the exit status. */
export async function hostCommand(
  args: ParsedArgs,
  client: Client,
  io: CliIo,
  local: HostCommandLocal,
): Promise<number> {
  const { verb, flags, values } = args;
  const [name = ''] = args.positionals;
  switch (verb) {
    case 'ls': {
      const hosts = valueOrReport(io, await client.request('hosts:list', {}));
      if (!hosts) return EXIT_FAILURE;
      if (flags.has('json')) io.out(`${jsonText(hosts.map(hostJson), 2)}\n`);
      else printHosts(hosts, io);
      return 0;
    }
    case 'add': {
      const added = valueOrReport(io, await client.request('hosts:add', addInput(args)));
      if (!added) return EXIT_FAILURE;
      io.out(
        `Added ${added.name} (${added.address}). Connect with: labdeck host connect ${added.name}\n`,
      );
      return 0;
    }
    case 'import-ssh-config':
      return importSshConfigCommand(args, client, io, local);
    case 'trust-key': {
      const replaced = valueOrReport(
        io,
        await client.request('hosts:replace-host-key', {
          hostId: name,
          fingerprint: values.get('fingerprint') ?? '',
        }),
      );
      if (!replaced) return EXIT_FAILURE;
      io.out(
        `Recorded the new key of ${name} (${replaced.fingerprint}). Connect with: labdeck host connect ${name}\n`,
      );
      return 0;
    }
    case 'check': {
      const report = valueOrReport(io, await client.request('hosts:check', { hostId: name }));
      if (!report) return EXIT_FAILURE;
      if (flags.has('json')) io.out(`${jsonText(report, 2)}\n`);
      else printReport(report, io);
      return report.steps.some((s) => s.status === 'fail') ? EXIT_FAILURE : 0;
    }
    case 'setup':
      return hostSetupCommand(args, name, client, io);
    case 'rm': {
      if (!valueOrReport(io, await client.request('hosts:remove', { hostId: name })))
        return EXIT_FAILURE;
      io.out(`Removed ${name}.\n`);
      return 0;
    }
    case 'connect': {
      io.err(`Connecting to ${name}…\n`);
      const connected = valueOrReport(io, await client.request('hosts:connect', { hostId: name }));
      if (!connected) return EXIT_FAILURE;
      printHosts([connected], io);
      return 0;
    }
    default:
      // The command table knows every verb; one it lists but this module lacks is a bug here.
      throw new Error(`host ${verb ?? ''}: not implemented`);
  }
}

/**
 * `labdeck host …` as the command table runs it: through a running LabDeck when there is one,
 * except `import-ssh-config --file`, which reads a file the bridge never offers to read.
 */
export function run(_args: string[], context: CommandContext): Promise<number> {
  const { parsed } = context;
  const readsFile = parsed.verb === 'import-ssh-config' && parsed.values.has('file');
  // A malformed --ssh/--jump is refused before anything starts or connects.
  if (parsed.verb === 'add') addInput(parsed);
  if (parsed.verb === 'setup') setupInput(parsed, parsed.positionals[0] ?? '');
  return withCliClient(
    context,
    (client, services) => hostCommand(parsed, client, context.io, services ?? NO_FILES),
    { app: !readsFile, showsConnections: parsed.verb === 'ls' },
  );
}

/** Stands in for the services when a running LabDeck answers; `run` never lets it be called. */
const NO_FILES: HostCommandLocal = {
  importSshConfigFile: () => Promise.reject(new Error('import-ssh-config --file runs in-process')),
  previewSshConfigFile: () => Promise.reject(new Error('import-ssh-config --file runs in-process')),
};
