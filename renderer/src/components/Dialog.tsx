import {
  useEffect,
  useId,
  useRef,
  type JSX,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import { focusHomeOf, returnFocus } from './focus-home';

/** Props of {@link Dialog}. */
export interface DialogProps {
  readonly title: string;
  /** Called on Escape (and when the browser closes the dialog); the parent unmounts it. */
  readonly onDismiss: () => void;
  /**
   * The element focused when the dialog opens. Without it the browser focuses the first
   * focusable element, which must never be a risky button (see the host-key prompt).
   */
  readonly initialFocus?: RefObject<HTMLElement | null>;
  /** `alertdialog` for questions that interrupt the user (confirmations, security prompts). */
  readonly role?: 'dialog' | 'alertdialog';
  readonly className?: string;
  readonly testId?: string;
  readonly children: ReactNode;
}

/**
 * A modal dialog on the native `<dialog>` element: `showModal()` makes the rest of the window
 * inert; Tab and Shift+Tab wrap around inside it (the browser alone would let Tab leave the
 * page for its own toolbar). When it closes, focus goes back to the opener — or, when the opener
 * went away meanwhile (Disconnect, once a cancelled login ended the attempt), to the region it
 * was in (its host card, or the dialog underneath, see focus-home.ts), never to the page body. Mount it to open it,
 * unmount it to close it. Escape calls `onDismiss`; the key is marked handled so the window's
 * Escape-closes-a-toast shortcut does not fire as well.
 */
export function Dialog({
  title,
  onDismiss,
  initialFocus,
  role = 'dialog',
  className,
  testId,
  children,
}: DialogProps): JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const dismiss = useRef(onDismiss);

  useEffect(() => {
    dismiss.current = onDismiss;
  }, [onDismiss]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const home = focusHomeOf(opener);
    if (!dialog.open) dialog.showModal();
    initialFocus?.current?.focus();
    // The browser may close the dialog itself (a second Escape, a close request): follow it.
    const onClose = (): void => dismiss.current();
    dialog.addEventListener('close', onClose);
    return () => {
      dialog.removeEventListener('close', onClose);
      if (dialog.open) dialog.close();
      returnFocus(opener, home);
    };
  }, [initialFocus]);

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>): void => {
    if (event.key === 'Tab') return keepTabInside(event);
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    dismiss.current();
  };

  return (
    <dialog
      ref={ref}
      className={className ? `dialog ${className}` : 'dialog'}
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
      aria-modal="true"
      aria-labelledby={titleId}
      data-testid={testId}
      // A focus home (focus-home.ts): a control that goes while the dialog stays open (a nested
      // dialog's opener) leaves the focus in the dialog, never behind it.
      data-focus-home=""
      tabIndex={-1}
      onKeyDown={onKeyDown}
      onCancel={(event) => {
        event.preventDefault();
        dismiss.current();
      }}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}

/** What Tab can reach inside a dialog. */
const TABBABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Wraps Tab from the last control to the first, and Shift+Tab from the first to the last. */
function keepTabInside(event: KeyboardEvent<HTMLDialogElement>): void {
  const tabbable = [...event.currentTarget.querySelectorAll<HTMLElement>(TABBABLE)].filter(
    (element) => element.getClientRects().length > 0,
  );
  const first = tabbable[0];
  const last = tabbable.at(-1);
  if (first === undefined || last === undefined) return event.preventDefault();
  const active = document.activeElement;
  // The dialog itself (clicked, or given the focus back) stands before its first control.
  if (active === event.currentTarget) {
    event.preventDefault();
    (event.shiftKey ? last : first).focus();
    return;
  }
  if (event.shiftKey ? active === first : active === last) {
    event.preventDefault();
    (event.shiftKey ? last : first).focus();
  }
}
