import { useEffect, useState } from 'react';
import type { AppError } from '../../../../common/contract/result';
import type { SessionPreview } from '../../../../common/contract/sessions';
import { sessionsStore } from '../../stores/stores';

/** Quiet time after the last keystroke before the preview is asked for. */
export const PREVIEW_DEBOUNCE_MS = 250;
/** How often an open form's preview is asked for again: others start and stop sessions. */
export const PREVIEW_REFRESH_MS = 3_000;

/** The preview the form shows: the last answer for what is typed now, or why there is none. */
export interface PreviewState {
  /** The amount the preview is for; a newer amount typed shows the old preview until it answers. */
  readonly gpus: string;
  readonly preview: SessionPreview | null;
  /** The request itself failed (host gone…); the allocator's refusal is in `preview.error`. */
  readonly error: AppError | null;
}

/**
 * Asks `sessions:preview` for `gpus` on `hostId` {@link PREVIEW_DEBOUNCE_MS} after the last
 * change, then every {@link PREVIEW_REFRESH_MS} while the form is open. Answers to an older
 * question are dropped, so a slow reply never overwrites a newer one.
 */
export function useSessionPreview(hostId: string, gpus: string): PreviewState | null {
  const [state, setState] = useState<PreviewState | null>(null);

  useEffect(() => {
    if (hostId === '') return;
    let current = true;
    let refresh: ReturnType<typeof setInterval> | undefined;
    const ask = async (): Promise<void> => {
      const result = await sessionsStore.getState().preview(hostId, gpus.trim() || '0');
      if (!current) return;
      setState(
        result.ok
          ? { gpus, preview: result.value, error: null }
          : { gpus, preview: null, error: result.error },
      );
    };
    const debounce = setTimeout(() => {
      void ask();
      refresh = setInterval(() => void ask(), PREVIEW_REFRESH_MS);
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(debounce);
      clearInterval(refresh);
    };
  }, [hostId, gpus]);

  return state;
}
