import { createHmac, timingSafeEqual } from 'node:crypto';
import { matchPatternList } from './ssh-pattern';

/**
 * Reading OpenSSH known_hosts files (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"). The rules follow
 * hostkeys_foreach_file() in OpenSSH's hostfile.c, so a line OpenSSH skips is skipped here too.
 */

/** The port OpenSSH writes without brackets: `host`, not `[host]:22`. */
export const DEFAULT_SSH_PORT = 22;
/** Salt and digest length of a hashed host field: both are SHA-1 sized (hostfile.c). */
const HASHED_HOST_BYTES = 20;
const HASHED_HOST_PREFIX = '|1|';
const MARKERS = { '@revoked': 'revoked', '@cert-authority': 'cert-authority' } as const;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Bytes of the length prefix before each string in an SSH key blob (RFC 4251 §5, uint32). */
const BLOB_LENGTH_BYTES = 4;

/** `@revoked`: this key is never accepted; `@cert-authority`: a CA key (not used by LabDeck yet). */
export type KnownHostMarker = (typeof MARKERS)[keyof typeof MARKERS];

/** Whom a line is about: a hashed name (`|1|salt|hash`) or a list of patterns. */
export type KnownHostNames =
  | { readonly kind: 'hashed'; readonly salt: Buffer; readonly hash: Buffer }
  | { readonly kind: 'patterns'; readonly patterns: readonly string[] };

/** One usable known_hosts line. */
export interface KnownHostEntry {
  readonly marker: KnownHostMarker | undefined;
  readonly names: KnownHostNames;
  /** As written on the line, e.g. `ssh-ed25519`; also the type inside {@link keyData}. */
  readonly keyType: string;
  /** The public key blob, byte for byte what the server sends (RFC 4253 §6.6). */
  readonly keyData: Buffer;
  readonly file: string;
  /** 1-based, as editors and `ssh-keygen -F` count. */
  readonly line: number;
}

/** A file's usable entries, and where the lines it had to skip are. */
export interface ParsedKnownHosts {
  readonly entries: readonly KnownHostEntry[];
  /** `file:line` of each line that is not blank, not a comment and not a usable entry. */
  readonly malformed: readonly string[];
}

/** Parses known_hosts text; `file` only labels entries and malformed lines. */
export function parseKnownHosts(text: string, file: string): ParsedKnownHosts {
  const entries: KnownHostEntry[] = [];
  const malformed: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const fields = raw
      .replace(/\r$/, '')
      .trim()
      .split(/[ \t]+/);
    if (fields[0] === '' || fields[0]?.startsWith('#')) return;
    const entry = parseFields(fields, file, line);
    if (entry) entries.push(entry);
    else malformed.push(`${file}:${line}`);
  });
  return { entries, malformed };
}

function parseFields(fields: string[], file: string, line: number): KnownHostEntry | undefined {
  let marker: KnownHostMarker | undefined;
  if (fields[0]?.startsWith('@')) {
    marker = MARKERS[fields[0] as keyof typeof MARKERS];
    if (marker === undefined) return undefined;
    fields = fields.slice(1);
  }
  const [hosts, keyType, base64] = fields;
  if (hosts === undefined || keyType === undefined || base64 === undefined) return undefined;
  const names = parseNames(hosts);
  const keyData = parseKeyBlob(keyType, base64);
  if (!names || !keyData) return undefined;
  return { marker, names, keyType, keyData, file, line };
}

function parseNames(field: string): KnownHostNames | undefined {
  if (!field.startsWith('|')) {
    return { kind: 'patterns', patterns: field.toLowerCase().split(',') };
  }
  if (!field.startsWith(HASHED_HOST_PREFIX)) return undefined;
  const [salt64, hash64, ...rest] = field.slice(HASHED_HOST_PREFIX.length).split('|');
  if (salt64 === undefined || hash64 === undefined || rest.length > 0) return undefined;
  if (!BASE64.test(salt64) || !BASE64.test(hash64)) return undefined;
  const salt = Buffer.from(salt64, 'base64');
  const hash = Buffer.from(hash64, 'base64');
  if (salt.length !== HASHED_HOST_BYTES || hash.length !== HASHED_HOST_BYTES) return undefined;
  return { kind: 'hashed', salt, hash };
}

/** Decodes the key and checks the type inside the blob is the one the line names, as sshkey_read does. */
function parseKeyBlob(keyType: string, base64: string): Buffer | undefined {
  if (!BASE64.test(base64)) return undefined;
  const blob = Buffer.from(base64, 'base64');
  if (blob.length < BLOB_LENGTH_BYTES) return undefined;
  const typeEnd = BLOB_LENGTH_BYTES + blob.readUInt32BE(0);
  if (typeEnd >= blob.length) return undefined;
  return blob.subarray(BLOB_LENGTH_BYTES, typeEnd).toString('latin1') === keyType
    ? blob
    : undefined;
}

/**
 * The name OpenSSH records and looks up a host under: the lowercased host, or `[host]:port` for
 * any port but 22 (put_host_port() in OpenSSH's misc.c).
 */
export function knownHostsName(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === DEFAULT_SSH_PORT ? name : `[${name}]:${port}`;
}

/** Whether an entry's host field names `name` (a {@link knownHostsName}), hashed or not. */
export function entryNamesHost(entry: KnownHostEntry, name: string): boolean {
  if (entry.names.kind === 'patterns') return matchPatternList(name, entry.names.patterns);
  const digest = createHmac('sha1', entry.names.salt).update(name).digest();
  return timingSafeEqual(digest, entry.names.hash);
}
