/** The error code of a connection refused because the host offered a different key. */
export const HOST_KEY_CHANGED_CODE = 'host-key-changed';

/** One host key as the services name it: type, SHA256 fingerprint, and where it is recorded. */
export interface KeyFingerprint {
  readonly type: string;
  readonly fingerprint: string;
  /** `known_hosts` file and line of a known key; null for the key offered now. */
  readonly source: string | null;
}

/** The keys on record and the key the host offered, to show side by side. */
export interface HostKeyChange {
  readonly known: readonly KeyFingerprint[];
  readonly offered: KeyFingerprint;
}

const CHANGE = /Known: ([\s\S]+?)\. Offered now: (\S+) (SHA256:[A-Za-z0-9+/=]+)\./;
const KNOWN_KEY = /^(\S+) (SHA256:[A-Za-z0-9+/=]+)(?: \((.*)\))?$/;

/**
 * Reads the old and new fingerprints out of a `host-key-changed` message ("… Known: ssh-ed25519
 * SHA256:… (~/.ssh/known_hosts:3). Offered now: ssh-ed25519 SHA256:…. …"). Null when the message
 * has another shape: the card then shows it whole rather than guess.
 */
export function parseHostKeyChange(message: string): HostKeyChange | null {
  const match = CHANGE.exec(message);
  if (!match) return null;
  const [, knownText = '', offeredType = '', offeredFingerprint = ''] = match;
  // Known keys are joined with ", "; a file path may contain a comma, a key type never does.
  const known: KeyFingerprint[] = [];
  for (const part of knownText.split(/, (?=\S+ SHA256:)/)) {
    const key = KNOWN_KEY.exec(part.trim());
    if (!key) return null;
    known.push({ type: key[1] ?? '', fingerprint: key[2] ?? '', source: key[3] ?? null });
  }
  return {
    known,
    offered: { type: offeredType, fingerprint: offeredFingerprint, source: null },
  };
}

/**
 * What the user should do about a changed key, in place of the services' hint (which names the
 * CLI's `labdeck host trust-key`; in the window, "I have verified the new key…" does that).
 */
export const HOST_KEY_CHANGED_ADVICE =
  "Verify the new fingerprint with the server's administrator before doing anything else. " +
  'LabDeck will not connect to this host while the key differs.';
