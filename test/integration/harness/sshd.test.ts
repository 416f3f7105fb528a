import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type ConnectConfig } from 'ssh2';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createKeyPair,
  createTestUser,
  describeWithParts,
  startSshd,
  type Sshd,
  type TestUser,
} from '../../harness';

/** OpenSSH's SHA256 fingerprint of a raw host key blob, computed independently of ssh-keygen. */
function fingerprintOf(hostKey: Buffer): string {
  return `SHA256:${createHash('sha256').update(hostKey).digest('base64').replace(/=+$/, '')}`;
}

/** Connect, pinning the host key to `expectedFingerprint` the way LabDeck's known-hosts check does. */
async function connect(
  sshd: Sshd,
  auth: Pick<ConnectConfig, 'username' | 'privateKey' | 'passphrase' | 'password'>,
  expectedFingerprint = sshd.hostKeyFingerprintSha256,
): Promise<Client> {
  const client = new Client();
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve).once('error', reject);
    client.connect({
      host: sshd.host,
      port: sshd.port,
      readyTimeout: 10_000,
      hostVerifier: (key: Buffer) => fingerprintOf(key) === expectedFingerprint,
      ...auth,
    });
  });
  return client;
}

/** Run `command` over `client` and return its stdout. */
async function exec(client: Client, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, stream) => {
      if (error) return reject(error);
      let stdout = '';
      stream.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      stream.stderr.resume();
      stream.once('close', () => resolve(stdout));
    });
  });
}

describeWithParts(['root', 'sshd', 'ssh-keygen'], 'harness sshd', () => {
  let sshd: Sshd;
  let alice: TestUser;
  let aliceWithPassphrase: TestUser;
  let strangerDir: string;

  beforeAll(async () => {
    sshd = await startSshd();
    alice = await createTestUser('alice');
    aliceWithPassphrase = await createTestUser('alice', { passphrase: 'correct horse' });
    strangerDir = await mkdtemp(join(tmpdir(), 'labdeck-stranger-'));
  });

  afterAll(async () => {
    await sshd?.stop();
    await alice?.dispose();
    await aliceWithPassphrase?.dispose();
    if (strangerDir) await rm(strangerDir, { recursive: true, force: true });
  });

  it('logs the test user in with their key after the host key matches', async () => {
    const client = await connect(sshd, {
      username: alice.username,
      privateKey: await readFile(alice.privateKeyPath),
    });
    expect((await exec(client, 'id -un')).trim()).toBe('labdeck-test-alice');
    client.end();
    expect(await sshd.readLog()).toContain(
      `Accepted publickey for labdeck-test-alice from 127.0.0.1`,
    );
  });

  it('accepts a passphrase-protected key and the password through PAM', async () => {
    const withKey = await connect(sshd, {
      username: aliceWithPassphrase.username,
      privateKey: await readFile(aliceWithPassphrase.privateKeyPath),
      passphrase: 'correct horse',
    });
    expect((await exec(withKey, 'echo "$HOME"')).trim()).toBe(aliceWithPassphrase.home);
    withKey.end();
    const withPassword = await connect(sshd, {
      username: alice.username,
      password: alice.password,
    });
    expect((await exec(withPassword, 'id -un')).trim()).toBe('labdeck-test-alice');
    withPassword.end();
  });

  it('rejects a key that is not authorized and a wrong password', async () => {
    const stranger = await createKeyPair(join(strangerDir, 'id_ed25519'));
    const privateKey = await readFile(stranger.privateKeyPath);
    await expect(connect(sshd, { username: alice.username, privateKey })).rejects.toThrow(
      /authentication methods failed/,
    );
    await expect(
      connect(sshd, { username: alice.username, password: `${alice.password}x` }),
    ).rejects.toThrow(/authentication methods failed/);
    expect(await sshd.readLog()).toContain(`Failed password for labdeck-test-alice`);
  });

  it('leaves no auth attempt in the log when the client refuses the host key', async () => {
    const logBefore = (await sshd.readLog()).length;
    const privateKey = await readFile(alice.privateKeyPath);
    const wrongFingerprint = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    await expect(
      connect(sshd, { username: alice.username, privateKey }, wrongFingerprint),
    ).rejects.toThrow(/verification failed/i);
    await new Promise((resolve) => setTimeout(resolve, 200)); // let sshd log the disconnect
    const added = (await sshd.readLog()).slice(logBefore);
    expect(added).toContain('Connection from 127.0.0.1');
    expect(added).not.toMatch(/Accepted|Failed|Postponed|authenticating/);
  });

  it('restart drops open sessions and serves again with the same host key', async () => {
    const privateKey = await readFile(alice.privateKeyPath);
    const before = await connect(sshd, { username: alice.username, privateKey });
    const closed = new Promise<void>((resolve) => before.once('close', resolve));
    await sshd.restart();
    await closed;
    const after = await connect(sshd, { username: alice.username, privateKey });
    expect((await exec(after, 'id -un')).trim()).toBe('labdeck-test-alice');
    after.end();
  });
});
