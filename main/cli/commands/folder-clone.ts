import type { Client } from '../../../common/contract/client';
import type { FolderView } from '../../../common/contract/folders';
import type { AppError } from '../../../common/contract/result';
import type { CloneProgress } from '../../../common/folders/folder-view';
import { terminalSafe } from '../../../common/text/terminal-safe';
import { EXIT_FAILURE, printError, valueOrReport, type CliIo } from '../cli-io';
import { cloneProgressLine, folderJson, printFolders } from './folder-output';

/** Exit status after Ctrl+C, as shells report a command ended by SIGINT. */
export const EXIT_INTERRUPTED = 130;

/** How a clone ended, as the command saw it. */
type CloneEnd =
  { readonly state: 'done' | 'canceled' } | { readonly state: 'failed'; readonly error: AppError };

/** The target as `folders:list` shows it now (after the progress topic ended or was missed). */
async function targetNow(client: Client, hostId: string, name: string) {
  const listed = await client.request('folders:list', { hostId });
  return listed.ok ? listed.value.folders.find((f) => f.name === name) : undefined;
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
            if (now?.state === 'ready') finish({ state: 'done' });
            else if (interruptions.interrupted && now === undefined) finish({ state: 'canceled' });
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
  if (end.state === 'failed') {
    printError(io, end.error);
    return EXIT_FAILURE;
  }
  const done: FolderView = (await targetNow(client, input.hostId, input.target)) ?? started;
  if (json) io.out(`${JSON.stringify(folderJson(done), null, 2)}\n`);
  else printFolders([done], done.host, io);
  return 0;
}
