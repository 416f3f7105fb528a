import { useId, useRef, useState, type FormEvent, type JSX } from 'react';
import { FormError } from '../../components/FormError';
import type { AppError } from '../../../../common/contract/result';
import {
  TERMINAL_THEMES,
  terminalSettingsSchema,
  type TerminalSettings,
} from '../../../../common/terminals/terminal-settings';
import { Dialog } from '../../components/Dialog';
import { TextField } from '../../components/TextField';
import { terminalsStore, useTerminals } from './terminals-window';

/** Bytes in a KiB: the buffer size is typed in KiB. */
const KIB = 1024;

/** Props of {@link TerminalSettingsDialog}. */
export interface TerminalSettingsDialogProps {
  readonly onClose: () => void;
}

type Draft = Record<'fontFamily' | 'fontSize' | 'scrollback' | 'bufferKib', string> & {
  readonly theme: TerminalSettings['theme'];
};

/** The draft's fields as settings, with every problem by field (the contract's own schema). */
function parseDraft(draft: Draft): {
  settings?: TerminalSettings;
  errors: Partial<Record<keyof Draft, string[]>>;
} {
  const result = terminalSettingsSchema.safeParse({
    fontFamily: draft.fontFamily,
    fontSize: Number(draft.fontSize),
    theme: draft.theme,
    scrollback: Number(draft.scrollback),
    bufferBytes: Math.round(Number(draft.bufferKib) * KIB),
  });
  if (result.success) return { settings: result.data, errors: {} };
  const errors: Partial<Record<keyof Draft, string[]>> = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0] === 'bufferBytes' ? 'bufferKib' : (issue.path[0] as keyof Draft);
    const message =
      field === 'bufferKib'
        ? issue.message.replace(/\d+/g, (n) => `${Number(n) / KIB} KiB`)
        : issue.message;
    (errors[field] ??= []).push(message);
  }
  return { errors };
}

/**
 * Terminals' settings: font, size, theme and scrollback apply to the open terminals as soon as
 * they are saved; the buffer (what a reattach can replay) applies to terminals opened after.
 */
export function TerminalSettingsDialog({ onClose }: TerminalSettingsDialogProps): JSX.Element {
  const status = useTerminals((s) => s.status);
  const loadError = useTerminals((s) => s.error);
  const saved = useTerminals((s) => s.settings);
  // The form starts from the saved settings, never from the defaults shown before they arrive:
  // a Save then would overwrite what was saved with values the user never chose.
  if (status === 'loaded') return <SettingsForm saved={saved} onClose={onClose} />;
  return (
    <Dialog title="Terminal settings" onDismiss={onClose} testId="terminal-settings">
      {status === 'failed' ? (
        <FormError error={loadError} />
      ) : (
        <p className="muted" role="status" data-testid="terminal-settings-loading">
          <span className="spinner spinner-small" aria-hidden="true" /> Reading your settings…
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

function SettingsForm({
  saved,
  onClose,
}: {
  readonly saved: TerminalSettings;
  readonly onClose: () => void;
}): JSX.Element {
  const first = useRef<HTMLInputElement>(null);
  const themeId = useId();
  const [draft, setDraft] = useState<Draft>({
    fontFamily: saved.fontFamily,
    fontSize: String(saved.fontSize),
    theme: saved.theme,
    scrollback: String(saved.scrollback),
    bufferKib: String(saved.bufferBytes / KIB),
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const { settings, errors } = parseDraft(draft);
  const field = (name: keyof Draft) => (value: string) =>
    setDraft((d) => ({ ...d, [name]: value }));

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (settings === undefined || busy) return;
    setBusy(true);
    const result = await terminalsStore.getState().saveSettings(settings);
    setBusy(false);
    if (!result.ok) return setError(result.error);
    onClose();
  };

  return (
    <Dialog
      title="Terminal settings"
      onDismiss={onClose}
      initialFocus={first}
      testId="terminal-settings"
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          label="Font"
          value={draft.fontFamily}
          onChange={field('fontFamily')}
          errors={errors.fontFamily}
          help="A CSS font family, e.g. “JetBrains Mono, monospace”"
          inputRef={first}
          testId="terminal-settings-font"
        />
        <TextField
          label="Font size"
          type="number"
          value={draft.fontSize}
          onChange={field('fontSize')}
          errors={errors.fontSize}
          testId="terminal-settings-size"
        />
        <div className="field">
          <label className="field-label" htmlFor={themeId}>
            Theme
          </label>
          <select
            id={themeId}
            className="input"
            value={draft.theme}
            data-testid="terminal-settings-theme"
            onChange={(event) =>
              setDraft((d) => ({ ...d, theme: event.target.value as Draft['theme'] }))
            }
          >
            {TERMINAL_THEMES.map((theme) => (
              <option key={theme} value={theme}>
                {theme === 'system' ? 'Same as the system' : theme === 'dark' ? 'Dark' : 'Light'}
              </option>
            ))}
          </select>
        </div>
        <TextField
          label="Scrollback (lines)"
          type="number"
          value={draft.scrollback}
          onChange={field('scrollback')}
          errors={errors.scrollback}
          testId="terminal-settings-scrollback"
        />
        <TextField
          label="Output kept on the host (KiB)"
          type="number"
          value={draft.bufferKib}
          onChange={field('bufferKib')}
          errors={errors.bufferKib}
          help="What a reattach can replay after a drop; for terminals opened from now on"
          testId="terminal-settings-buffer"
        />
        <FormError error={error} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={settings === undefined}
            aria-disabled={busy}
            data-testid="terminal-settings-save"
          >
            {busy && <span className="spinner" aria-hidden="true" />}
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}
