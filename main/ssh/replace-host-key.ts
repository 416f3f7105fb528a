import ssh2 from 'ssh2';
import { AppFailure } from '../../common/contract/result';
import { hostKeyFromBlob, type HostKey } from './host-key-policy';
import { fingerprintSha256, type KnownHostsStore } from './known-hosts';
import { hostPortLabel } from './ssh-endpoint';
import { codeSpan, keyscanCommand } from './ssh-hint-commands';

/** How long fetching a server's key may take. */
const FETCH_TIMEOUT_MS = 15_000;

/**
 * Reads the host key a server presents, without logging in: the key exchange runs, the key is
 * captured, and the connection is dropped before any credential could be sent.
 */
export function fetchHostKey(host: string, port: number): Promise<HostKey> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let key: HostKey | undefined;
    client.on('error', () => {
      client.end();
      if (key) resolve(key);
      else
        reject(
          new AppFailure({
            code: 'ssh-unreachable',
            message: `Could not read the host key of ${hostPortLabel(host, port)}.`,
            hint: `Check that sshd runs there (${codeSpan(keyscanCommand(host, port))}).`,
          }),
        );
    });
    client.connect({
      host,
      port,
      username: 'labdeck-key-check',
      readyTimeout: FETCH_TIMEOUT_MS,
      hostVerifier: (blob: Buffer) => {
        key = hostKeyFromBlob(blob);
        return false;
      },
    });
  });
}

/**
 * The explicit "I have verified the new key" action. The user states the fingerprint they
 * checked with the server's administrator; only if the server presents exactly that key now is
 * it recorded in LabDeck's known hosts, replacing the old one. Never a one-click accept.
 */
export async function replaceHostKey(
  store: KnownHostsStore,
  host: string,
  port: number,
  verifiedFingerprint: string,
): Promise<string> {
  const key = await fetchHostKey(host, port);
  const presented = fingerprintSha256(key.data);
  if (presented !== verifiedFingerprint.trim()) {
    throw new AppFailure({
      code: 'host-key-fingerprint-mismatch',
      message: `${host} presents ${key.type} ${presented}, not the fingerprint you verified (${verifiedFingerprint.trim()}). Nothing was changed.`,
      hint: 'Compare again with the administrator: run `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on the server.',
    });
  }
  await store.replace(host, port, key);
  return presented;
}
