import { useEffect, type JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useUi } from '../stores/stores';
import type { Toast } from '../stores/ui-store';
import { CodeText } from './CodeText';
import { Icon } from './Icon';

/**
 * The stack of toasts in the bottom-right corner. Errors are announced at once (role="alert")
 * and stay until dismissed; other toasts are polite (role="status") and fade on their own.
 * Escape dismisses the newest toast from anywhere, unless something else handled the key.
 */
export function Toasts(): JSX.Element {
  const { toasts, dismissToast, dismissLatestToast } = useUi(
    useShallow((s) => ({
      toasts: s.toasts,
      dismissToast: s.dismissToast,
      dismissLatestToast: s.dismissLatestToast,
    })),
  );

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      dismissLatestToast();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [dismissLatestToast]);

  return (
    <section className="toasts" aria-label="Notifications">
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
