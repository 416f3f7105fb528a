import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSshConfig, type ImportedHost } from '../../../main/ssh/ssh-config';
import {
  SSH_HOME,
  SSH_LOCAL_USER,
  expectChainAgrees,
  expectSshAgrees,
  sshG,
} from '../../support/ssh-g';

const made: string[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Writes `lines` as a config in a fresh dir ($DIR in them becomes that dir); returns its path. */
async function writeConfig(lines: readonly string[]): Promise<{ config: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'labdeck-match-'));
  made.push(dir);
  const config = join(dir, 'config');
  await writeFile(config, lines.join('\n').replaceAll('$DIR', dir) + '\n');
  return { config, dir };
}

async function importFrom(config: string) {
  const result = await parseSshConfig(config, { home: SSH_HOME, localUser: SSH_LOCAL_USER });
  const host = (name: string): ImportedHost => {
    const found = result.hosts.find((h) => h.name === name);
    if (!found) throw new Error(`${name} not imported: ${JSON.stringify(result.problems)}`);
    return found;
  };
  const problemsOf = (name: string) =>
    result.problems.filter((p) => p.host === name).map((p) => p.message);
  return { ...result, host, problemsOf };
}

async function expectAllAgree(config: string, hosts: readonly ImportedHost[]): Promise<void> {
  for (const h of hosts) {
    await expectSshAgrees(config, h.name, h);
    await expectChainAgrees(config, h.name, h.jump);
  }
}

