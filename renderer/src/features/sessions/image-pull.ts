import {
  describePullProgress,
  isPullDone,
  PullLineReader,
  type PullDoneLine,
  type PullLine,
  type PullProgressLine,
} from '../../../../common/contract/pull-progress';
import type { AppError } from '../../../../common/contract/result';
import type { StreamControl, StreamSink } from '../../../../common/contract/transport';
import type { SessionImage } from './sessions-store';

/** The registry part Docker leaves out of the names it files Docker Hub images under. */
const DOCKER_HUB_PREFIXES = ['docker.io/library/', 'index.docker.io/library/', 'docker.io/'];

/**
 * `ubuntu` → `ubuntu:latest`, `docker.io/library/ubuntu:24.04` → `ubuntu:24.04`: a reference as
 * the host's image list names it (Docker's RepoTags), so a typed name is matched as Docker would.
 */
export function imageListName(image: string): string {
  const trimmed = image.trim();
  const prefix = DOCKER_HUB_PREFIXES.find((p) => trimmed.startsWith(p));
  const short = prefix ? trimmed.slice(prefix.length) : trimmed;
  const name = short.slice(short.lastIndexOf('/') + 1);
  return name.includes(':') || name.includes('@') ? short : `${short}:latest`;
}

/** The host's image that `image` names (by a tag, or by the short id an untagged one is listed by). */
export function findImage(
  images: readonly SessionImage[],
  image: string,
): SessionImage | undefined {
  const wanted = imageListName(image);
  return images.find((i) => i.ref === image.trim() || i.ref === wanted);
}

/** What the form shows of a pull: one line of text, and a bar once the bytes to fetch are known. */
export interface PullProgressView {
  readonly text: string;
  /** Bytes done and to do, for a `<progress>`; absent while the total is not known. */
  readonly bar?: { readonly value: number; readonly max: number };
}

/** The form's view of the latest progress line (null before the first one came). */
export function pullProgressView(line: PullProgressLine | null): PullProgressView {
  if (line === null) return { text: 'Asking the registry…' };
  const text = describePullProgress(line);
  if (line.bytesTotal === null || line.bytesTotal === 0) return { text };
  return { text, bar: { value: Math.min(line.bytesDone, line.bytesTotal), max: line.bytesTotal } };
}

/** The error for a stream the window cannot read: main speaks another version of it. */
function unreadable(why: string): AppError {
  return {
    code: 'unexpected-reply',
    message: `The pull's progress could not be read: ${why}.`,
    hint: 'The window and LabDeck are from different versions; restart LabDeck.',
  };
}

/** How a pull ended, for {@link followImagePull}'s `onEnd`. */
export type PullEnd = { ok: true; done: PullDoneLine } | { ok: false; error: AppError };

/**
 * Reads a `sessions:pull` stream (`open`), handing each progress line to `onProgress` and the way
 * it ended to `onEnd`. Each chunk is acknowledged once read, as the log panel does. Returns the
 * stop, which closes the stream (Docker then stops the pull); `onEnd` is not called after it.
 */
export function followImagePull(
  open: (sink: StreamSink) => StreamControl,
  onProgress: (line: PullProgressLine) => void,
  onEnd: (end: PullEnd) => void,
): () => void {
  const reader = new PullLineReader();
  let done: PullDoneLine | undefined;
  let finished = false;
  const finish = (end: PullEnd): void => {
    if (finished) return;
    finished = true;
    onEnd(end);
  };
  const take = (lines: readonly PullLine[]): void => {
    for (const line of lines) {
      if (isPullDone(line)) done = line;
      else onProgress(line);
    }
  };
  const read = (lines: () => PullLine[]): boolean => {
    try {
      take(lines());
      return true;
    } catch (error) {
      finish({
        ok: false,
        error: unreadable(error instanceof Error ? error.message : String(error)),
      });
      return false;
    }
  };
  const control = open({
    data: (bytes) => {
      if (finished) return;
      if (read(() => reader.push(bytes))) control.ack(bytes.byteLength);
      else control.close();
    },
    end: (error) => {
      if (error) return finish({ ok: false, error });
      if (!read(() => reader.end())) return;
      finish(
        done
          ? { ok: true, done }
          : { ok: false, error: unreadable('it ended without saying the image is in place') },
      );
    },
  });
  return () => {
    finished = true;
    control.close();
  };
}
