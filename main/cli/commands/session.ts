import type { Client } from '../../../common/contract/client';
import type { Session, StartedSession } from '../../../common/contract/sessions';
import { displayDotfilePath } from '../../../common/dotfiles/dotfile-changes';
import { terminalSafe } from '../../../common/text/terminal-safe';
import type { ParsedArgs } from '../cli-args';
import {
  EXIT_FAILURE,
  jsonText,
  oneLine,
  printError,
  table,
  valueOrReport,
  type CliIo,
} from '../cli-io';
import { withCliClient } from '../cli-services';
import { connectEveryHost } from '../connect-every-host';
import { relativeAge } from '../relative-age';
import type { CommandContext } from './command-table';
import { groupArg } from './dotfile-args';
import { mountArgs } from './folder-args';
import { pullCommand } from './session-pull';

/**
 * The stable `--json` shape of a session (`session start --json` prints one, `session ls --json`
 * an array): every key always present, null where unknown. Documented in the README; change only
 * by adding keys.
 */
export function sessionJson(session: Session): Record<string, unknown> {
  return {
    id: session.id,
    name: session.name,
    host: session.host,
    owner: session.owner,
    image: session.image,
    status: session.status,
    gpuShares: session.gpuShares,
    enforcement: session.enforcement,
    ports: session.ports.map((port) => ({
      name: port.name,
      protocol: port.protocol,
      containerPort: port.containerPort,
      localUrl: port.localUrl,
    })),
    createdAt: session.createdAt,
    mine: session.mine,
    statusText: session.statusText,
    containerId: session.containerId,
    mounts: session.mounts.map((mount) => ({
      name: mount.name,
      target: mount.target,
      readOnly: mount.readOnly,
    })),
  };
}

/**
 * What became of a started session's dotfiles, in words: how many were written for which
 * group, then each file skipped and why (a file inside a folder mounted from the host).
 */
export function dotfileReportText(report: StartedSession['dotfiles']): string {
  // Each value from the host kept within its line: a reason with a newline cannot fake one.
  const lines = [`Dotfiles: ${report.written} written (group ${oneLine(report.group)})\n`];
  for (const { path, reason } of report.skipped)
    lines.push(`  skipped ${oneLine(displayDotfilePath(path))}: ${oneLine(reason)}\n`);
  return lines.join('');
}

/** The tiers as the table says them: `none` is time-sharing, and says so. */
const ENFORCEMENT_WORDS: Readonly<Record<string, string>> = {
  exclusive: 'exclusive',
  mig: 'MIG',
  mps: 'CUDA MPS limits',
  hami: 'HAMi-core limits',
  none: 'shared, not enforced',
};

/** `GPU-47da…:0.75 GPU-ee79…:0.75`, short enough for a table cell. */
function sharesCell(shares: Readonly<Record<string, string>>): string {
  const entries = Object.entries(shares);
  if (entries.length === 0) return '-';
  return entries.map(([uuid, share]) => `${share}×${uuid.slice(0, 8)}`).join(' ');
}

function printSessions(sessions: readonly Session[], io: CliIo): void {
  if (sessions.length === 0) {
    io.out('No sessions. Start one with: labdeck session start HOST --image IMAGE\n');
    return;
  }
  const rows = [['NAME', 'HOST', 'OWNER', 'STATUS', 'GPUS', 'ENFORCEMENT', 'PORTS', 'AGE']];
  for (const s of sessions) {
    const ports = s.ports.map((p) =>
      p.localUrl ? `${p.name}→${p.localUrl}` : `${p.name}:${p.containerPort}`,
    );
    rows.push([
      s.name,
      s.host,
      s.mine ? s.owner : `${s.owner} (read-only)`,
      s.statusText,
      sharesCell(s.gpuShares),
      s.enforcement ? (ENFORCEMENT_WORDS[s.enforcement] ?? s.enforcement) : '-',
      ports.join(' ') || '-',
      relativeAge(s.createdAt),
    ]);
  }
  io.out(table(rows));
}

function printSession(session: Session, io: CliIo, json: boolean): void {
  if (json) io.out(`${jsonText(sessionJson(session), 2)}\n`);
  else printSessions([session], io);
}

/** Resolves when the user presses Ctrl+C (or the process is asked to stop). */
function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

/** Prints a session's output, following it until Ctrl+C with `--follow`. */
function logs(client: Client, args: ParsedArgs, io: CliIo): Promise<number> {
  const [session = ''] = args.positionals;
  const host = args.values.get('host');
  return new Promise((resolve) => {
    const interrupted = (): void => {
      control.close();
      finish(0);
    };
    const finish = (code: number): void => {
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      resolve(code);
    };
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    const control = client.openStream(
      'sessions:logs',
      { session, follow: args.flags.has('follow'), ...(host ? { hostId: host } : {}) },
      {
        data: (bytes) => {
          // Credit goes back once stdout took the bytes, so `| less` holds the stream back.
          process.stdout.write(bytes, () => control.ack(bytes.length));
        },
        end: (error) => {
          if (error) printError(io, error);
          finish(error ? EXIT_FAILURE : 0);
        },
      },
    );
  });
}

