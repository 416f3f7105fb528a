import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ssh2, { type Client as SshClient } from 'ssh2';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AgentBundle } from '../../../main/agent/agent-bundle-file';
import { ensureAgentUploaded } from '../../../main/agent/agent-upload';
import { NODE_RUNTIME_VERSION } from '../../../main/agent/node-runtime';
import { probeHost } from '../../../main/agent/probe';
import {
  createTestUser,
  describeWithParts,
  startSshd,
  stopAgents,
  testServices,
  until,
  type Sshd,
  type TestUser,
} from '../../harness';
import { buildAgentBundles } from '../agent/agent-processes';

const run = promisify(execFile);
/** Big enough that the link can be cut while it is still being sent. */
const BIG_BUNDLE_BYTES = 48 * 1024 * 1024;
/** Where the home with an awkward name lives (root-owned, so sshd's StrictModes accept it). */
const ODD_HOMES = '/tmp/labdeck-odd-homes';
/** Spaces, both quotes, `$()` and backticks: each would run or break in a badly quoted script. */
const ODD_HOME = join(ODD_HOMES, `it's a "lab" home $(touch PWNED) \`touch PWNED2\``);

async function connectSsh(sshd: Sshd, user: TestUser): Promise<SshClient> {
  const privateKey = await readFile(user.privateKeyPath);
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.once('ready', () => resolve(client)).once('error', reject);
    client.connect({
      host: sshd.host,
      port: sshd.port,
      username: user.username,
      privateKey,
      hostVerifier: () => true,
    });
  });
}

/** A test user whose home (from passwd, as sshd sets $HOME) is {@link ODD_HOME}. */
async function createOddHomeUser(): Promise<TestUser> {
  const first = await createTestUser('oddhome');
  if (first.home === ODD_HOME) return first;
  await first.dispose();
  await mkdir(ODD_HOMES, { recursive: true, mode: 0o755 });
  await run('usermod', ['-m', '-d', ODD_HOME, first.username]);
  return createTestUser('oddhome');
}

describeWithParts(['root', 'sshd', 'ssh-keygen'], 'pushing the agent to a host', () => {
  let sshd: Sshd;
  let work: string;

  beforeAll(async () => {
    sshd = await startSshd();
    work = await mkdtemp(join(tmpdir(), 'labdeck-push-'));
  });

  afterAll(async () => {
    await sshd?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('leaves no partial file when the link drops during the upload', async () => {
    const user = await createTestUser('upload');
    const agentDir = join(user.home, '.cache/labdeck/agent');
    await rm(join(user.home, '.cache/labdeck'), { recursive: true, force: true });
    try {
      const bytes = randomBytes(BIG_BUNDLE_BYTES);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const bundle: AgentBundle = { bytes, sha256, fileName: `${sha256}.cjs` };
      const client = await connectSsh(sshd, user);
      const probe = await probeHost(client, bundle, NODE_RUNTIME_VERSION);
      let cut = false;
      const upload = ensureAgentUploaded(client, probe, bundle, (sent, total) => {
        if (!cut && sent > total / 4) {
          cut = true;
          client.destroy();
        }
      });
      await expect(upload).rejects.toBeDefined();
      expect(cut).toBe(true);
      await until('the interrupted upload is cleaned up', async () =>
        (await readdir(agentDir)).length === 0 ? true : undefined,
      );
      expect(existsSync(join(agentDir, bundle.fileName))).toBe(false);
    } finally {
      await user.dispose();
    }
  });

  it('quotes a home directory with spaces, quotes, $() and backticks everywhere', async () => {
    const user = await createOddHomeUser();
    expect(user.home).toBe(ODD_HOME);
    await stopAgents(user.username);
    await rm(join(ODD_HOME, '.cache'), { recursive: true, force: true });
    const bundlePath = (await buildAgentBundles(work)).a;
    const { services, client } = testServices(join(work, 'home'), {
      agentBundlePath: bundlePath,
    });
    try {
      const added = await client.request('hosts:add', {
        name: 'odd',
        user: user.username,
        hostname: sshd.host,
        port: sshd.port,
        identityFile: user.privateKeyPath,
      });
      expect(added.ok).toBe(true);
      const connected = await client.request('hosts:connect', { hostId: 'odd' });
      expect(connected).toMatchObject({ ok: true, value: { connection: { phase: 'connected' } } });
      const agent = await (await services.hosts.get('odd')).agent();
      const cached = join(ODD_HOME, '.cache/labdeck/agent', `${agent.hello.bundleSha256}.cjs`);
      expect((await stat(cached)).uid).toBe(user.uid);
      for (const dir of [ODD_HOMES, ODD_HOME, tmpdir(), '/']) {
        expect(existsSync(join(dir, 'PWNED'))).toBe(false);
        expect(existsSync(join(dir, 'PWNED2'))).toBe(false);
      }
    } finally {
      await services.dispose();
      await stopAgents(user.username);
      await user.dispose();
    }
  });
});
