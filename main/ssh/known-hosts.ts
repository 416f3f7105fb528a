import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppFailure } from '../../common/contract/result';
import { commandLine } from '../../common/shell/shell-quote';
import { writeFileAtomic } from '../fs/atomic-write';
import type { HostKey, HostKeyStatus, HostKeyStore } from './host-key-policy';
import {
  DEFAULT_SSH_PORT,
  entryNamesHost,
  knownHostsName,
  parseKnownHosts,
  type KnownHostEntry,
  type ParsedKnownHosts,
} from './known-hosts-parse';

/** Name of LabDeck's own known_hosts file inside LabDeck's home. */
export const OWN_KNOWN_HOSTS_FILE = 'known_hosts';

/** The user's OpenSSH known_hosts files, which LabDeck reads and never writes. */
export function userKnownHostsFiles(home: string): string[] {
  return [join(home, '.ssh', 'known_hosts'), join(home, '.ssh', 'known_hosts2')];
}

/** A key's SHA256 fingerprint exactly as `ssh-keygen -lf` prints it: `SHA256:` + unpadded base64. */
export function fingerprintSha256(keyData: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyData).digest('base64').replace(/=+$/, '')}`;
}

function sameKey(entry: KnownHostEntry, key: HostKey): boolean {
  return entry.keyType === key.type && entry.keyData.equals(key.data);
}

function lookupName(entries: readonly KnownHostEntry[], name: string, key: HostKey): HostKeyStatus {
  const named = entries.filter((e) => e.marker !== 'cert-authority' && entryNamesHost(e, name));
  if (named.some((e) => e.marker === 'revoked' && sameKey(e, key))) return { status: 'revoked' };
  const plain = named.filter((e) => e.marker === undefined);
  if (plain.some((e) => sameKey(e, key))) return { status: 'match' };
  if (plain.length === 0) return { status: 'unknown' };
  const known = plain.map((e) => ({
    type: e.keyType,
    fingerprint: fingerprintSha256(e.keyData),
    source: `${e.file}:${e.line}`,
  }));
  return { status: 'changed', known };
}

/**
 * What known_hosts says about the key `host:port` presented, following OpenSSH 9.x
 * (check_hostkeys_by_key_or_type() in hostfile.c, check_host_key() in sshconnect.c):
 * - a `@revoked` line naming the host with this key wins over everything;
 * - any plain line naming the host with this exact key is a match;
 * - otherwise any plain line naming the host means CHANGED — whatever its key type. OpenSSH does
 *   not treat "only keys of other types are known" as unknown (checked against a real sshd: an
 *   ed25519 key offered where only RSA is known prints "REMOTE HOST IDENTIFICATION HAS CHANGED"),
 *   because otherwise an attacker could downgrade a stop into a trust prompt by offering another
 *   type. Callers avoid false alarms the way OpenSSH does: offer the types in
 *   {@link KnownHostsStore.knownKeyTypes} first during key exchange.
 * - for a port other than 22, a key recorded for the bare host name also matches (OpenSSH's
 *   "checking without port identifier"); a bare-name `@revoked` line is honoured as well.
 */
export function lookupHostKey(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number,
  key: HostKey,
): HostKeyStatus {
  const found = lookupName(entries, knownHostsName(host, port), key);
  if (found.status !== 'unknown' || port === DEFAULT_SSH_PORT) return found;
  const bare = lookupName(entries, knownHostsName(host, DEFAULT_SSH_PORT), key);
  return bare.status === 'match' || bare.status === 'revoked' ? bare : found;
}

/** Where a {@link KnownHostsStore} reads from and writes to. */
export interface KnownHostsFiles {
  /** The user's OpenSSH files (see {@link userKnownHostsFiles}); read-only, missing is fine. */
  readonly userFiles: readonly string[];
  /** LabDeck's own file: the only one LabDeck writes. */
  readonly ownFile: string;
}

async function readOptional(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    // Failing closed: skipping an unreadable file could turn a changed key into a trust prompt.
    throw new AppFailure({
      code: 'known-hosts-unreadable',
      message: `LabDeck could not read ${path} to check host keys: ${(error as Error).message}`,
      hint: `Make the file readable by you (\`chmod u+r ${path}\`), then connect again.`,
    });
  }
}

async function readAll(paths: readonly string[]): Promise<ParsedKnownHosts> {
  const parsed = await Promise.all(
    paths.map(async (path) => parseKnownHosts(await readOptional(path), path)),
  );
  return {
    entries: parsed.flatMap((p) => p.entries),
    malformed: parsed.flatMap((p) => p.malformed),
  };
}

function entryLine(host: string, port: number, key: HostKey): string {
  return `${knownHostsName(host, port)} ${key.type} ${key.data.toString('base64')}\n`;
}

function withFinalNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

/**
 * Host keys LabDeck trusts: the user's OpenSSH known_hosts files plus LabDeck's own file. Files
 * are read again on every call, so a `ssh-keygen -R` run between two attempts takes effect.
 */