/** `labdeck session …`, its words already checked against the command table: the exit status. */
export async function sessionCommand(
  args: ParsedArgs,
  client: Client,
  io: CliIo,
  throughApp: boolean,
): Promise<number> {
  const { verb, flags, values, lists, positionals } = args;
  const json = flags.has('json');
  const host = values.get('host');
  const ref = { session: positionals[0] ?? '', ...(host ? { hostId: host } : {}) };
  const looksEverywhere =
    verb === 'ls'
      ? positionals[0] === undefined
      : !host && !['start', 'images', 'pull'].includes(verb ?? '');
  if (looksEverywhere && !throughApp) await connectEveryHost(client, io);
  switch (verb) {
    case 'start': {
      const ports = lists.get('port') ?? [];
      const mounts = mountArgs(lists.get('mount') ?? []);
      const optional = (name: string) => {
        const value = values.get(name);
        return value === undefined ? {} : { [name]: value };
      };
      if (!json) io.err(`Starting a session on ${positionals[0]}…\n`);
      const started = valueOrReport(
        io,
        await client.request('sessions:start', {
          hostId: positionals[0] ?? '',
          image: values.get('image') ?? '',
          ...optional('gpus'),
          ...optional('cpus'),
          ...optional('memory'),
          ...optional('shm'),
          ...optional('command'),
          ...optional('name'),
          ...(lists.has('env') ? { env: [...lists.get('env')!] } : {}),
          ...(ports.length > 0 ? { ports: ports.join(',') } : {}),
          ...(mounts.length > 0 ? { mounts } : {}),
          ...optional('group'),
        }),
      );
      if (!started) return EXIT_FAILURE;
      if (json) {
        io.out(`${jsonText({ ...sessionJson(started), dotfiles: started.dotfiles }, 2)}\n`);
        return 0;
      }
      printSession(started, io, false);
      io.out(dotfileReportText(started.dotfiles));
      if (started.ports.length > 0)
        io.out(
          `\nReach its services with: labdeck session forward ${started.name} ${started.ports[0]!.name}\n`,
        );
      return 0;
    }
    case 'ls': {
      const listed = valueOrReport(
        io,
        await client.request('sessions:list', positionals[0] ? { hostId: positionals[0] } : {}),
      );
      if (!listed) return EXIT_FAILURE;
      if (json) io.out(`${jsonText(listed.sessions.map(sessionJson), 2)}\n`);
      else printSessions(listed.sessions, io);
      for (const { host, message } of listed.unreachable)
        io.err(terminalSafe(`labdeck: could not list the sessions on ${host}: ${message}\n`));
      return listed.unreachable.length > 0 ? EXIT_FAILURE : 0;
    }
    case 'images': {
      const images = valueOrReport(
        io,
        await client.request('sessions:images', { hostId: positionals[0] ?? '' }),
      );
      if (!images) return EXIT_FAILURE;
      if (json) io.out(`${jsonText(images, 2)}\n`);
      else
        io.out(
          table([
            ['IMAGE', 'SIZE', 'SERVICE PORTS'],
            ...images.map((i) => [
              i.ref,
              `${(i.sizeBytes / 1e6).toFixed(0)} MB`,
              i.servicePorts ?? '-',
            ]),
          ]),
        );
      return 0;
    }
    case 'stop':
    case 'restart': {
      const done = valueOrReport(
        io,
        await client.request(verb === 'stop' ? 'sessions:stop' : 'sessions:restart', ref),
      );
      if (!done) return EXIT_FAILURE;
      printSession(done, io, json);
      return 0;
    }
    case 'rm': {
      const removed = valueOrReport(io, await client.request('sessions:remove', ref));
      if (!removed) return EXIT_FAILURE;
      if (json) io.out(`${jsonText(removed)}\n`);
      else io.out(`Removed ${ref.session}.\n`);
      return 0;
    }
    case 'logs':
      return logs(client, args, io);
    case 'pull':
      return pullCommand(client, positionals[0] ?? '', positionals[1] ?? '', io, json);
    case 'forward': {
      const localPort = values.get('local-port');
      if (localPort !== undefined && !/^\d{1,5}$/.test(localPort)) {
        printError(io, {
          code: 'invalid-port',
          message: `--local-port ${localPort} is not a port number (1–65535).`,
        });
        return EXIT_FAILURE;
      }
      const forward = valueOrReport(
        io,
        await client.request('sessions:forward', {
          ...ref,
          name: positionals[1] ?? '',
          ...(localPort !== undefined ? { localPort: Number(localPort) } : {}),
        }),
      );
      if (!forward) return EXIT_FAILURE;
      io.out(`${forward.localUrl}\n`);
      io.err(
        throughApp
          ? `Forwarded by the running LabDeck (it keeps the forward while it runs). Ctrl+C to leave.\n`
          : `Forwarding ${ref.session} ${forward.name} to ${forward.localUrl} until Ctrl+C.\n`,
      );
      await untilInterrupted();
      return 0;
    }
    default:
      throw new Error(`session ${verb ?? ''}: not implemented`);
  }
}

/** `labdeck session …` as the command table runs it, through a running LabDeck when there is one. */
export function run(_args: string[], context: CommandContext): Promise<number> {
  // A bad --mount or --group is a usage mistake said before anything connects.
  mountArgs(context.parsed.lists.get('mount') ?? []);
  const group = context.parsed.values.get('group');
  if (group !== undefined) groupArg('--group', group);
  return withCliClient(context, (client, services) =>
    sessionCommand(context.parsed, client, context.io, services === undefined),
  );
}
