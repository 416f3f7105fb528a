import { AppFailure } from '../../common/contract/result';
import type { PromptBroker } from '../../common/ssh/prompts';

/** A host key as the server sent it: its type (e.g. `ssh-ed25519`) and the raw public key blob. */
export interface HostKey {
  readonly type: string;
  readonly data: Buffer;
}

/** What a known-hosts store says about a key (see known-hosts.ts). */
export type HostKeyStatus =
  | { readonly status: 'match' }
  | { readonly status: 'unknown' }
  | { readonly status: 'revoked' }
  | {
      readonly status: 'changed';
      readonly known: readonly { type: string; fingerprint: string; source: string }[];
    };

/** The part of the known-hosts store the connection needs. */
export interface HostKeyStore {
  check(host: string, port: number, key: HostKey): Promise<HostKeyStatus>;
  trust(host: string, port: number, key: HostKey): Promise<void>;
  /** Key types already known for the host, so the key exchange can ask for those first. */
  knownKeyTypes?(host: string, port: number): Promise<string[]>;
}

/** ssh2's host key algorithms, strongest first; known types are moved to the front. */
const HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/**
 * Orders host key algorithms as OpenSSH's order_hostkeyalgs() does: those of keys already in
 * known_hosts first, so a server with several keys presents the one the user knows instead of
 * one that would look "changed". An `ssh-rsa` key is verified by the rsa-sha2 signatures too.
 */
export function preferredHostKeyAlgorithms(knownTypes: readonly string[]): string[] {
  const preferred = knownTypes.flatMap((type) =>
    type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type],
  );
  const known = HOST_KEY_ALGORITHMS.filter((a) => preferred.includes(a));
  return [...known, ...HOST_KEY_ALGORITHMS.filter((a) => !known.includes(a))];
}

/** Reads the key type out of an SSH public key blob (RFC 4253 §6.6: string type, then data). */
export function hostKeyFromBlob(blob: Buffer): HostKey {
  const length = blob.readUInt32BE(0);
  return { type: blob.subarray(4, 4 + length).toString('ascii'), data: blob };
}

/**
 * Decides whether to continue with a server's key, before any credential is sent: a known key
 * passes; an unknown one is shown to the user with its SHA256 fingerprint and trusted only on
 * an explicit yes; a changed or revoked key is refused outright — replacing it is a separate,
 * deliberate action, never a prompt in the middle of connecting.
 */
export async function verifyHostKey(
  store: HostKeyStore,
  prompt: PromptBroker,
  host: string,
  port: number,
  key: HostKey,
  fingerprint: (data: Buffer) => string,
): Promise<void> {
  const found = await store.check(host, port, key);
  switch (found.status) {
    case 'match':
      return;
    case 'revoked':
      throw new AppFailure({
        code: 'host-key-revoked',
        message: `${host} presented a key that is marked @revoked in known_hosts (${fingerprint(key.data)}).`,
        hint: "Do not connect. Ask the server's administrator which key it should have.",
      });
    case 'changed': {
      const old = found.known.map((k) => `${k.type} ${k.fingerprint} (${k.source})`).join(', ');
      throw new AppFailure({
        code: 'host-key-changed',
        message:
          `The host key of ${host} has CHANGED. Known: ${old}. Offered now: ${key.type} ${fingerprint(key.data)}. ` +
          'Someone may be intercepting the connection, or the server was reinstalled.',
        hint: `Check the new fingerprint with the server's administrator. Then, in the window, use "I have verified the new key" on the host's card; in a terminal, run labdeck host trust-key with the host's name and --fingerprint followed by the fingerprint they confirmed.`,
      });
    }
    case 'unknown': {
      const answer = await prompt({
        kind: 'host-key-unknown',
        host,
        port,
        keyType: key.type,
        fingerprint: fingerprint(key.data),
      });
      if (answer.kind === 'trust' && answer.trust) {
        await store.trust(host, port, key);
        return;
      }
      throw new AppFailure({
        code: 'host-key-rejected',
        message: `You did not trust the key of ${host} (${fingerprint(key.data)}), so LabDeck did not log in.`,
        hint: 'Compare the fingerprint with `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` run on the server.',
      });
    }
  }
}