describe('Match blocks, as ssh -G reads them', () => {
  it('gives a host under `Match host` the port ssh gives it (the HostName read so far counts)', async () => {
    const { config } = await writeConfig([
      'Host lab-direct',
      '  HostName 127.0.0.1',
      '  User uxuser',
      'Match host 127.0.0.1',
      '  Port 48191',
      'Host other',
      '  HostName 10.9.9.9',
    ]);
    const { host, hosts, problems } = await importFrom(config);
    expect(problems).toEqual([]);
    expect(host('lab-direct')).toMatchObject({ hostname: '127.0.0.1', port: 48191 });
    expect(host('other').port).toBe(22);
    await expectAllAgree(config, hosts);
  });

  it('evaluates user, originalhost, localuser, all, negation and comma lists', async () => {
    const { config } = await writeConfig([
      'Host gpu1 gpu2 Login',
      '  HostName %h.Lab.example',
      'Host gpu2',
      '  User alice',
      'Match user alice',
      '  Port 2201',
      `Match originalhost gpu*,!gpu2 localuser ${SSH_LOCAL_USER}`,
      '  Port 2202',
      '  IdentityFile ~/.ssh/gpu_key',
      'Match host *.lab.example,!login.* !user alice',
      '  User bob',
      'Match originalhost LOGIN',
      '  Port 2203',
      'Match !originalhost gpu1 user bob',
      '  IdentityFile ~/.ssh/not_gpu1',
      'Match host x all',
      '  Port 1',
      'Match all',
      '  User everyone',
    ]);
    const { hosts, host, problems } = await importFrom(config);
    expect(problems).toEqual([]);
    expect(host('gpu1')).toMatchObject({ port: 2202, user: 'bob' });
    expect(host('gpu1').identityFile).toEqual([`${SSH_HOME}/.ssh/gpu_key`]);
    expect(host('gpu2')).toMatchObject({ port: 2201, user: 'alice' });
    // originalhost is matched case-insensitively, like host.
    expect(host('Login')).toMatchObject({ port: 2203, user: 'everyone' });
    await expectAllAgree(config, hosts);
  });

  it('reads the file again against the resolved name for `Match final` and CanonicalizeHostname', async () => {
    const { config } = await writeConfig([
      'Host gpu1',
      '  HostName GPU1.Lab.example',
      'Host gpu2',
      '  HostName gpu2.lab.example',
      '  CanonicalizeHostname yes',
      'Host plain',
      '  HostName plain.lab.example',
      'Match final host gpu1.lab.example',
      '  User finaluser',
      'Match canonical',
      '  Port 2222',
      'Match !final',
      '  IdentityFile ~/.ssh/first_pass',
      // Only the second pass matches Host lines against the resolved, lowercased name.
      'Host gpu1.lab.example gpu2.lab.example',
      '  IdentityFile ~/.ssh/resolved',
    ]);
    const { hosts, host } = await importFrom(config);
    expect(host('gpu1')).toMatchObject({
      hostname: 'gpu1.lab.example',
      user: 'finaluser',
      port: 2222,
    });
    expect(host('gpu1').identityFile).toEqual([
      `${SSH_HOME}/.ssh/first_pass`,
      `${SSH_HOME}/.ssh/resolved`,
    ]);
    expect(host('gpu2')).toMatchObject({ port: 2222 });
    // Any `Match final` in the file makes ssh take the second pass for every host.
    expect(host('plain')).toMatchObject({ port: 2222 });
    await expectAllAgree(config, hosts);
  });

  it('never runs Match exec, and names the hosts ssh would run it for', async () => {
    const { config, dir } = await writeConfig([
      'Host gpu1 gpu2 login',
      '  HostName %h.lab.example',
      // ssh runs the command (it leaves a file named after the host), which then fails.
      'Match host gpu* exec "touch $DIR/ran-%n; false"',
      '  Port 2222',
      '  User vpnuser',
      'Match originalhost login !exec "touch $DIR/ran-%n"',
      '  Port 2300',
    ]);
    const { hosts, problemsOf } = await importFrom(config);
    expect(await readdir(dir)).toEqual(['config']);
    expect(problemsOf('gpu1')).toEqual([
      `${config}:3: Match exec "touch ${dir}/ran-%n; false" is never run by LabDeck, so Port and User from this block were not applied (ssh applies this block when that command succeeds)`,
    ]);
    expect(problemsOf('gpu2')).toHaveLength(1);
    expect(problemsOf('login')).toEqual([
      expect.stringContaining(`${config}:6: Match exec "touch ${dir}/ran-%n" is never run`),
    ]);
    expect(problemsOf('login')[0]).toContain('so Port from this block was not applied');
    expect(problemsOf('login')[0]).toContain('when that command fails');
    await expectAllAgree(config, hosts);
    // ssh ran each command for exactly the hosts LabDeck named (and not for the others).
    expect((await readdir(dir)).sort()).toEqual(['config', 'ran-gpu1', 'ran-gpu2', 'ran-login']);
  });

  it('resolves a jump host under Match with the user the jump spec gives it', async () => {
    const { config } = await writeConfig([
      'Host gpu1',
      '  HostName 10.1.0.1',
      '  ProxyJump alice@gw,edge',
      'Host gw',
      '  HostName gw.lab.example',
      'Host edge',
      '  ProxyJump outer',
      'Match originalhost gw user alice',
      '  Port 2022',
      'Match originalhost outer',
      '  HostName outer.example.org',
      '  Port 2323',
    ]);
    const { host, hosts } = await importFrom(config);
    expect(host('gpu1').jump).toEqual([
      expect.objectContaining({ alias: 'gw', user: 'alice', port: 2022 }),
      expect.objectContaining({ alias: 'edge', hostname: 'edge', port: 22 }),
    ]);
    expect(host('edge').jump).toEqual([
      expect.objectContaining({ alias: 'outer', hostname: 'outer.example.org', port: 2323 }),
    ]);
    await expectAllAgree(config, hosts);
  });

  it('reports a Match line ssh refuses once, and applies its block to no host', async () => {
    const { config } = await writeConfig([
      'Host gpu1',
      'Match hostname gpu1',
      '  Port 2222',
      'Match all host gpu1',
      '  Port 2223',
      'Match host',
      '  Port 2224',
    ]);
    const { host, problems } = await importFrom(config);
    expect(problems).toEqual([
      {
        host: '',
        message: `${config}:2: "hostname" is not a Match criterion; ssh refuses this line, so LabDeck applies its block to no host`,
      },
      { host: '', message: expect.stringContaining(`${config}:4: "all" cannot be combined`) },
      { host: '', message: expect.stringContaining(`${config}:6: "host" needs an argument`) },
    ]);
    expect(host('gpu1').port).toBe(22);
    await expect(sshG(config, 'gpu1')).rejects.toThrow(/Bad Match condition|Unsupported Match/);
  });
});
