import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../common/contract/result';
import type { HostKey } from '../../../main/ssh/host-key-policy';
import {
  entryNamesHost,
  knownHostsName,
  parseKnownHosts,
} from '../../../main/ssh/known-hosts-parse';
import { fingerprintSha256, KnownHostsStore, lookupHostKey } from '../../../main/ssh/known-hosts';

const run = promisify(execFile);

interface TestKey extends HostKey {
  /** `type base64`, as a known_hosts line ends. */
  readonly text: string;
  readonly publicKeyPath: string;
}

const made: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'labdeck-known-hosts-'));
  made.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

let keyDir: string;
async function keygen(name: string, type: 'ed25519' | 'ecdsa' | 'rsa'): Promise<TestKey> {
  const path = join(keyDir, name);
  const size = type === 'rsa' ? ['-b', '2048'] : [];
  await run('ssh-keygen', ['-q', '-t', type, ...size, '-N', '', '-C', name, '-f', path]);
  const [keyType = '', base64 = ''] = (await readFile(`${path}.pub`, 'utf8')).split(' ');
  const data = Buffer.from(base64, 'base64');
  return { type: keyType, data, text: `${keyType} ${base64}`, publicKeyPath: `${path}.pub` };
}

/** Line numbers `ssh-keygen -F name -f file` reports, markers (CA, REVOKED) included. */
async function openSshFinds(file: string, name: string): Promise<number[]> {
  try {
    const { stdout } = await run('ssh-keygen', ['-F', name, '-f', file]);
    return [...stdout.matchAll(/found: line (\d+)/g)].map((m) => Number(m[1]));
  } catch (error) {
    if ((error as { code?: number }).code === 1) return []; // not found
    throw error;
  }
}

async function ourFinds(file: string, name: string): Promise<number[]> {
  const { entries } = parseKnownHosts(await readFile(file, 'utf8'), file);
  return entries.filter((e) => entryNamesHost(e, name)).map((e) => e.line);
}

let ed: TestKey, ed2: TestKey, ecdsa: TestKey, rsa: TestKey;
beforeAll(async () => {
  keyDir = await mkdtemp(join(tmpdir(), 'labdeck-host-keys-'));
  [ed, ed2, ecdsa, rsa] = await Promise.all([
    keygen('ed', 'ed25519'),
    keygen('ed2', 'ed25519'),
    keygen('ecdsa', 'ecdsa'),
    keygen('rsa', 'rsa'),
  ]);
});
afterAll(() => rm(keyDir, { recursive: true, force: true }));

describe('fingerprintSha256', () => {
  it('prints what ssh-keygen -lf prints, for ed25519, ECDSA and RSA keys', async () => {
    for (const key of [ed, ecdsa, rsa]) {
      const { stdout } = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', key.publicKeyPath]);
      expect(fingerprintSha256(key.data)).toBe(stdout.split(' ')[1]);
    }
  });
});

