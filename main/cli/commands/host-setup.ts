import type { Client } from '../../../common/contract/client';
import type { RequestInput } from '../../../common/contract/contract';
import type {
  HostSetupReport,
  SetupChange,
  SetupCheck,
  VolumeRequest,
} from '../../../common/host-setup/setup-report';
import { terminalSafe } from '../../../common/text/terminal-safe';
import { absolutePathSchema, volumeNameSchema } from '../../../common/host-setup/lab-config';
import type { ParsedArgs } from '../cli-args';
import { EXIT_FAILURE, jsonText, UsageError, valueOrReport, type CliIo } from '../cli-io';

const CHANGE_MARKS: Readonly<Record<SetupChange['status'], string>> = {
  done: 'done     ',
  unchanged: 'unchanged',
  planned: 'would    ',
  restored: 'restored ',
  removed: 'removed  ',
  kept: 'kept     ',
};

const CHECK_MARKS: Readonly<Record<SetupCheck['status'], string>> = {
  pass: 'ok  ',
  warn: 'warn',
  fail: 'FAIL',
};

/** `--volume NAME=PATH`, each split at its first `=`; a word without one is refused by name. */
export function parseVolumes(words: readonly string[]): VolumeRequest[] {
  return words.map((word) => {
    const at = word.indexOf('=');
    if (at <= 0 || at === word.length - 1)
      throw new UsageError(
        `--volume ${word}: must be NAME=PATH, such as --volume scratch=/data/scratch.`,
      );
    const volume = { name: word.slice(0, at), path: word.slice(at + 1) };
    const name = volumeNameSchema.safeParse(volume.name);
    if (!name.success)
      throw new UsageError(
        `--volume ${word}: NAME ${name.error.issues[0]?.message ?? 'is not valid'}.`,
      );
    const path = absolutePathSchema.safeParse(volume.path);
    if (!path.success)
      throw new UsageError(
        `--volume ${word}: PATH ${path.error.issues[0]?.message ?? 'is not valid'}.`,
      );
    return volume;
  });
}

/** The request `host setup NAME …` makes. */
export function setupInput(args: ParsedArgs, hostId: string): RequestInput<'hosts:setup'> {
  if (args.flags.has('dry-run') && args.flags.has('undo'))
    throw new UsageError('--dry-run and --undo do not go together: choose one.');
  const lab = args.values.get('lab');
  const root = args.values.get('root');
  return {
    hostId,
    mode: args.flags.has('undo') ? 'undo' : args.flags.has('dry-run') ? 'dry-run' : 'setup',
    volumes: parseVolumes(args.lists.get('volume') ?? []),
    ...(lab === undefined ? {} : { lab }),
    ...(root === undefined ? {} : { root }),
  };
}

/** The last line: what happened, in one sentence. */
function verdict(report: HostSetupReport, hostName: string): string {
  const count = (status: SetupChange['status']) =>
    report.changes.filter((change) => change.status === status).length;
  switch (report.mode) {
    case 'dry-run': {
      const planned = count('planned');
      return planned === 0
        ? `Dry run: nothing to change, ${hostName} is already set up for LabDeck ${report.version}.`
        : `Dry run: ${planned} changes would be made; nothing was changed. Run again without --dry-run to make them.`;
    }
    case 'undo':
      return report.changed
        ? `Undone: ${count('removed')} removed, ${count('restored')} restored, ${count('kept')} kept.`
        : 'Nothing to undo.';
    case 'setup':
      return report.changed
        ? `${hostName} is set up for LabDeck ${report.version}: ${count('done')} changes made.`
        : `Nothing changed: ${hostName} is already set up for LabDeck ${report.version}.`;
  }
}

/** The report as a person reads it: each change, each check with its fix, then the verdict. */
export function printSetupReport(report: HostSetupReport, hostName: string, io: CliIo): void {
  const lines: string[] = [];
  for (const change of report.changes) {
    lines.push(`${CHANGE_MARKS[change.status]}  ${change.title}`);
    if (change.detail) lines.push(`           ${change.detail}`);
  }
  if (report.checks.length > 0) lines.push('', 'Checks:');
  for (const check of report.checks) {
    lines.push(`${CHECK_MARKS[check.status]}  ${check.title}: ${check.detail}`);
    if (check.fix && check.status !== 'pass') lines.push(`      fix: ${check.fix}`);
  }
  lines.push('', verdict(report, hostName), '');
  io.out(terminalSafe(lines.join('\n')));
}

/** `labdeck host setup NAME …`: the exit status. */
export async function hostSetupCommand(
  args: ParsedArgs,
  hostId: string,
  client: Client,
  io: CliIo,
): Promise<number> {
  const input = setupInput(args, hostId);
  if (!args.flags.has('json')) io.err(`Running host setup on ${hostId} as root…\n`);
  const report = valueOrReport(io, await client.request('hosts:setup', input));
  if (!report) return EXIT_FAILURE;
  if (args.flags.has('json')) io.out(`${jsonText(report, 2)}\n`);
  else printSetupReport(report, hostId, io);
  return 0;
}
