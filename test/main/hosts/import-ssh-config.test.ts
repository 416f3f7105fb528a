import { generateKeyPairSync } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/labdeck';
import type { CliIo } from '../../../main/cli/cli-io';
import { testServices } from '../../harness/test-services';
import { tempHome } from '../../support/temp-home';

/** A real OpenSSH-format-sized secret: a PEM private key, one base64 line per 64 characters. */
function privateKeyPem(): string {
  return generateKeyPairSync('ed25519')
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

/** Every base64 line of a PEM body: none of them may ever appear in anything LabDeck says. */
function secretLines(pem: string): string[] {
  return pem.split('\n').filter((line) => line !== '' && !line.startsWith('-----'));
}

async function homeWithKey(): Promise<{ home: string; keyPath: string; key: string }> {
  const home = await tempHome();
  await mkdir(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  const key = privateKeyPem();
  const keyPath = join(home, '.ssh', 'id_ed25519');
  await writeFile(keyPath, key, { mode: 0o600 });
  return { home, keyPath, key };
}

describe('importing ~/.ssh/config through the bridge', () => {
  it('refuses a path: a page cannot make the services read the private key', async () => {
    const { home, keyPath, key } = await homeWithKey();
    const { client, services } = testServices(home);
    // The request a hostile page would send over the WebSocket (or a renderer over IPC): the
    // typed client forbids it, so send it as untyped input, as the bridge receives it.
    const result = await (client.request as (c: string, i: unknown) => Promise<unknown>)(
      'hosts:import-ssh-config',
      { file: keyPath },
    );
    await services.dispose();
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const said = JSON.stringify(result);
    for (const line of secretLines(key)) expect(said).not.toContain(line);
  });

  it('names the line and the problem, never the content, of a file Included by mistake', async () => {
    const { home, key } = await homeWithKey();
    await writeFile(
      join(home, '.ssh', 'config'),
      'Host gpu-1\n  HostName 10.0.0.1\n  User ada\nInclude id_ed25519\nHostName\n',
    );
    const { client, services } = testServices(home);
    const result = await client.request('hosts:import-ssh-config', {});
    await services.dispose();
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.added.map((h) => h.name)).toEqual(['gpu-1']);
    const said = JSON.stringify(result.value);
    for (const line of secretLines(key)) expect(said).not.toContain(line);
    expect(said).toContain('config:5: Hostname has no value; line ignored');
  });
});

describe('labdeck host import-ssh-config --file', () => {
  it('imports another file the user names on the command line, in-process', async () => {
    const home = await tempHome();
    const file = join(home, 'lab-hosts.conf');
    await writeFile(file, 'Host lab-a100\n  HostName 10.1.2.3\n  User grace\n  Port 2222\n');
    let out = '';
    let err = '';
    const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t) };
    const code = await runCli(['host', 'import-ssh-config', '--file', file], io, {
      PATH: '',
      LABDECK_HOME: home,
    });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('added    lab-a100 (grace@10.1.2.3:2222)');
    expect(out).toContain('1 added, 0 skipped');
  });
});
