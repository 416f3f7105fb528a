import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient } from '../../../common/contract/client';
import type { PromptRequest } from '../../../common/ssh/prompts';
import { createInProcessTransport } from '../../../main/bridge/in-process-transport';
import { EncryptedSecretStore } from '../../../main/secrets/encrypted-secret-store';
import { createServices, type Services } from '../../../main/services';
import {
  createTestUser,
  describeWithParts,
  ensureBuilt,
  REPO_ROOT,
  startSshd,
  stopAgents,
  type Sshd,
  type TestUser,
} from '../../harness';
import { keyCipher } from '../../support/key-cipher';

async function everyFile(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describeWithParts(['root', 'sshd'], 'a remembered password at rest', () => {
  let sshd: Sshd;
  let user: TestUser;
  let home: string;
  const asked: PromptRequest[] = [];

  beforeAll(async () => {
    await ensureBuilt();
    sshd = await startSshd({
      config: {
        PubkeyAuthentication: 'no',
        KbdInteractiveAuthentication: 'no',
        PasswordAuthentication: 'yes',
      },
    });
    user = await createTestUser('secret');
    home = await mkdtemp(join(tmpdir(), 'labdeck-secrets-'));
  });
  afterAll(async () => {
    await sshd?.stop();
    if (user) await stopAgents(user.username);
    await user?.dispose();
    if (home) await rm(home, { recursive: true, force: true });
  });

  function services(): Services {
    return createServices({
      home,
      mode: 'electron',
      secrets: new EncryptedSecretStore(home, cipher),
      env: { PATH: process.env.PATH },
      userHome: home,
      agentBundlePath: join(REPO_ROOT, 'out/agent/labdeck-agent.cjs'),
      prompt: async (request) => {
        asked.push(request);
        if (request.kind === 'host-key-unknown') return { kind: 'trust', trust: true };
        if (request.kind === 'password')
          return { kind: 'secret', secret: user.password, remember: true };
        return { kind: 'cancelled' };
      },
    });
  }
  const cipher = keyCipher();

  it('is stored only encrypted, and is used again without asking', async () => {
    const first = services();
    const client = createClient(createInProcessTransport(first).transport);
    await client.request('hosts:add', {
      name: 'pw',
      user: user.username,
      hostname: sshd.host,
      port: sshd.port,
    });
    expect(await client.request('hosts:connect', { hostId: 'pw' })).toMatchObject({ ok: true });
    await first.dispose();
    expect(asked.map((r) => r.kind)).toEqual(['host-key-unknown', 'password']);

    const files = await everyFile(home);
    expect(files.some((f) => f.endsWith('secrets.json'))).toBe(true);
    const needles = [
      user.password,
      Buffer.from(user.password).toString('base64'),
      Buffer.from(user.password).toString('hex'),
    ];
    for (const file of files) {
      const text = (await readFile(file)).toString('latin1');
      for (const needle of needles)
        expect(text.includes(needle), `${file} holds the password`).toBe(false);
    }

    const second = services();
    const again = createClient(createInProcessTransport(second).transport);
    expect(await again.request('hosts:connect', { hostId: 'pw' })).toMatchObject({ ok: true });
    await second.dispose();
    expect(asked).toHaveLength(2); // neither the key nor the password was asked again
  });
});
