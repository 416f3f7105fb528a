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

describe('previewing, choosing and re-importing through the bridge', () => {
  const CONFIG = [
    'Host lab-direct',
    '  HostName 127.0.0.1',
    '  User uxuser',
    'Match host 127.0.0.1',
    '  Port 48191',
    'Host gpu-a',
    '  HostName 10.0.0.7',
    '  User ada',
    '  ProxyJump lab-direct',
    'Host gpu-b',
    '  HostName 10.0.0.8',
    'Match originalhost gpu-b exec "false"',
    '  User someone',
    'Host bad',
    '  Port ssh-alt',
    '',
  ].join('\n');

  it('lists every host as it would be added, adds nothing, then imports only the chosen', async () => {
    const home = await tempHome();
    await mkdir(join(home, '.ssh'));
    await writeFile(join(home, '.ssh', 'config'), CONFIG);
    const { client, services } = testServices(home);
    const preview = await client.request('hosts:preview-import', {});
    if (!preview.ok) throw new Error(preview.error.message);
    const { file, candidates, skipped } = preview.value;
    expect(file).toBe('~/.ssh/config');
    expect(candidates.map((c) => c.host.name)).toEqual(['lab-direct', 'gpu-a', 'gpu-b']);
    expect(candidates[0]?.host).toMatchObject({
      user: 'uxuser',
      hostname: '127.0.0.1',
      port: 48191,
    });
    expect(candidates[1]?.via).toEqual([
      { name: 'lab-direct', user: 'uxuser', hostname: '127.0.0.1', port: 48191 },
    ]);
    expect(candidates[2]?.notes).toEqual([
      expect.stringMatching(/config:12: Match exec false is never run by LabDeck, so User/),
    ]);
    expect(skipped).toEqual([
      { host: 'bad', reason: expect.stringContaining('Port "ssh-alt" is not a number') },
    ]);
    const listed = await client.request('hosts:list', {});
    expect(listed.ok && listed.value.map((h) => h.name)).toEqual(['This computer']);

    const imported = await client.request('hosts:import-ssh-config', {
      names: ['lab-direct', 'gpu-b'],
    });
    if (!imported.ok) throw new Error(imported.error.message);
    expect(imported.value.added.map((h) => [h.name, h.address])).toEqual([
      ['lab-direct', 'uxuser@127.0.0.1:48191'],
      ['gpu-b', expect.stringMatching(/@10\.0\.0\.8$/)],
    ]);
    expect(imported.value.skipped).toEqual([]);
    expect(imported.value.warnings.map((w) => w.host)).toEqual(['gpu-b']);
    await services.dispose();
  });

  it('says in words which hosts are already there and how the file differs', async () => {
    const home = await tempHome();
    await mkdir(join(home, '.ssh'));
    await writeFile(join(home, '.ssh', 'config'), CONFIG);
    const { client, services } = testServices(home);
    await client.request('hosts:import-ssh-config', { names: ['lab-direct', 'gpu-a'] });
    await writeFile(join(home, '.ssh', 'config'), CONFIG.replace('48191', '2222'));
    const preview = await client.request('hosts:preview-import', {});
    if (!preview.ok) throw new Error(preview.error.message);
    const existing = Object.fromEntries(
      preview.value.candidates.map((c) => [c.host.name, c.existing?.differences ?? null]),
    );
    expect(existing).toEqual({
      'lab-direct': ['port 48191 in LabDeck, 2222 in the file'],
      'gpu-a': ['jump hosts uxuser@127.0.0.1:48191 in LabDeck, uxuser@127.0.0.1:2222 in the file'],
      'gpu-b': null,
    });
    const again = await client.request('hosts:import-ssh-config', {});
    if (!again.ok) throw new Error(again.error.message);
    expect(again.value.added.map((h) => h.name)).toEqual(['gpu-b']);
    const reasons = Object.fromEntries(again.value.skipped.map((s) => [s.host, s.reason]));
    expect(reasons['lab-direct']).toBe(
      'already in LabDeck with other settings (port 48191 in LabDeck, 2222 in the file); edit it there to change them',
    );
    expect(JSON.stringify(again.value)).not.toContain('name: ');
    await writeFile(join(home, '.ssh', 'config'), CONFIG);
    const same = await client.request('hosts:import-ssh-config', { names: ['gpu-a', 'gone'] });
    if (!same.ok) throw new Error(same.error.message);
    expect(same.value.skipped).toEqual([
      { host: 'gpu-a', reason: 'already in LabDeck, with the same settings' },
      { host: 'gone', reason: '~/.ssh/config no longer names this host' },
    ]);
    await services.dispose();
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
