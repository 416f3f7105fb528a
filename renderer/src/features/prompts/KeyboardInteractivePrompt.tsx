import { useRef, useState, type FormEvent, type JSX } from 'react';
import type { PromptRequest } from '../../../../common/ssh/prompts';
import { Dialog } from '../../components/Dialog';
import { TextField } from '../../components/TextField';
import type { PromptBodyProps } from './PromptDialog';
import { keyboardInteractiveTitle, promptLabel } from './prompt-text';

/** Props of {@link KeyboardInteractivePrompt}. */
export interface KeyboardInteractivePromptProps extends PromptBodyProps {
  readonly request: Extract<PromptRequest, { kind: 'keyboard-interactive' }>;
}

/**
 * The server's keyboard-interactive questions (a 2FA code, a password, both) on one dialog: the
 * server's instructions, then one field per question, hidden where the server asks for no echo.
 * A round with no questions (instructions only) just needs "Continue".
 */
export function KeyboardInteractivePrompt({
  request,
  busy,
  onAnswer,
  onCancel,
}: KeyboardInteractivePromptProps): JSX.Element {
  const [responses, setResponses] = useState<readonly string[]>(() =>
    request.prompts.map(() => ''),
  );
  const first = useRef<HTMLInputElement>(null);
  const cont = useRef<HTMLButtonElement>(null);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (busy) return;
    onAnswer({ kind: 'responses', responses: [...responses] });
  };

  return (
    <Dialog
      title={keyboardInteractiveTitle(request)}
      role="alertdialog"
      onDismiss={onCancel}
      initialFocus={request.prompts.length > 0 ? first : cont}
      testId="prompt-dialog"
      className="prompt-dialog"
    >
      <form className="form" noValidate onSubmit={submit} data-prompt-kind={request.kind}>
        <p className="dialog-text muted">
          {request.user}@{request.host} asks:
        </p>
        {request.instructions && (
          <p className="prompt-instructions" data-testid="prompt-instructions">
            {request.instructions}
          </p>
        )}
        {request.prompts.map((prompt, i) => (
          <TextField
            key={i}
            label={promptLabel(prompt.prompt, i)}
            type={prompt.echo ? 'text' : 'password'}
            value={responses[i] ?? ''}
            onChange={(value) => setResponses((all) => all.with(i, value))}
            inputRef={i === 0 ? first : undefined}
            autoComplete={prompt.echo ? 'off' : 'one-time-code'}
            testId={`prompt-response-${i}`}
          />
        ))}
        <div className="dialog-actions">
          <button type="button" className="button" data-testid="prompt-cancel" onClick={onCancel}>
            Cancel
          </button>
          <button
            ref={cont}
            type="submit"
            className="button button-primary"
            aria-disabled={busy}
            data-testid="prompt-submit"
          >
            {busy && <span className="spinner" aria-hidden="true" />}
            {request.prompts.length > 0 ? 'Send' : 'Continue'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