describe('parseKnownHosts and host matching', () => {
  const names = [
    'gpu1.lab',
    '10.0.0.5',
    '[gpu2.lab]:2222',
    'gpu2.lab',
    'gpu3.lab',
    'node7.cluster',
    'login.cluster',
    'gpu4.lab',
    'elsewhere.example',
  ];
  const file = () =>
    [
      '# lab machines',
      '',
      `gpu1.lab,10.0.0.5 ${ed.text} added by hand`,
      `[gpu2.lab]:2222 ${rsa.text}`,
      `*.cluster,!login.cluster ${ecdsa.text}`,
      `@revoked gpu3.lab ${rsa.text}`,
      `@cert-authority *.lab ${ed2.text}`,
      `GPU4.Lab\t${ed.text}`,
    ].join('\n');

  it('finds the same lines as ssh-keygen -F for plain, [host]:port, wildcard and marker lines', async () => {
    const path = join(await tempDir(), 'known_hosts');
    await writeFile(path, file());
    expect(await openSshFinds(path, 'gpu3.lab')).toEqual([6, 7]); // not vacuous: OpenSSH finds lines
    for (const name of names)
      expect(await ourFinds(path, name), name).toEqual(await openSshFinds(path, name));
  });

  it('finds the same lines as ssh-keygen -F once ssh-keygen -H has hashed the file', async () => {
    const path = join(await tempDir(), 'known_hosts');
    await writeFile(path, file());
    await run('ssh-keygen', ['-H', '-f', path]);
    expect(await readFile(path, 'utf8')).toContain('|1|');
    for (const name of names)
      expect(await ourFinds(path, name), name).toEqual(await openSshFinds(path, name));
    // ssh lowercases the host before looking it up; ssh-keygen -H lowercased the name it hashed.
    expect(await ourFinds(path, knownHostsName('GPU4.LAB', 22))).toEqual(
      await openSshFinds(path, 'gpu4.lab'),
    );
  });

  it('skips and counts malformed lines, keeping the good ones', () => {
    const text = [
      `good.lab ${ed.text}`,
      `@bogus bad1.lab ${ed.text}`,
      'bad2.lab ssh-ed25519',
      'bad3.lab ssh-ed25519 not*base64',
      `bad4.lab ssh-rsa ${ed.text.split(' ')[1]}`,
      `|1|c2hvcnQ=|c2hvcnQ= ${ed.text}`,
      'bad6.lab 2048 65537 12345678901234567890',
      `   # indented comment`,
      `@cert-authority *.lab ${ed.text}`,
    ].join('\r\n');
    const parsed = parseKnownHosts(text, '/home/u/.ssh/known_hosts');
    expect(parsed.entries.map((e) => e.line)).toEqual([1, 9]);
    expect(parsed.malformed).toEqual(
      [2, 3, 4, 5, 6, 7].map((n) => `/home/u/.ssh/known_hosts:${n}`),
    );
  });
});

describe('lookupHostKey', () => {
  const lookup = (lines: string[], host: string, port: number, key: HostKey) =>
    lookupHostKey(parseKnownHosts(lines.join('\n'), 'kh').entries, host, port, key);

  it('matches a known key, by plain name, by [host]:port and by pattern', () => {
    expect(lookup([`gpu1.lab,10.0.0.5 ${ed.text}`], 'GPU1.lab', 22, ed)).toEqual({
      status: 'match',
    });
    expect(lookup([`[gpu2.lab]:2222 ${ed.text}`], 'gpu2.lab', 2222, ed)).toEqual({
      status: 'match',
    });
    expect(lookup([`*.cluster ${ed.text}`], 'n1.cluster', 22, ed)).toEqual({ status: 'match' });
  });

  it('says unknown for an unlisted host, a negated pattern, or another port', () => {
    expect(lookup([`gpu1.lab ${ed.text}`], 'gpu9.lab', 22, ed)).toEqual({ status: 'unknown' });
    expect(lookup([`*.cluster,!login.cluster ${ed.text}`], 'login.cluster', 22, ed2)).toEqual({
      status: 'unknown',
    });
    expect(lookup([`[gpu2.lab]:2222 ${ed.text}`], 'gpu2.lab', 22, ed2)).toEqual({
      status: 'unknown',
    });
  });

  it('reports a changed key with the old fingerprint and where it is written', () => {
    expect(lookup(['# x', `gpu1.lab ${ed.text}`], 'gpu1.lab', 22, ed2)).toEqual({
      status: 'changed',
      known: [{ type: 'ssh-ed25519', fingerprint: fingerprintSha256(ed.data), source: 'kh:2' }],
    });
  });

  it('follows OpenSSH: a host known only by another key type is CHANGED, not unknown', () => {
    const found = lookup([`gpu1.lab ${rsa.text}`], 'gpu1.lab', 22, ed);
    expect(found.status).toBe('changed');
    // …but a host with several keys matches whichever one it presents.
    expect(lookup([`gpu1.lab ${rsa.text}`, `gpu1.lab ${ed.text}`], 'gpu1.lab', 22, ed)).toEqual({
      status: 'match',
    });
  });

  it('never accepts a revoked key, even when another line lists it as good', () => {
    const lines = [`gpu1.lab ${ed.text}`, `@revoked * ${ed.text}`];
    expect(lookup(lines, 'gpu1.lab', 22, ed)).toEqual({ status: 'revoked' });
    expect(lookup(lines, 'gpu1.lab', 2222, ed)).toEqual({ status: 'revoked' });
    expect(
      lookup([`gpu1.lab ${ed.text}`, `@revoked other.lab ${ed.text}`], 'gpu1.lab', 22, ed),
    ).toEqual({ status: 'match' });
  });

  it('does not take a @cert-authority line for the host key', () => {
    expect(lookup([`@cert-authority *.lab ${ed.text}`], 'gpu1.lab', 22, ed2)).toEqual({
      status: 'unknown',
    });
  });

  it('accepts a key recorded for the bare name on another port, as OpenSSH does', () => {
    expect(lookup([`gpu1.lab ${ed.text}`], 'gpu1.lab', 2222, ed)).toEqual({ status: 'match' });
    expect(lookup([`gpu1.lab ${ed.text}`], 'gpu1.lab', 2222, ed2)).toEqual({ status: 'unknown' });
  });
});

