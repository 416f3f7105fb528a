import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Notice } from '../../../common/app/app-info';
import { createClient } from '../../../common/contract/client';
import { createInProcessTransport } from '../../../main/bridge/in-process-transport';
import { EncryptedSecretStore, SECRETS_FILE } from '../../../main/secrets/encrypted-secret-store';
import { createServices } from '../../../main/services';
import { tempHome } from '../../support/temp-home';
import { keyCipher } from '../../support/key-cipher';

async function asideFiles(home: string): Promise<string[]> {
  return (await readdir(home)).filter((f) => f.startsWith('secrets.corrupt-'));
}

describe('EncryptedSecretStore', () => {
  it('moves a corrupt secrets.json aside with a notice, so LabDeck asks again instead of failing', async () => {
    const home = await tempHome();
    await writeFile(join(home, SECRETS_FILE), '{"password:ada@lab1": "AAAA');
    const store = new EncryptedSecretStore(home, keyCipher());
    const other = new EncryptedSecretStore(home, keyCipher()); // as another LabDeck process
    const raised: Notice[] = [];
    // Whichever of the two racing readers moves the file aside says so; exactly one does.
    store.onNotice((n) => raised.push(n));
    other.onNotice((n) => raised.push(n));
    const [first, second] = await Promise.all([
      store.get('password:ada@lab1'),
      other.get('password:ada@lab1'),
    ]);
    expect([first, second]).toEqual([undefined, undefined]);
    const aside = await asideFiles(home);
    expect(aside).toHaveLength(1);
    expect(await readFile(join(home, aside[0]!), 'utf8')).toBe('{"password:ada@lab1": "AAAA');
    expect(raised).toHaveLength(1);
    expect(raised[0]?.message).toMatch(/passwords and passphrases could not be read/);
    expect(raised[0]?.hint).toContain(join(home, aside[0]!));
    // What the user types next is remembered again.
    await store.set('password:ada@lab1', 'correct horse');
    expect(await store.get('password:ada@lab1')).toBe('correct horse');
    expect((await stat(join(home, SECRETS_FILE))).mode & 0o777).toBe(0o600);
  });

  it('keeps every one of ten secrets remembered at once', async () => {
    const home = await tempHome();
    const cipher = keyCipher();
    const keys = Array.from({ length: 10 }, (_, i) => `password:ada@lab${i}`);
    await Promise.all(keys.map((k, i) => new EncryptedSecretStore(home, cipher).set(k, `pw${i}`)));
    const store = new EncryptedSecretStore(home, cipher);
    expect(await Promise.all(keys.map((k) => store.get(k)))).toEqual(keys.map((_, i) => `pw${i}`));
  });

  it('treats a secret the keychain can no longer decrypt as not remembered', async () => {
    const home = await tempHome();
    await new EncryptedSecretStore(home, keyCipher()).set('passphrase:/k', 'old');
    const otherKeychain = new EncryptedSecretStore(home, keyCipher());
    expect(await otherKeychain.get('passphrase:/k')).toBeUndefined();
    await otherKeychain.set('passphrase:/k', 'new');
    expect(await otherKeychain.get('passphrase:/k')).toBe('new');
  });

  it('shows the notice in open windows and in windows opened later', async () => {
    const home = await tempHome();
    await writeFile(join(home, SECRETS_FILE), 'garbage');
    const secrets = new EncryptedSecretStore(home, keyCipher());
    const services = createServices({ home, mode: 'electron', secrets });
    const { transport, close } = createInProcessTransport(services);
    const client = createClient(transport);
    const live: Notice[] = [];
    client.on('app:notice-raised', (n) => live.push(n));
    await client.request('app:ping', {}); // subscribed before the notice is raised
    expect(await secrets.get('password:ada@lab1')).toBeUndefined();
    await expect
      .poll(() => live.map((n) => n.id))
      .toEqual([expect.stringMatching(/^secrets-reset-/)]);
    const info = await client.request('app:get-info', {});
    close();
    await services.dispose();
    expect(info.ok && info.value.notices.map((n) => n.id)).toEqual([live[0]?.id]);
  });
});
