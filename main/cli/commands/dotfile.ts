import type { Client } from '../../../common/contract/client';
import type { RequestName } from '../../../common/contract/contract';
import type {
  DotfileDocument,
  DotfilePreview,
  DotfileSummary,
} from '../../../common/dotfiles/dotfile-store';
import { terminalSafe } from '../../../common/text/terminal-safe';
import { EXIT_FAILURE, jsonText, valueOrReport, type CliIo } from '../cli-io';
import { withCliClient } from '../cli-services';
import type { CommandContext } from './command-table';
import { checkDotfileWords, dotfileCall, type DotfileCall } from './dotfile-args';
import {
  crlfWarning,
  dotfileJson,
  previewJson,
  printDotfiles,
  printPreview,
  removedText,
  scopeWord,
  setText,
} from './dotfile-output';

/** How `labdeck dotfile …` runs once its words are checked. */
export interface DotfileRun {
  readonly json: boolean;
  /** `dotfile show` prints the text as kept; on a terminal, without its escape sequences. */
  readonly raw: boolean;
  /** The path is a system file only the host's configuration can allow: ask it first. */
  readonly deferred: boolean;
  /** `--file` as typed (`dotfile set`), to name it in a warning. */
  readonly file?: string | undefined;
}

/**
 * Checks a path only the host can allow against its `dotfileSystemPaths` (`dotfiles:context`),
 * before anything is written: still a usage mistake (exit 2) when the host does not allow it.
 * A host without setup has no configuration to allow it: the request goes on, for main to say
 * `dotfiles-need-setup` with the host setup hint. False when the host could not be asked (its
 * error already printed).
 */
async function hostAllows(client: Client, call: DotfileCall, io: CliIo): Promise<boolean> {
  if (!('path' in call.input)) return true;
  const context = valueOrReport(
    io,
    await client.request('dotfiles:context', { hostId: call.input.hostId }),
  );
  if (context === undefined) return false;
  if (!context.configured) return true;
  const input = call.input as typeof call.input & { mode?: string; content?: string };
  checkDotfileWords(
    input,
    input.path,
    {
      ...(input.mode === undefined ? {} : { mode: input.mode }),
      ...(input.content === undefined ? {} : { content: input.content }),
    },
    context.systemPaths,
  );
  return true;
}

/** `labdeck dotfile …`, its words already checked: the exit status. */
export async function dotfileCommand(
  call: DotfileCall,
  client: Client,
  io: CliIo,
  how: DotfileRun,
): Promise<number> {
  if (how.deferred && !(await hostAllows(client, call, io))) return EXIT_FAILURE;
  const request = client.request as (
    channel: RequestName,
    input: unknown,
  ) => ReturnType<Client['request']>;
  const answer = valueOrReport(io, await request(call.channel, call.input));
  if (answer === undefined) return EXIT_FAILURE;
  const host = call.input.hostId;
  switch (call.channel) {
    case 'dotfiles:list': {
      const { files } = answer as { files: DotfileSummary[] };
      if (how.json) io.out(`${jsonText(files.map(dotfileJson), 2)}\n`);
      else {
        const { scope, group } = call.input;
        const shown = scope === undefined ? undefined : scopeWord({ scope, group: group ?? null });
        printDotfiles(files, host, shown, io);
      }
      return 0;
    }
    case 'dotfiles:preview': {
      const preview = answer as DotfilePreview;
      if (how.json) io.out(`${jsonText(preview.files.map(previewJson), 2)}\n`);
      else printPreview(preview, host, io);
      return 0;
    }
    case 'dotfiles:read': {
      const { content } = answer as DotfileDocument;
      io.out(how.raw ? content : terminalSafe(content));
      return 0;
    }
    case 'dotfiles:set': {
      io.out(setText(host, answer as DotfileSummary));
      const warning = crlfWarning(how.file ?? '', call.input.content);
      if (warning !== undefined) io.err(warning);
      return 0;
    }
    case 'dotfiles:remove':
      io.out(removedText(host, answer as DotfileSummary));
      return 0;
  }
}

/**
 * `labdeck dotfile …` as the command table runs it: a set's scope, path, mode and local file's
 * text are checked before any connection (exit 2 naming the word; nothing is written), a show's
 * or remove's scope and what no store can hold (its path is the host's to judge: it may keep a
 * file the rules refuse now), then the request goes to a running LabDeck or to in-process
 * services.
 */
export async function run(_args: string[], context: CommandContext): Promise<number> {
  const { call, deferred } = await dotfileCall(context.parsed);
  const how: DotfileRun = {
    json: context.parsed.flags.has('json'),
    raw: !process.stdout.isTTY,
    deferred,
    file: context.parsed.values.get('file'),
  };
  return withCliClient(context, (client) => dotfileCommand(call, client, context.io, how));
}
