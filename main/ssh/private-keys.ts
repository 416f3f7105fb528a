import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ssh2, { type ParsedKey } from 'ssh2';

// ssh2 is CommonJS: Node's ESM loader only sees its default export (named imports fail at run time).
const { utils } = ssh2;
import { AppFailure } from '../../common/contract/result';

/** OpenSSH's default identities in `~/.ssh` of `home`, tried in this order when a host names none. */
export function defaultIdentityFiles(home: string): string[] {
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => join(home, '.ssh', name));
}

/** The outcome of reading a key file: parsed, needs a passphrase, or unusable (with why). */
export type KeyLoad =
  | { readonly status: 'ready'; readonly key: ParsedKey }
  | { readonly status: 'needs-passphrase' }
  | { readonly status: 'missing' }
  | { readonly status: 'bad-passphrase' };

function firstKey(parsed: ParsedKey | ParsedKey[] | Error): ParsedKey | Error {
  return Array.isArray(parsed) ? (parsed[0] ?? new Error('the file holds no key')) : parsed;
}

/**
 * Reads and parses a private key (ed25519, ECDSA, RSA; OpenSSH or PEM format). Encrypted keys
 * report that they need a passphrase instead of failing, so the caller can ask for it.
 */
export async function loadPrivateKey(path: string, passphrase?: string): Promise<KeyLoad> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    throw new AppFailure({
      code: 'ssh-key-unreadable',
      message: `Cannot read the key file ${path}: ${(error as Error).message}`,
      hint: 'Check that the file exists and that you may read it (`chmod 600` it).',
    });
  }
  const parsed = firstKey(
    passphrase === undefined ? utils.parseKey(data) : utils.parseKey(data, passphrase),
  );
  if (!(parsed instanceof Error)) return { status: 'ready', key: parsed };
  if (/passphrase|encrypted/i.test(parsed.message)) {
    return passphrase === undefined ? { status: 'needs-passphrase' } : { status: 'bad-passphrase' };
  }
  if (/bad decrypt|integrity check failed/i.test(parsed.message))
    return { status: 'bad-passphrase' };
  throw new AppFailure({
    code: 'ssh-key-unsupported',
    message: `The key file ${path} could not be used: ${parsed.message}`,
    hint: 'LabDeck reads ed25519, ECDSA and RSA keys in OpenSSH or PEM format.',
  });
}
