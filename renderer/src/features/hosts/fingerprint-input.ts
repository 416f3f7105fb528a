import { requests } from '../../../../common/contract/contract';

/** What OpenSSH prints before a SHA256 fingerprint (`ssh-keygen -l`, the host-key prompt). */
export const SHA256_PREFIX = 'SHA256:';

/** Characters of an unpadded base64 SHA-256 digest: 32 bytes → 43 characters. */
export const SHA256_BASE64_LENGTH = 43;

/** The rule `hosts:replace-host-key` checks its input with, so the two can never disagree. */
const FINGERPRINT = requests['hosts:replace-host-key'].input.shape.fingerprint;
const BASE64 = /^[A-Za-z0-9+/]*$/;

/**
 * A typed fingerprint, checked as the user types: `ready` with the fingerprint to send, or not,
 * with the sentence to show under the field (null while there is nothing wrong to say yet).
 */
export type FingerprintCheck =
  | { readonly ready: true; readonly fingerprint: string }
  | { readonly ready: false; readonly error: string | null };

/**
 * Checks the fingerprint the user typed or pasted. Surrounding spaces are ignored; nothing else
 * is corrected, because the point is that the user states exactly what they verified. While the
 * text is empty or still a beginning of `SHA256:` there is no error, only a disabled button.
 */
export function checkFingerprintInput(text: string): FingerprintCheck {
  const typed = text.trim();
  if (FINGERPRINT.safeParse(typed).success) return { ready: true, fingerprint: typed };
  if (SHA256_PREFIX.startsWith(typed)) return { ready: false, error: null };
  if (/^MD5:|^([0-9a-f]{2}:){3}/i.test(typed)) {
    return {
      ready: false,
      error: 'That is an MD5 fingerprint: ask for the SHA256 one (ssh-keygen -lf KEY -E sha256).',
    };
  }
  if (!typed.startsWith(SHA256_PREFIX)) {
    return { ready: false, error: 'It must start with "SHA256:", as ssh-keygen -l prints it.' };
  }
  const digest = typed.slice(SHA256_PREFIX.length);
  if (!BASE64.test(digest)) {
    const padded = /^[A-Za-z0-9+/]+=+$/.test(digest) ? ' OpenSSH leaves out the trailing "=".' : '';
    return {
      ready: false,
      error: `Only letters, digits, + and / may follow "SHA256:".${padded}`,
    };
  }
  return {
    ready: false,
    error: `${digest.length} characters after "SHA256:"; a SHA256 fingerprint has ${SHA256_BASE64_LENGTH}.`,
  };
}
