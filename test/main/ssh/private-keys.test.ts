import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPrivateKey } from '../../../main/ssh/private-keys';

const run = promisify(execFile);

describe('loadPrivateKey with keys made by ssh-keygen', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labdeck-keys-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function keygen(type: string, passphrase: string): Promise<string> {
    const path = join(dir, `${type}-${passphrase ? 'locked' : 'open'}`);
    await run('ssh-keygen', ['-q', '-t', type, '-N', passphrase, '-f', path]);
    return path;
  }

  it.each(['ed25519', 'ecdsa', 'rsa'])('reads an unencrypted %s key', async (type) => {
    const loaded = await loadPrivateKey(await keygen(type, ''));
    expect(loaded.status).toBe('ready');
  });

  it.each(['ed25519', 'ecdsa', 'rsa'])(
    'asks for the passphrase of an encrypted %s key, and knows a wrong one',
    async (type) => {
      const path = await keygen(type, 'open sesame');
      expect((await loadPrivateKey(path)).status).toBe('needs-passphrase');
      expect((await loadPrivateKey(path, 'wrong')).status).toBe('bad-passphrase');
      expect((await loadPrivateKey(path, 'open sesame')).status).toBe('ready');
    },
  );

  it('reports a missing file as missing, not as an error', async () => {
    expect(await loadPrivateKey(join(dir, 'nope'))).toEqual({ status: 'missing' });
  });
});