describe('KnownHostsStore', () => {
  async function setup(userText: string) {
    const dir = await tempDir();
    const userFile = join(dir, 'ssh', 'known_hosts');
    await mkdir(join(dir, 'ssh'));
    await writeFile(userFile, userText);
    const ownFile = join(dir, 'labdeck', 'known_hosts');
    const store = new KnownHostsStore({
      userFiles: [userFile, join(dir, 'ssh', 'known_hosts2')],
      ownFile,
    });
    return { store, userFile, ownFile };
  }

  it('trusts a new key in its own file, readable by OpenSSH, mode 0600, user file untouched', async () => {
    const userText = `gpu1.lab ${ed.text}\n`;
    const { store, userFile, ownFile } = await setup(userText);
    expect(await store.check('gpu2.lab', 2222, ed2)).toEqual({ status: 'unknown' });
    await store.trust('gpu2.lab', 2222, ed2);
    await store.trust('Gpu3.lab', 22, ecdsa);
    expect(await store.check('gpu2.lab', 2222, ed2)).toEqual({ status: 'match' });
    expect(await readFile(ownFile, 'utf8')).toBe(
      `[gpu2.lab]:2222 ${ed2.text}\ngpu3.lab ${ecdsa.text}\n`,
    );
    expect((await stat(ownFile)).mode & 0o777).toBe(0o600);
    expect(await openSshFinds(ownFile, '[gpu2.lab]:2222')).toEqual([1]);
    const { stdout } = await run('ssh-keygen', ['-l', '-f', ownFile]);
    expect(stdout).toContain(fingerprintSha256(ecdsa.data));
    expect(await readFile(userFile, 'utf8')).toBe(userText);
  });

  it('keeps both lines when two hosts are trusted at the same time', async () => {
    const { store } = await setup('');
    await Promise.all([store.trust('a.lab', 22, ed), store.trust('b.lab', 22, ed2)]);
    expect(await store.check('a.lab', 22, ed)).toEqual({ status: 'match' });
    expect(await store.check('b.lab', 22, ed2)).toEqual({ status: 'match' });
  });

  it('refuses to trust a key that contradicts a known one', async () => {
    const { store, ownFile } = await setup(`gpu1.lab ${ed.text}\n`);
    await expect(store.trust('gpu1.lab', 22, ed2)).rejects.toMatchObject({
      code: 'host-key-changed',
    });
    await expect(stat(ownFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('replaces its own old key of that type after the user verified the new one', async () => {
    const { store, ownFile } = await setup('');
    await store.trust('gpu1.lab', 22, rsa);
    await store.trust('other.lab', 22, ed);
    await writeFile(ownFile, `${await readFile(ownFile, 'utf8')}# note\ngpu1.lab ${ed.text}\n`);
    expect((await store.check('gpu1.lab', 22, ed2)).status).toBe('changed');
    await store.replace('gpu1.lab', 22, ed2);
    expect(await store.check('gpu1.lab', 22, ed2)).toEqual({ status: 'match' });
    expect((await store.check('gpu1.lab', 22, ed)).status).toBe('changed');
    // the RSA key of the same host, another host and the comment stay
    expect(await readFile(ownFile, 'utf8')).toBe(
      `gpu1.lab ${rsa.text}\nother.lab ${ed.text}\n# note\ngpu1.lab ${ed2.text}\n`,
    );
  });

  it('sends the user to ssh-keygen -R when the old key is in their own file, and that fixes it', async () => {
    const { store, userFile, ownFile } = await setup(`[gpu1.lab]:2222 ${ed.text}\n`);
    const failure = await store.replace('gpu1.lab', 2222, ed2).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppFailure);
    expect(failure).toMatchObject({ code: 'host-key-in-user-known-hosts' });
    expect((failure as AppFailure).message).toContain(`${userFile}:1`);
    expect((failure as AppFailure).hint).toContain(
      `ssh-keygen -R '[gpu1.lab]:2222' -f ${userFile}`,
    );
    await expect(stat(ownFile)).rejects.toMatchObject({ code: 'ENOENT' });
    await run('ssh-keygen', ['-R', '[gpu1.lab]:2222', '-f', userFile]);
    expect(await store.check('gpu1.lab', 2222, ed2)).toEqual({ status: 'unknown' });
  });

  it('refuses to trust or install a revoked key', async () => {
    const { store } = await setup(`@revoked * ${ed.text}\n`);
    await expect(store.trust('gpu1.lab', 22, ed)).rejects.toMatchObject({
      code: 'host-key-revoked',
    });
    await expect(store.replace('gpu1.lab', 22, ed)).rejects.toMatchObject({
      code: 'host-key-revoked',
    });
  });

  it('lists known key types, so the connection can ask for those first', async () => {
    const { store } = await setup(`gpu1.lab ${rsa.text}\n[gpu1.lab]:2222 ${ed.text}\n`);
    expect(await store.knownKeyTypes('gpu1.lab', 2222)).toEqual(['ssh-rsa', 'ssh-ed25519']);
    expect(await store.knownKeyTypes('gpu1.lab', 22)).toEqual(['ssh-rsa']);
  });

  it('tells where the malformed lines are, and fails closed on an unreadable file', async () => {
    const { store, userFile } = await setup(`gpu1.lab ${ed.text}\ngarbage\n`);
    expect((await store.read()).malformed).toEqual([`${userFile}:2`]);
    const dir = await tempDir();
    const broken = new KnownHostsStore({ userFiles: [dir], ownFile: join(dir, 'own') });
    await expect(broken.check('gpu1.lab', 22, ed)).rejects.toMatchObject({
      code: 'known-hosts-unreadable',
    });
  });
});

describe('preferredHostKeyAlgorithms', () => {
  it('asks first for the key types already known, as OpenSSH does', async () => {
    const { preferredHostKeyAlgorithms } = await import('../../../main/ssh/host-key-policy');
    expect(preferredHostKeyAlgorithms([]).slice(0, 1)).toEqual(['ssh-ed25519']);
    expect(preferredHostKeyAlgorithms(['ssh-rsa']).slice(0, 3)).toEqual([
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
    ]);
    expect(preferredHostKeyAlgorithms(['ecdsa-sha2-nistp256'])).toHaveLength(7);
  });
});
