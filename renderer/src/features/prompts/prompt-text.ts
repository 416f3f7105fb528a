import type { AppInfo } from '../../../../common/app/app-info';
import type { PromptRequest } from '../../../../common/ssh/prompts';
import { assertNever } from '../../util/assert-never';

/** The words of a passphrase or password dialog. */
export interface SecretPromptText {
  readonly title: string;
  readonly lede: string;
  readonly label: string;
  /** The submit button. */
  readonly submit: string;
}

/** The questions answered with one secret. */
export type SecretRequest = Extract<
  PromptRequest,
  { kind: 'passphrase' | 'password' | 'sudo-password' }
>;

/** Title, explanation and field label of a passphrase or password question. */
export function secretPromptText(request: SecretRequest): SecretPromptText {
  if (request.kind === 'sudo-password') {
    return {
      title: `sudo password on ${request.host}`,
      lede: `Host setup runs as root on ${request.host}. Type ${request.user}'s password for sudo: it is given to sudo once and never kept.`,
      label: 'sudo password',
      submit: 'Continue',
    };
  }
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
export function secretRetryText(request: SecretRequest): string {
  if (request.kind === 'passphrase') return 'Wrong passphrase — try again.';
  if (request.kind === 'sudo-password')
    return `sudo refused the password — try again (${request.user}'s own password on ${request.host}).`;
  return `Wrong password — try again. If ${request.user} is not your user name on ${request.host}, cancel and edit the host.`;
}

/** The "Remember" box: its label, whether it can be ticked, and if not, the line that says why. */
export interface RememberOption {
  /** Says where a remembered secret is kept, and so for how long. */
  readonly label: string;
  readonly enabled: boolean;
  readonly note: string | null;
}

/** The desktop app's label: its secrets are encrypted on disk by the OS keychain. */
const KEYCHAIN_LABEL = 'Remember (encrypted with your OS keychain)';

/**
 * What "Remember" does where the window runs. The desktop app encrypts with the OS keychain;
 * without one the box is disabled and the note says so. Browser mode has no keychain but keeps
 * remembered secrets in the server's memory, so the box works and says for how long. Until the
 * app info arrives the box is disabled: never promise what may not hold.
 */
export function rememberOption(info: AppInfo | null): RememberOption {
  if (info === null) return { label: 'Remember', enabled: false, note: null };
  if (info.secretsPersistent) return { label: KEYCHAIN_LABEL, enabled: true, note: null };
  switch (info.mode) {
    case 'browser':
      return {
        label: 'Remember (kept while this server runs)',
        enabled: true,
        note: 'Kept in memory only: LabDeck forgets it when labdeck serve stops.',
      };
    case 'cli':
      return { label: 'Remember (kept while this command runs)', enabled: true, note: null };
    case 'electron':
      return {
        label: KEYCHAIN_LABEL,
        enabled: false,
        note: 'No OS keychain was found, so LabDeck keeps secrets only while it runs',
      };
    default:
      return assertNever(info.mode);
  }
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
