import type { Client } from '../../../common/contract/client';
import type { Terminal, TerminalTarget } from '../../../common/contract/terminals';
import { terminalSafe } from '../../../common/text/terminal-safe';
import type { ParsedArgs } from '../cli-args';
import { EXIT_FAILURE, jsonText, UsageError, table, valueOrReport, type CliIo } from '../cli-io';
import { withCliClient } from '../cli-services';
import { connectEveryHost } from '../connect-every-host';
import { relativeAge } from '../relative-age';
import { attachTerminal, DEFAULT_TERMINAL_SIZE, stdoutSize } from '../terminal-attach';
import type { CommandContext } from './command-table';

/** A terminal's id as the agent makes it (common/agent/terminal-agent.ts), checked before connecting. */
const TERMINAL_ID = /^[0-9a-f]{12}$/;

function printTerminals(terminals: readonly Terminal[], io: CliIo): void {
  if (terminals.length === 0) {
    io.out(
      'No terminals. Open one with: labdeck terminal SESSION, or labdeck terminal --host HOST\n',
    );
    return;
  }
  const rows = [['ID', 'TARGET', 'STATE', 'ATTACHED', 'SIZE', 'AGE', 'TITLE']];
  for (const t of terminals)
    rows.push([
      t.id,
      t.target,
      t.state === 'exited' ? `exited (${t.exitCode ?? 'killed'})` : t.state,
      String(t.attached),
      `${t.cols}x${t.rows}`,
      relativeAge(t.createdAt),
      t.title,
    ]);
  io.out(table(rows));
}

/** The terminal the command line names, or a usage error saying what an id looks like. */
function terminalId(args: ParsedArgs): string {
  const id = args.positionals[0] ?? '';
  if (!TERMINAL_ID.test(id))
    throw new UsageError(
      `terminal ${args.verb ?? ''}: "${id}" is not a terminal id (12 hex digits, as \`labdeck terminal ls\` lists them)`,
    );
  return id;
}

/** Where `labdeck terminal [SESSION] [--host HOST]` opens one; a usage error when neither is given. */
function openTarget(args: ParsedArgs): TerminalTarget {
  const [session] = args.positionals;
  const host = args.values.get('host');
  if (session !== undefined) return { kind: 'session', session, ...(host ? { hostId: host } : {}) };
  if (host !== undefined) return { kind: 'host', hostId: host };
  throw new UsageError('terminal needs SESSION, or --host HOST for a login shell on a host');
}

/** Opens a terminal and attaches to it. */
async function open(
  client: Client,
  target: TerminalTarget,
  io: CliIo,
  throughApp: boolean,
): Promise<number> {
  // A session named without its host may be on any of them.
  if (target.kind === 'session' && target.hostId === undefined && !throughApp)
    await connectEveryHost(client, io);
  const opened = valueOrReport(
    io,
    await client.request('terminals:open', { target, ...(stdoutSize() ?? DEFAULT_TERMINAL_SIZE) }),
  );
  if (!opened) return EXIT_FAILURE;
  if (process.stdin.isTTY)
    io.err(
      terminalSafe(
        `Terminal ${opened.id} on ${opened.target}; type ~. at the start of a line to detach.\n`,
      ),
    );
  return attachTerminal(client, opened, io);
}

/** `labdeck terminal …`, its words already checked against the command table: the exit status. */
export async function terminalCommand(
  args: ParsedArgs,
  client: Client,
  io: CliIo,
  throughApp: boolean,
): Promise<number> {
  const host = args.values.get('host');
  switch (args.verb) {
    case undefined:
      return open(client, openTarget(args), io, throughApp);
    case 'attach': {
      const id = terminalId(args);
      if (!host && !throughApp) await connectEveryHost(client, io);
      return attachTerminal(client, { id, hostId: host }, io);
    }
    case 'ls': {
      if (!throughApp) await connectEveryHost(client, io);
      const listed = valueOrReport(io, await client.request('terminals:list', {}));
      if (!listed) return EXIT_FAILURE;
      // The contract's objects as they are: every key always present, keys only ever added.
      if (args.flags.has('json')) io.out(`${jsonText(listed.terminals, 2)}\n`);
      else printTerminals(listed.terminals, io);
      for (const { host, message } of listed.unreachable)
        io.err(terminalSafe(`labdeck: could not list the terminals on ${host}: ${message}\n`));
      return listed.unreachable.length > 0 ? EXIT_FAILURE : 0;
    }
    case 'close': {
      const id = terminalId(args);
      if (!host && !throughApp) await connectEveryHost(client, io);
      const closed = valueOrReport(
        io,
        await client.request('terminals:close', { id, ...(host ? { hostId: host } : {}) }),
      );
      if (!closed) return EXIT_FAILURE;
      io.out(closed.closed ? `Closed terminal ${id}.\n` : `Terminal ${id} had already ended.\n`);
      return 0;
    }
    default:
      throw new Error(`terminal ${args.verb}: not implemented`);
  }
}

/** `labdeck terminal …` as the command table runs it, through a running LabDeck when there is one. */
export function run(_args: string[], context: CommandContext): Promise<number> {
  const { parsed } = context;
  // Mistakes are said before anything connects.
  if (parsed.verb === undefined) openTarget(parsed);
  else if (parsed.verb !== 'ls') terminalId(parsed);
  return withCliClient(context, (client, services) =>
    terminalCommand(parsed, client, context.io, services === undefined),
  );
}
