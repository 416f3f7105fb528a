import { useEffect, useLayoutEffect, useRef, useState, type JSX, type RefObject } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useUi } from '../stores/stores';
import type { Toast } from '../stores/ui-store';
import { CodeText } from './CodeText';
import { Icon } from './Icon';
import { toastPlacement, type Box, type ToastPlacement } from './toast-placement';

/**
 * The stack of toasts in the bottom-right corner. Errors are announced at once (role="alert")
 * and stay until dismissed; other toasts are polite (role="status") and fade on their own.
 * Escape dismisses the newest toast from anywhere, unless something else handled the key.
 * A toast about a host keeps clear of that host card's buttons: the stack moves to another
 * corner while the usual one would cover them.
 */
export function Toasts(): JSX.Element {
  const { toasts, dismissToast, dismissLatestToast } = useUi(
    useShallow((s) => ({
      toasts: s.toasts,
      dismissToast: s.dismissToast,
      dismissLatestToast: s.dismissLatestToast,
    })),
  );

  const stack = useRef<HTMLElement>(null);
  const placement = useToastPlacement(stack, toasts);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      dismissLatestToast();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [dismissLatestToast]);

  return (
    <section
      ref={stack}
      className={`toasts toasts-${placement}`}
      aria-label="Notifications"
      data-testid="toasts"
      data-placement={placement}
    >
      {toasts.map((toast) => (
        <ToastItem key={toast.id} toast={toast} onDismiss={() => dismissToast(toast.id)} />
      ))}
    </section>
  );
}

interface ToastItemProps {
  readonly toast: Toast;
  readonly onDismiss: () => void;
}

function ToastItem({ toast, onDismiss }: ToastItemProps): JSX.Element {
  const isError = toast.kind === 'error';
  return (
    <div
      className={`toast toast-${toast.kind}`}
      role={isError ? 'alert' : 'status'}
      data-testid="toast"
      data-code={toast.code}
    >
      <Icon name={isError ? 'warning' : 'info'} className="toast-icon" />
      <div className="toast-body">
        <p className="toast-message">{toast.message}</p>
        {toast.hint && (
          <p className="toast-hint">
            <CodeText text={toast.hint} />
          </p>
        )}
        {toast.code && <p className="toast-code">{toast.code}</p>}
      </div>
      <button
        type="button"
        className="icon-button"
        aria-label="Dismiss notification"
        title="Dismiss (Esc)"
        onClick={onDismiss}
      >
        <Icon name="close" />
      </button>
    </div>
  );
}

/**
 * The corner the stack goes in: recomputed when the toasts change, and — while one of them is
 * about a host — when the page scrolls, the window resizes or the DOM changes (a card's buttons
 * come and go), at most once a frame.
 */
function useToastPlacement(
  stack: RefObject<HTMLElement | null>,
  toasts: readonly Toast[],
): ToastPlacement {
  const [placement, setPlacement] = useState<ToastPlacement>('bottom-right');
  const hostIds = [...new Set(toasts.flatMap((t) => (t.hostId === undefined ? [] : [t.hostId])))];
  const key = hostIds.join(' ');

  useLayoutEffect(() => {
    const ids = key === '' ? [] : key.split(' ');
    const place = (): void => {
      const element = stack.current;
      if (!element || ids.length === 0) return setPlacement('bottom-right');
      const { width, height } = element.getBoundingClientRect();
      const content = document.querySelector('.content')?.getBoundingClientRect();
      const area = {
        viewportWidth: document.documentElement.clientWidth,
        viewportHeight: document.documentElement.clientHeight,
        contentLeft: content?.left ?? 0,
      };
      const keepClear: Box[] = ids.flatMap((id) =>
        [...document.querySelectorAll(`[data-host-id="${CSS.escape(id)}"] button`)].map((b) =>
          b.getBoundingClientRect(),
        ),
      );
      setPlacement(toastPlacement(area, { width, height }, keepClear));
    };
    place();
    if (ids.length === 0) return;
    let frame = 0;
    const schedule = (): void => {
      if (frame === 0) frame = requestAnimationFrame(() => ((frame = 0), place()));
    };
    const observer = new MutationObserver(schedule);
    observer.observe(document.body, { childList: true, subtree: true });
    const resized = new ResizeObserver(schedule);
    if (stack.current) resized.observe(stack.current);
    window.addEventListener('resize', schedule);
    document.addEventListener('scroll', schedule, true);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      resized.disconnect();
      window.removeEventListener('resize', schedule);
      document.removeEventListener('scroll', schedule, true);
    };
  }, [key, stack, toasts.length]);

  return placement;
}
