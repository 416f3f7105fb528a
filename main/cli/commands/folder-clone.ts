import type { Client } from '../../../common/contract/client';
import type { FolderView } from '../../../common/contract/folders';
import type { AppError } from '../../../common/contract/result';
import type { CloneProgress } from '../../../common/folders/folder-view';
import { terminalSafe } from '../../../common/text/terminal-safe';
import { EXIT_FAILURE, jsonText, printError, valueOrReport, type CliIo } from '../cli-io';
import { cloneProgressLine, folderJson, printFolders } from './folder-output';

/** Exit status after Ctrl+C, as shells report a command ended by SIGINT. */
export const EXIT_INTERRUPTED = 130;

/** How a clone ended, as the command saw it; `unconfirmed` when the host could not be asked. */
type CloneEnd =
  | { readonly state: 'done' | 'canceled' | 'unconfirmed' }
  | { readonly state: 'failed'; readonly error: AppError };

/**
 * The target as `folders:list` shows it now (after the progress topic ended or was missed):
 * `listed: false` when the list itself failed, so a dropped connection is never read as "gone".
 */
type TargetNow =
  { readonly listed: false } | { readonly listed: true; readonly folder: FolderView | undefined };

async function targetNow(client: Client, hostId: string, name: string): Promise<TargetNow> {
  const listed = await client.request('folders:list', { hostId });
  return listed.ok
    ? { listed: true, folder: listed.value.folders.find((f) => f.name === name) }
    : { listed: false };
}

/** Ctrl+C and SIGTERM, caught from before the clone starts until the command ends. */
interface Interruptions {
  /** Whether one came; `then` runs at once if it had, else when one comes. */
  onInterrupt(then: () => void): void;
  readonly interrupted: boolean;
  dispose(): void;
}

function catchInterruptions(): Interruptions {
  let interrupted = false;
  let then: (() => void) | undefined;
  const onSignal = (): void => {
    interrupted = true;
    then?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    get interrupted() {
      return interrupted;
    },
    onInterrupt(next) {
      then = next;
      if (interrupted) next();
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * Follows the clone into `target` on `hostId` until it ends. An interruption asks for
 * `folders:clone-cancel`, which removes the half-made folder; the end then reads `canceled`.
 * A clone that ended before the subscription began is read from the folder list instead.
 */
function follow(
  client: Client,
  hostId: string,
  target: string,
  interruptions: Interruptions,
  onProgress: (progress: CloneProgress) => void,
): Promise<CloneEnd> {
  return new Promise((finish) => {
    let last: CloneProgress | undefined;
    interruptions.onInterrupt(() => {
      void client.request('folders:clone-cancel', { hostId, name: target });
    });
    client.listen(
      'folders:clone-progress',
      { hostId, name: target },
      {
        event: (progress) => {
          last = progress;
          onProgress(progress);
        },
        end: (error) => {
          if (last?.state === 'done' || last?.state === 'canceled')
            return finish({ state: last.state });
          if (last?.state === 'failed')
            return finish({
              state: 'failed',
              error: { code: 'clone-failed', message: last.message ?? 'the copy failed' },
            });
          // No final event: the clone ended before we listened, or the connection went.
          void targetNow(client, hostId, target).then((now) => {
            if (!now.listed) finish({ state: 'unconfirmed' });
            else if (now.folder?.state === 'ready') finish({ state: 'done' });
            else if (interruptions.interrupted && now.folder === undefined)
              finish({ state: 'canceled' });
            else
              finish({
                state: 'failed',
                error: error ?? {
                  code: 'clone-failed',
                  message: `The clone into "${target}" did not finish; nothing was kept.`,
                },
              });
          });
        },
      },
    );
  });
}

/**
 * `labdeck folder clone HOST SOURCE TARGET`: starts the clone, shows its progress on a
 * terminal (one line, redrawn), and prints the new folder (its JSON with `--json`) when done.
 */
export async function cloneCommand(
  client: Client,
  input: { hostId: string; source: string; target: string },
  io: CliIo,
  json: boolean,
): Promise<number> {
  // Caught before the clone starts: a Ctrl+C at any moment cancels it rather than leaving it.
  const interruptions = catchInterruptions();
  let end: CloneEnd;
  let started: FolderView | undefined;
  try {
    started = valueOrReport(io, await client.request('folders:clone', input));
    if (!started) return EXIT_FAILURE;
    const tty = process.stderr.isTTY === true && !json;
    if (!json) io.err(terminalSafe(`Cloning ${input.source} into ${input.target}…\n`));
    end = await follow(client, input.hostId, input.target, interruptions, (progress) => {
      if (tty) io.err(`\r\u001b[K${cloneProgressLine(progress)}`);
    });
    if (tty) io.err('\n');
  } finally {
    interruptions.dispose();
  }
  if (end.state === 'canceled') {
    io.err(terminalSafe(`Canceled: the half-made folder ${input.target} was removed.\n`));
    return EXIT_INTERRUPTED;
  }
  if (end.state === 'unconfirmed') {
    io.err(
      terminalSafe(
        `The clone into ${input.target} ended out of sight, and its host did not answer: could not confirm; check labdeck folder ls ${input.hostId}\n`,
      ),
    );
    return EXIT_FAILURE;
  }
  if (end.state === 'failed') {
    printError(io, end.error);
    return EXIT_FAILURE;
  }
  const now = await targetNow(client, input.hostId, input.target);
  const done: FolderView = (now.listed ? now.folder : undefined) ?? started;
  if (json) io.out(`${jsonText(folderJson(done), 2)}\n`);
  else printFolders([done], done.host, io);
  return 0;
}

/**
 * `labdeck folder clone-cancel HOST NAME`: stops the clone into NAME (its half-made folder is
 * removed). When none runs, says so — and, for a folder left `cloning` with no clone filling it,
 * that purge removes it. Exit 0 only when a clone was stopped.
 */
export async function cloneCancelCommand(
  client: Client,
  input: { hostId: string; name: string },
  io: CliIo,
  json: boolean,
): Promise<number> {
  const answer = valueOrReport(io, await client.request('folders:clone-cancel', input));
  if (answer === undefined) return EXIT_FAILURE;
  if (json) io.out(`${jsonText(answer, 2)}\n`);
  if (answer.canceled) {
    if (!json)
      io.out(
        terminalSafe(`Stopped the clone into ${input.name}; the half-made folder was removed.\n`),
      );
    return 0;
  }
  const now = await targetNow(client, input.hostId, input.name);
  io.err(
    terminalSafe(
      now.listed && now.folder?.state === 'cloning'
        ? `No clone is filling ${input.name} any more: labdeck folder purge ${input.hostId} ${input.name} removes it.\n`
        : `No clone into ${input.name} is running on ${input.hostId}.\n`,
    ),
  );
  return EXIT_FAILURE;
}
