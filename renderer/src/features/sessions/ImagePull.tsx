import { useEffect, useRef, type JSX } from 'react';
import { imageReferenceProblem } from '../../../../common/contract/pull-progress';
import { findImage, imageListName, pullProgressView } from './image-pull';
import type { SessionImage } from './sessions-store';
import type { ImagePull as ImagePullHandle } from './use-image-pull';

/** Props of {@link ImagePull}. */
export interface ImagePullProps {
  /** The image field's value, and the field's id (the focus goes back there after a pull). */
  readonly value: string;
  readonly inputId: string;
  /** The host's images; null until they are known, so Pull is not offered for one it has. */
  readonly images: readonly SessionImage[] | null;
  readonly hostName: string;
  readonly pull: ImagePullHandle;
}

/** Whether the focus went nowhere: to the page, or the dialog itself, as its element was removed. */
function focusLost(): boolean {
  const focused = document.activeElement;
  return focused === null || focused === document.body || focused.tagName === 'DIALOG';
}

/**
 * Below the image field: Pull for an image the host lacks, then the pull's progress (a line of
 * layers and bytes, a bar once the total is known) with Cancel, and how it ended. A failure shows
 * Docker's reason and what to do, with Pull to try again. Each button's name holds its visible word.
 */
export function ImagePull({
  value,
  inputId,
  images,
  hostName,
  pull,
}: ImagePullProps): JSX.Element | null {
  const typed = value.trim();
  const { state } = pull;
  const cancelButton = useRef<HTMLButtonElement>(null);
  const shown = useRef(state.phase);
  // Pull and Cancel go away as the pull starts and ends: their focus moves on instead of being lost.
  useEffect(() => {
    const before = shown.current;
    shown.current = state.phase;
    if (before === state.phase || !focusLost()) return;
    if (state.phase === 'pulling') cancelButton.current?.focus();
    else if (before === 'pulling') document.getElementById(inputId)?.focus();
  }, [state.phase, inputId]);
  if (state.phase === 'pulling') {
    const view = pullProgressView(state.progress);
    return (
      <div className="image-pull" data-testid="session-form-pull-progress">
        <div className="image-pull-line">
          <span className="image-pull-text" data-testid="session-form-pull-text">
            {view.text}
          </span>
          <button
            ref={cancelButton}
            type="button"
            className="button button-small"
            aria-label={`Cancel pulling ${state.image}`}
            data-testid="session-form-pull-cancel"
            onClick={pull.cancel}
          >
            Cancel
          </button>
        </div>
        {view.bar && (
          <progress
            className="image-pull-bar"
            value={view.bar.value}
            max={view.bar.max}
            aria-label={`Pulling ${state.image} onto ${hostName}`}
            aria-valuetext={view.text}
          />
        )}
      </div>
    );
  }
  const isTyped = (image: string): boolean => imageListName(image) === imageListName(typed);
  if (state.phase === 'pulled' && isTyped(state.image))
    return (
      <p className="muted" role="status" data-testid="session-form-pulled">
        Pulled {state.image} onto {hostName}.
      </p>
    );
  const offered =
    typed !== '' &&
    images !== null &&
    imageReferenceProblem(typed) === undefined &&
    findImage(images, typed) === undefined;
  if (!offered) return null;
  const failed = state.phase === 'failed' && state.image === typed ? state.error : null;
  return (
    <div className="image-pull">
      {failed && (
        <p className="field-errors" role="alert" data-testid="session-form-pull-error">
          {failed.hint ? `${failed.message} ${failed.hint}` : failed.message}
        </p>
      )}
      <div className="image-pull-line">
        <span className="muted">{hostName} does not have this image.</span>
        <button
          type="button"
          className="button button-small"
          aria-label={`Pull ${typed} onto ${hostName}`}
          data-testid="session-form-pull"
          onClick={() => pull.pull(typed)}
        >
          Pull
        </button>
      </div>
    </div>
  );
}