export class KnownHostsStore implements HostKeyStore {
  /** Writes run one at a time, so two trusts in parallel cannot drop each other's line. */
  #writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly files: KnownHostsFiles) {}

  /** Every usable entry of both sources, and the `file:line` of each malformed line skipped. */
  read(): Promise<ParsedKnownHosts> {
    return readAll([...this.files.userFiles, this.files.ownFile]);
  }

  /** Looks the key up in both sources (see {@link lookupHostKey}). */
  async check(host: string, port: number, key: HostKey): Promise<HostKeyStatus> {
    return lookupHostKey((await this.read()).entries, host, port, key);
  }

  /**
   * Key types known for the host, in file order — types, not signature algorithms (`ssh-rsa`
   * stands for rsa-sha2-512/256 too). Offer these first in key exchange, as OpenSSH's
   * order_hostkeyalgs() does, so a server with several keys presents the one already known.
   */
  async knownKeyTypes(host: string, port: number): Promise<string[]> {
    const names = new Set([knownHostsName(host, port), knownHostsName(host, DEFAULT_SSH_PORT)]);
    const { entries } = await this.read();
    const types = entries
      .filter((e) => e.marker === undefined && [...names].some((n) => entryNamesHost(e, n)))
      .map((e) => e.keyType);
    return [...new Set(types)];
  }

  /**
   * Records a key the user accepted for an unknown host in LabDeck's own file. Refuses a key
   * that is revoked or that contradicts a known one: that is {@link replace}'s job, never a prompt's.
   */
  trust(host: string, port: number, key: HostKey): Promise<void> {
    return this.#serialize(async () => {
      const found = await this.check(host, port, key);
      if (found.status === 'match') return;
      if (found.status === 'revoked') throw revokedFailure(host, key);
      if (found.status === 'changed') {
        throw new AppFailure({
          code: 'host-key-changed',
          message: `${host} already has a different known key (${found.known.map((k) => k.source).join(', ')}); LabDeck did not add ${fingerprintSha256(key.data)}.`,
          hint: 'Check the new fingerprint with the server’s administrator, then use "I have verified the new key".',
        });
      }
      const text = withFinalNewline(await readOptional(this.files.ownFile));
      await writeFileAtomic(this.files.ownFile, text + entryLine(host, port, key));
    });
  }

  /**
   * The explicit "I have verified the new key" action: drops LabDeck's own entries for this
   * host and key type and records `key` instead. It cannot edit the user's OpenSSH files, so an
   * old key of the same type found there is reported with the `ssh-keygen -R` command to run.
   */
  replace(host: string, port: number, key: HostKey): Promise<void> {
    return this.#serialize(async () => {
      const name = knownHostsName(host, port);
      const all = await this.read();
      if (lookupHostKey(all.entries, host, port, key).status === 'revoked') {
        throw revokedFailure(host, key);
      }
      const stale = (e: KnownHostEntry) =>
        e.marker === undefined && e.keyType === key.type && entryNamesHost(e, name);
      const inUserFiles = all.entries.filter(
        (e) => e.file !== this.files.ownFile && stale(e) && !sameKey(e, key),
      );
      if (inUserFiles.length > 0) throw userFileFailure(name, inUserFiles);
      const text = await readOptional(this.files.ownFile);
      const dropped = new Set(
        parseKnownHosts(text, this.files.ownFile)
          .entries.filter(stale)
          .map((e) => e.line),
      );
      const kept = text.split('\n').filter((_, index) => !dropped.has(index + 1));
      await writeFileAtomic(
        this.files.ownFile,
        withFinalNewline(kept.join('\n')) + entryLine(host, port, key),
      );
    });
  }

  #serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#writes.then(task, task);
    this.#writes = run.catch(() => undefined);
    return run;
  }
}

function revokedFailure(host: string, key: HostKey): AppFailure {
  return new AppFailure({
    code: 'host-key-revoked',
    message: `The ${key.type} key ${fingerprintSha256(key.data)} of ${host} is marked @revoked in known_hosts; LabDeck will not trust it.`,
    hint: "Do not connect. Ask the server's administrator which key it should have.",
  });
}

function userFileFailure(name: string, entries: readonly KnownHostEntry[]): AppFailure {
  const files = [...new Set(entries.map((e) => e.file))];
  const commands = files.map(
    (file) => `\`${commandLine(['ssh-keygen', '-R', name, '-f', file])}\``,
  );
  return new AppFailure({
    code: 'host-key-in-user-known-hosts',
    message: `The old key of ${name} is in your OpenSSH known_hosts (${entries.map((e) => `${e.file}:${e.line}`).join(', ')}), which LabDeck never edits.`,
    hint: `Remove it with ${commands.join(' and ')} (ssh-keygen keeps a .old copy), then connect again and trust the new key.`,
  });
}
