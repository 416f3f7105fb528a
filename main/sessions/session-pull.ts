import { Duplex, PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import {
  encodePullLine,
  imageReferenceProblem,
  type PullLine,
} from '../../common/contract/pull-progress';
import { AppFailure } from '../../common/contract/result';
import { IMAGE_REFERENCE_HINT, pullFailure } from './pull-failure';
import { PullTally, type DockerPullEvent } from './pull-tally';

/**
 * Least time between two progress lines: Docker sends an event per layer per step (hundreds a
 * second on a fast link), more than a progress bar can show or a slow link should carry.
 */
export const PULL_LINE_INTERVAL_MS = 100;

/** `busybox` → `busybox:latest`: the name Docker files a pull without tag or digest under. */
function withDefaultTag(image: string): string {
  const name = image.slice(image.lastIndexOf('/') + 1);
  return name.includes(':') || name.includes('@') ? image : `${image}:latest`;
}

/** A pull that ended without Docker's error: the engine went away, or lost the image at once. */
function interrupted(image: string, why: Error): AppFailure {
  return new AppFailure({
    code: 'image-pull-failed',
    message: `Pulling ${image} did not finish: ${why.message}.`,
    hint: 'Check that Docker still runs on the host (`labdeck host ls`) and pull again.',
  });
}

/**
 * Pulls `image` onto the host's engine; the stream's bytes are progress as JSON lines
 * (common/contract/pull-progress.ts), at most one per {@link PULL_LINE_INTERVAL_MS}, then a
 * `{done, image, id}` line. A refusal Docker gives at once (a malformed reference, a tag the
 * registry lacks, a registry that cannot be reached) throws before the stream opens; one that
 * comes mid-pull destroys the stream with the same kind of AppFailure, which the bridge hands to
 * the client as the stream's end. Closing the stream stops the pull.
 */
export async function pullImageStream(docker: Docker, image: string): Promise<Duplex> {
  const problem = imageReferenceProblem(image);
  if (problem !== undefined)
    throw new AppFailure({
      code: 'invalid-image-reference',
      message: problem,
      hint: IMAGE_REFERENCE_HINT,
    });
  let source: NodeJS.ReadableStream;
  try {
    source = await docker.pull(image);
  } catch (error) {
    throw pullFailure(image, error);
  }
  const out = new PassThrough();
  const duplex = Duplex.from({ readable: out, writable: new PassThrough().resume() });
  const tally = new PullTally();
  let sent = '';
  let lastSentAt = 0;
  let timer: NodeJS.Timeout | undefined;
  const write = (line: PullLine): void => {
    if (!duplex.destroyed) out.write(encodePullLine(line));
  };
  const sendSummary = (): void => {
    clearTimeout(timer);
    timer = undefined;
    const line = tally.summary();
    const text = JSON.stringify(line);
    if (text === sent) return;
    sent = text;
    lastSentAt = Date.now();
    write(line);
  };
  const finish = async (error: unknown): Promise<void> => {
    sendSummary();
    if (duplex.destroyed) return;
    if (error || tally.error !== undefined) {
      duplex.destroy(pullFailure(image, error ?? tally.error));
      return;
    }
    const pulled = withDefaultTag(image);
    const inspected = tally.complete
      ? await docker
          .getImage(pulled)
          .inspect()
          .catch((e: unknown) => e as Error)
      : new Error('the engine ended the pull before it said the image was in place');
    if (inspected instanceof Error) duplex.destroy(interrupted(image, inspected));
    else {
      write({ done: true, image: pulled, id: inspected.Id });
      out.end();
    }
  };
  docker.modem.followProgress(
    source,
    (error: Error | null) => void finish(error),
    (event: DockerPullEvent) => {
      tally.add(event);
      if (timer !== undefined) return;
      const wait = lastSentAt + PULL_LINE_INTERVAL_MS - Date.now();
      if (wait <= 0) sendSummary();
      else timer = setTimeout(sendSummary, wait);
    },
  );
  duplex.once('close', () => {
    clearTimeout(timer);
    (source as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
  });
  return duplex;
}
