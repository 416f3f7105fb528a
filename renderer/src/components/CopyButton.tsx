import { useEffect, useState, type JSX } from 'react';
import { Icon } from './Icon';

/** How long "Copied" shows before the button reads "Copy" again. */
const COPIED_FEEDBACK_MS = 2_000;

/** Props of {@link CopyButton}. */
export interface CopyButtonProps {
  readonly text: string;
  /** What is copied, for the accessible name: "Copy the command". */
  readonly what: string;
  readonly testId?: string;
}

/**
 * Copies `text` to the clipboard and says so for two seconds (announced politely). Where the
 * clipboard is refused (no permission, an insecure origin) it says "Select and copy" instead, and
 * the text stays selectable next to it.
 */
export function CopyButton({ text, what, testId }: CopyButtonProps): JSX.Element {
  const [outcome, setOutcome] = useState<'idle' | 'copied' | 'refused'>('idle');

  useEffect(() => {
    if (outcome === 'idle') return;
    const timer = setTimeout(() => setOutcome('idle'), COPIED_FEEDBACK_MS);
    return () => clearTimeout(timer);
  }, [outcome]);

  const copy = async (): Promise<void> => {
    try {
      // navigator.clipboard is undefined on an insecure origin: that throws here, too.
      await navigator.clipboard.writeText(text);
      setOutcome('copied');
    } catch {
      setOutcome('refused');
    }
  };

  return (
    <button
      type="button"
      className="button button-small"
      aria-label={`Copy ${what}`}
      data-testid={testId}
      onClick={() => void copy()}
    >
      <Icon name="copy" />
      <span aria-live="polite">
        {outcome === 'copied' ? 'Copied' : outcome === 'refused' ? 'Select and copy' : 'Copy'}
      </span>
    </button>
  );
}
