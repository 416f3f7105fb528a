import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Client } from '../../../common/contract/client';
import type { RequestOutput } from '../../../common/contract/contract';
import { toAppError } from '../../../common/contract/result';
import { describeConnection } from '../../../common/hosts/connection-state';
import type { DoctorReport, DoctorStep } from '../../../common/hosts/doctor-report';
import type { HostSummary } from '../../../common/hosts/host-summary';
import { parseJumpHops, type JumpHop } from '../../ssh/jump-spec';
import { terminalSafe } from '../../../common/text/terminal-safe';
import { EXIT_FAILURE, UsageError, table, valueOrReport, type CliIo } from '../cli-io';
import { withCliClient } from '../cli-services';
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

/** Parses a `--ssh`/`--jump` value; a malformed one is a usage mistake (exit 2), not a failure. */
function hopsOf(spec: string, flag: string): JumpHop[] {
  try {
    return parseJumpHops(spec);
  } catch (error) {
    throw new UsageError(`${flag}: ${(error as Error).message}`);
  }
}

function oneHop(spec: string, flag: string): { user: string; hostname: string; port: number } {
  const hops = hopsOf(spec, flag);
  if (hops.length !== 1 || !hops[0])
    throw new UsageError(`${flag} takes one USER@HOST[:PORT] (got "${spec}")`);
  return {
    user: hops[0].user ?? userInfo().username,
    hostname: hops[0].hostname,
    port: hops[0].port,
  };
}

/** What `host` may do in-process, outside the bridge's requests. */
export interface HostCommandLocal {
  /** Imports an ssh_config file the user named with `--file` (never offered over the bridge). */
  importSshConfigFile(path: string): Promise<RequestOutput<'hosts:import-ssh-config'>>;
}

/** `labdeck host …`: returns the exit status. */
export async function hostCommand(
  args: string[],
  client: Client,
  io: CliIo,
  local: HostCommandLocal,
): Promise<number> {
  const [verb, ...rest] = args;
  switch (verb) {
    case 'ls': {
      const { values } = parseArgs({
        args: rest,
        options: { json: { type: 'boolean', default: false } },
        strict: true,
      });
      const hosts = valueOrReport(io, await client.request('hosts:list', {}));
      if (!hosts) return EXIT_FAILURE;
      if (values.json) io.out(`${JSON.stringify(hosts.map(hostJson), null, 2)}\n`);
      else printHosts(hosts, io);
      return 0;
    }
    case 'add': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: {
          ssh: { type: 'string' },
          identity: { type: 'string' },
          jump: { type: 'string' },
        },
        allowPositionals: true,
        strict: true,
      });
      const [name] = positionals;
      if (!name || positionals.length > 1) throw new UsageError('host add takes exactly one NAME');
      if (!values.ssh) throw new UsageError('host add needs --ssh USER@HOST[:PORT]');
      const target = oneHop(values.ssh, '--ssh');
      const jump = values.jump
        ? hopsOf(values.jump, '--jump').map((h) => ({
            user: h.user ?? userInfo().username,
            hostname: h.hostname,
            port: h.port,
          }))
        : [];
      const added = valueOrReport(
        io,
        await client.request('hosts:add', {
          name,
          ...target,
          identityFile: values.identity ?? null,
          jump,
        }),
      );
      if (!added) return EXIT_FAILURE;
      io.out(
        `Added ${added.name} (${added.address}). Connect with: labdeck host connect ${added.name}\n`,
      );
      return 0;
    }
    case 'import-ssh-config': {
      const { values } = parseArgs({
        args: rest,
        options: { file: { type: 'string' } },
        strict: true,
      });
      const result = valueOrReport(
        io,
        values.file
          ? await local.importSshConfigFile(resolve(values.file)).then(
              (value) => ({ ok: true as const, value }),
              (error: unknown) => ({ ok: false as const, error: toAppError(error) }),
            )
          : await client.request('hosts:import-ssh-config', {}),
      );
      if (!result) return EXIT_FAILURE;
      // Names and reasons come from a file the user named: print them terminal-safe too.
      const line = (label: string, host: string, text: string): void =>
        io.out(terminalSafe(`${label.padEnd(9)}${host}${text}`).replace(/\n/g, ' ') + '\n');
      for (const h of result.added) line('added', h.name, ` (${h.address})`);
      for (const s of result.skipped) line('skipped', s.host, `: ${s.reason}`);
      for (const w of result.warnings) line('note', w.host, `: ${w.reason}`);
      io.out(`${result.added.length} added, ${result.skipped.length} skipped\n`);
      return 0;
    }
    case 'trust-key': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { fingerprint: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      });
      const [name] = positionals;
      if (!name || positionals.length > 1)
        throw new UsageError('host trust-key takes exactly one NAME');
      if (!values.fingerprint)
        throw new UsageError(
          'host trust-key needs --fingerprint SHA256:… (the one you verified with the administrator)',
        );
      const replaced = valueOrReport(
        io,
        await client.request('hosts:replace-host-key', {
          hostId: name,
          fingerprint: values.fingerprint,
        }),
      );
      if (!replaced) return EXIT_FAILURE;
      io.out(
        `Recorded the new key of ${name} (${replaced.fingerprint}). Connect with: labdeck host connect ${name}\n`,
      );
      return 0;
    }
    case 'check': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { json: { type: 'boolean', default: false } },
        allowPositionals: true,
        strict: true,
      });
      const [name] = positionals;
      if (!name || positionals.length > 1)
        throw new UsageError('host check takes exactly one NAME');
      const report = valueOrReport(io, await client.request('hosts:check', { hostId: name }));
      if (!report) return EXIT_FAILURE;
      if (values.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
      else printReport(report, io);
      return report.steps.some((s) => s.status === 'fail') ? EXIT_FAILURE : 0;
    }
    case 'connect':
    case 'rm': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true });
      const [name] = positionals;
      if (!name || positionals.length > 1)
        throw new UsageError(`host ${verb} takes exactly one NAME`);
      if (verb === 'rm') {
        if (!valueOrReport(io, await client.request('hosts:remove', { hostId: name })))
          return EXIT_FAILURE;
        io.out(`Removed ${name}.\n`);
        return 0;
      }
      io.err(`Connecting to ${name}…\n`);
      const connected = valueOrReport(io, await client.request('hosts:connect', { hostId: name }));
      if (!connected) return EXIT_FAILURE;
      printHosts([connected], io);
      return 0;
    }
    default:
      throw new UsageError(verb ? `unknown host command "${verb}"` : 'missing host command');
  }
}

/**
 * `labdeck host …` as the command table runs it: through a running LabDeck when there is one,
 * except `import-ssh-config --file`, which reads a file the bridge never offers to read.
 */
export function run(args: string[], context: CommandContext): Promise<number> {
  const readsFile =
    args[0] === 'import-ssh-config' &&
    args.some((word) => word === '--file' || word.startsWith('--file='));
  return withCliClient(
    context,
    (client, services) => hostCommand(args, client, context.io, services ?? NO_FILES),
    { app: !readsFile },
  );
}

/** Stands in for the services when a running LabDeck answers; `run` never lets it be called. */
const NO_FILES: HostCommandLocal = {
  importSshConfigFile: () => Promise.reject(new Error('import-ssh-config --file runs in-process')),
};
