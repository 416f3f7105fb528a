import type { AppInfo } from '../../../../common/app/app-info';
import type { PromptRequest } from '../../../../common/ssh/prompts';

/** The words of a passphrase or password dialog. */
export interface SecretPromptText {
  readonly title: string;
  readonly lede: string;
  readonly label: string;
  /** The submit button. */
  readonly submit: string;
}

/** Title, explanation and field label of a passphrase or password question. */
export function secretPromptText(
  request: Extract<PromptRequest, { kind: 'passphrase' | 'password' }>,
): SecretPromptText {
  if (request.kind === 'passphrase') {
    return {
      title: 'Unlock your SSH key',
      lede: `${request.host} accepts the key ${request.keyPath}, which is protected by a passphrase.`,
      label: 'Passphrase',
      submit: 'Unlock and connect',
    };
  }
  return {
    title: `Password for ${request.user}@${request.host}`,
    lede: `${request.host} asks for ${request.user}'s password to log in.`,
    label: 'Password',
    submit: 'Log in',
  };
}

/**
 * The line over a question asked again after the server refused the answer: "Wrong password"
 * and, since a server refuses every password of a wrong user too, the user name to check.
 */
export function secretRetryText(
  request: Extract<PromptRequest, { kind: 'passphrase' | 'password' }>,
): string {
  if (request.kind === 'passphrase') return 'Wrong passphrase — try again.';
  return `Wrong password — try again. If ${request.user} is not your user name on ${request.host}, cancel and edit the host.`;
}

/** Whether "Remember" can be ticked, and if not, the line that says why. */
export interface RememberOption {
  readonly enabled: boolean;
  readonly note: string | null;
}

/**
 * "Remember" needs an OS keychain to encrypt with. Without one (browser mode, or a desktop
 * without a keychain) the box is disabled and the note says how long secrets last instead.
 * Until the app info arrives it is disabled too: never promise what may not hold.
 */
export function rememberOption(info: AppInfo | null): RememberOption {
  if (info === null) return { enabled: false, note: null };
  if (info.secretsPersistent) return { enabled: true, note: null };
  return {
    enabled: false,
    note:
      info.mode === 'browser'
        ? 'Browser mode keeps secrets only while the server runs'
        : 'No OS keychain was found, so LabDeck keeps secrets only while it runs',
  };
}

/** The title of a keyboard-interactive dialog: the server's name for the round, if it gave one. */
export function keyboardInteractiveTitle(
  request: Extract<PromptRequest, { kind: 'keyboard-interactive' }>,
): string {
  return request.name.trim() || `Sign in to ${request.host}`;
}

/** A field label from a server's question: "Verification code: " reads "Verification code". */
export function promptLabel(prompt: string, index: number): string {
  return prompt.trim().replace(/:$/, '').trim() || `Answer ${index + 1}`;
}
