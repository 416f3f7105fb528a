import { useCallback, useEffect, useRef, useState } from 'react';
import type { PullDoneLine, PullProgressLine } from '../../../../common/contract/pull-progress';
import type { AppError } from '../../../../common/contract/result';
import { sessionsStore } from '../../stores/stores';
import { followImagePull } from './image-pull';
import type { SessionImage } from './sessions-store';

/** A pull the form shows: none, one under way (with its latest progress), its success or failure. */
export type ImagePullState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'pulled'; readonly image: string }
  | {
      readonly phase: 'pulling';
      readonly image: string;
      readonly progress: PullProgressLine | null;
    }
  | { readonly phase: 'failed'; readonly image: string; readonly error: AppError };

/** What {@link useImagePull} gives the form. */
export interface ImagePull {
  readonly state: ImagePullState;
  /** Starts pulling `image` onto the host (one pull at a time). */
  pull(image: string): void;
  /** Closes the stream: Docker stops the pull, and the form shows none. */
  cancel(): void;
}

const IDLE: ImagePullState = { phase: 'idle' };

/**
 * Pulls images onto `hostId` for the New session form. Once a pull is done it asks for the host's
 * images again and hands them to `onPulled` with the pull's last line (the list is null when that
 * request failed). Changing the host, or closing the form, stops a pull under way.
 */
export function useImagePull(
  hostId: string,
  onPulled: (done: PullDoneLine, images: readonly SessionImage[] | null) => void,
): ImagePull {
  const [state, setState] = useState<ImagePullState>(IDLE);
  const stop = useRef<(() => void) | null>(null);
  // The latest callback, so a pull that ends renders after it started sees the form as it is now.
  const latest = useRef(onPulled);
  useEffect(() => {
    latest.current = onPulled;
  });

  const cancel = useCallback(() => {
    stop.current?.();
    stop.current = null;
    setState(IDLE);
  }, []);
  useEffect(() => cancel, [hostId, cancel]);

  const pull = useCallback(
    (image: string) => {
      if (stop.current) return;
      const store = sessionsStore.getState();
      const pulling = { live: true, close: (): void => undefined };
      stop.current = () => {
        pulling.live = false;
        pulling.close();
      };
      setState({ phase: 'pulling', image, progress: null });
      pulling.close = followImagePull(
        (sink) => store.openPull(hostId, image, sink),
        (progress) => setState({ phase: 'pulling', image, progress }),
        (end) => {
          if (!end.ok) {
            stop.current = null;
            return setState({ phase: 'failed', image, error: end.error });
          }
          void store.images(hostId).then((images) => {
            if (!pulling.live) return;
            stop.current = null;
            setState({ phase: 'pulled', image: end.done.image });
            latest.current(end.done, images.ok ? images.value : null);
          });
        },
      );
    },
    [hostId],
  );

  return { state, pull, cancel };
}
