import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../common/contract/result';
import {
  parseJumpSpec,
  parseSshConfig,
  type ImportedHost,
  type JumpHop,
} from '../../../main/ssh/ssh-config';
import { SSH_HOME, SSH_LOCAL_USER, expectSshAgrees, sshG } from '../../support/ssh-g';

const HOME = SSH_HOME;
const LOCAL_USER = SSH_LOCAL_USER;

const made: string[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Writes `files` (path → text, relative to a fresh temp dir) and returns the dir. */
async function writeFiles(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'labdeck-ssh-config-'));
  made.push(dir);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text.replaceAll('$DIR', dir));
  }
  return dir;
}

async function importFrom(config: string, home = HOME) {
  const result = await parseSshConfig(config, { home, localUser: LOCAL_USER });
  const byName = new Map(result.hosts.map((h) => [h.name, h]));
  const host = (name: string): ImportedHost => {
    const found = byName.get(name);
    if (!found)
      throw new Error(`${name} was not imported; problems: ${JSON.stringify(result.problems)}`);
    return found;
  };
  return {
    ...result,
    host,
    problemsOf: (name: string) =>
      result.problems.filter((p) => p.host === name).map((p) => p.message),
  };
}

describe('parseSshConfig agrees with ssh -G', () => {
  it('applies Host * defaults and negations with first-value-wins, Key=Value and quotes', async () => {
    const dir = await writeFiles({
      config: [
        '# lab',
        'Host gpu1 gpu2 Login',
        '  HostName %h.lab.example',
        '  IdentityFile ~/.ssh/lab_ed25519',
        '  IdentityFile "/tmp/with space/key"',
        'Host gpu2',
        '  HOSTNAME ignored.example',
        '  Port 2200',
        '  User bob',
        'Host * !gpu2',
        '  Port = 2222',
        '  IdentitiesOnly yes',
        'Host *',
        '  User=alice',
        '  IdentityFile ~/.ssh/id_fallback',
        'Host gpu1',
        '  User carol',
      ].join('\n'),
    });
    const config = join(dir, 'config');
    const { hosts, host, problems } = await importFrom(config);
    expect(problems).toEqual([]);
    expect(hosts.map((h) => h.name)).toEqual(['gpu1', 'gpu2', 'Login']);
    expect(host('gpu1')).toEqual({
      name: 'gpu1',
      hostname: 'gpu1.lab.example',
      user: 'alice',
      port: 2222,
      identityFile: [`${HOME}/.ssh/lab_ed25519`, '/tmp/with space/key', `${HOME}/.ssh/id_fallback`],
      identitiesOnly: true,
      jump: [],
    });
    expect(host('gpu2')).toMatchObject({ hostname: 'gpu2.lab.example', user: 'bob', port: 2200 });
    expect(host('gpu2').identitiesOnly).toBeUndefined();
    expect(host('Login').hostname).toBe('login.lab.example');
    for (const h of hosts) await expectSshAgrees(config, h.name, h);
  });

  it('follows Include globs in sorted order, skipping dotfiles, scoped to the enclosing Host', async () => {
    const dir = await writeFiles({
      config: [
        'Include $DIR/conf.d/*.conf',
        'Host build',
        '  Include $DIR/build-extra',
        'Host *',
        '  Port 2000',
      ].join('\n'),
      'conf.d/10-alpha.conf': 'Host alpha\n  HostName alpha.internal\n  Port 2001\n',
      'conf.d/20-beta.conf':
        'Host beta\n  HostName beta.internal\nHost alpha\n  Port 9999\n  User late\n',
      'conf.d/.hidden.conf': 'Host hidden\n  HostName hidden.internal\n',
      'conf.d/notes.txt': 'Host notes\n',
      // Included under an inactive `Host build`, even its own `Host beta` block must not apply.
      'build-extra': 'HostName build.internal\nUser builder\nHost beta\n  User sneaky\n',
    });
    const config = join(dir, 'config');
    const { hosts, host } = await importFrom(config);
    expect(hosts.map((h) => h.name)).toEqual(['alpha', 'beta', 'build']);
    expect(host('alpha')).toMatchObject({ hostname: 'alpha.internal', port: 2001, user: 'late' });
    expect(host('build')).toMatchObject({
      hostname: 'build.internal',
      user: 'builder',
      port: 2000,
    });
    expect(host('beta').user).toBeUndefined();
    for (const h of hosts) await expectSshAgrees(config, h.name, h);
  });

  it('resolves ProxyJump hops through other aliases, as ssh -J would reach them', async () => {
    const dir = await writeFiles({
      config: [
        'Host gpu1',
        '  HostName gpu1.internal',
        '  ProxyJump bastion,gw:2200',
        'Host deep',
        '  ProxyJump gw',
        'Host bastion',
        '  HostName bastion.example.org',
        '  User jumper',
        '  Port 2022',
        '  IdentityFile ~/.ssh/bastion_key',
        'Host gw',
        '  HostName gw.internal',
        '  User gwuser',
        '  ProxyJump outer',
        'Host outer',
        '  HostName outer.example.org',
        'Host direct',
        '  ProxyJump none',
        'Host direct gpu1',
        '  ProxyJump ignored',
      ].join('\n'),
    });
    const config = join(dir, 'config');
    const { host } = await importFrom(config);
    expect((await sshG(config, 'gpu1')).get('proxyjump')).toEqual(['bastion,gw:2200']);
    const [bastion, gw] = host('gpu1').jump;
    expect(host('gpu1').jump).toHaveLength(2); // gw's own ProxyJump does not apply to a later hop
    expect(bastion).toMatchObject({ hostname: 'bastion.example.org', user: 'jumper', port: 2022 });
    await expectSshAgrees(config, 'bastion', bastion as JumpHop);
    expect(gw).toEqual({ alias: 'gw', hostname: 'gw.internal', user: 'gwuser', port: 2200 });
    await expectSshAgrees(config, 'gw', gw as JumpHop, ['-p', '2200']);
    // A first hop's own ProxyJump comes before it: ssh runs `ssh gw`, which jumps via outer.
    expect(host('deep').jump.map((h) => h.hostname)).toEqual(['outer.example.org', 'gw.internal']);
    expect((await sshG(config, 'gw')).get('proxyjump')).toEqual(['outer']);
    expect(host('direct').jump).toEqual([]);
    expect((await sshG(config, 'direct')).get('proxyjump')).toBeUndefined();
  });

  it('lets ProxyJump and ProxyCommand shadow each other as ssh does, and reports ProxyCommand', async () => {
    const dir = await writeFiles({
      config: [
        'Host a',
        '  ProxyJump none',
        'Host b',
        '  ProxyCommand ssh -W %h:%p gw',
        'Host c',
        '  ProxyJump gw',
        'Host a b c d',
        '  ProxyJump x@y:1,z',
        '  ProxyCommand nc %h %p',
      ].join('\n'),
    });
    const config = join(dir, 'config');
    const { host, problemsOf } = await importFrom(config);
    for (const alias of ['a', 'b', 'c', 'd']) {
      const g = await sshG(config, alias);
      expect(
        problemsOf(alias).some((p) => p.includes('ProxyCommand')),
        alias,
      ).toBe(g.has('proxycommand'));
      expect(host(alias).jump.length > 0, alias).toBe(g.has('proxyjump'));
    }
    expect(problemsOf('b')[0]).toContain(`${config}:4`);
    expect(host('c').jump).toEqual([{ alias: 'gw', hostname: 'gw', port: 22 }]);
    expect(host('d').jump).toEqual([
      { alias: 'y', user: 'x', hostname: 'y', port: 1 },
      { alias: 'z', hostname: 'z', port: 22 },
    ]);
    expect((await sshG(config, 'd')).get('proxyjump')).toEqual(['x@y:1,z']);
  });
});

describe('parseSshConfig reports what it cannot use', () => {
  it('warns per host about settings that change how it connects, and not about forwardings', async () => {
    const dir = await writeFiles({
      config: [
        'Host gpu1',
        '  CertificateFile ~/.ssh/id_ed25519-cert.pub',
        '  UserKnownHostsFile /dev/null',
        '  LocalForward 8888 localhost:8888',
        '  ControlMaster auto',
        'Host gpu2',
        '  UserKnownHostsFile ~/.ssh/known_hosts',
        '  IdentityAgent SSH_AUTH_SOCK',
      ].join('\n'),
    });
    const { problemsOf } = await importFrom(join(dir, 'config'));
    const gpu1 = problemsOf('gpu1');
    expect(gpu1).toHaveLength(2);
    expect(gpu1[0]).toMatch(/config:2: .*id_ed25519-cert\.pub is ignored: certificates/);
    expect(gpu1[1]).toMatch(/config:3: \/dev\/null is ignored: LabDeck checks host keys/);
    expect(problemsOf('gpu2')).toEqual([]);
  });

  it('expands IdentityFile tokens it knows and skips a key path it cannot expand', async () => {
    const dir = await writeFiles({
      config: [
        'Host gpu1',
        '  HostName GPU1.Lab',
        '  User alice',
        '  Port 2200',
        '  IdentityFile ~/.ssh/%r@%h-%p-%n',
        '  IdentityFile %d/keys/%u_100%%',
        '  IdentityFile ~/.ssh/%l_key',
        '  IdentityFile keys/relative',
      ].join('\n'),
    });
    const { host, problemsOf } = await importFrom(join(dir, 'config'), '/home/me');
    expect(host('gpu1').identityFile).toEqual([
      '/home/me/.ssh/alice@gpu1.lab-2200-gpu1',
      `/home/me/keys/${LOCAL_USER}_100%`,
      '/home/me/keys/relative',
    ]);
    expect(problemsOf('gpu1')).toEqual([
      expect.stringMatching(/config:7: IdentityFile ~\/\.ssh\/%l_key is skipped: .*"%l"/),
    ]);
  });

  it('does not import a host with a bad port, a bad jump spec or a jump loop, and says why', async () => {
    const dir = await writeFiles({
      config: [
        'Host badport',
        '  Port ssh-alt',
        'Host badjump',
        '  ProxyJump alice@:22',
        'Host loop1',
        '  ProxyJump loop2',
        'Host loop2',
        '  ProxyJump loop1',
        'Host ok',
        '  HostName ok.lab',
        'Host badname',
        '  HostName %l.lab',
        'Host broken',
        '  User "unclosed',
      ].join('\n'),
    });
    const config = join(dir, 'config');
    const { hosts, problemsOf, problems } = await importFrom(config);
    expect(hosts.map((h) => h.name)).toEqual(['ok', 'broken']);
    expect(problemsOf('badport')).toEqual([
      `not imported: ${config}:2: Port "ssh-alt" is not a number from 1 to 65535`,
    ]);
    expect(problemsOf('badjump')[0]).toContain('"alice@:22" has no valid host name');
    expect(problemsOf('badname')[0]).toMatch(
      /config:12: HostName %l\.lab: LabDeck cannot expand "%l"/,
    );
    expect(problemsOf('loop1')[0]).toContain('ProxyJump loops: loop1 → loop2 → loop1');
    expect(problems).toContainEqual({
      host: '',
      message: `${config}:14: a quote is not closed; line ignored`,
    });
  });

  it('reads Include paths relative to ~/.ssh, stops runaway recursion, and treats no file as no hosts', async () => {
    const home = await writeFiles({
      '.ssh/config': 'Include conf.d/*\nInclude ~/.ssh/self\n',
      '.ssh/conf.d/lab': 'Host gpu1\n  HostName gpu1.lab\n',
      '.ssh/self': 'Include self\n',
    });
    const { host, problems } = await importFrom(join(home, '.ssh', 'config'), home);
    expect(host('gpu1').hostname).toBe('gpu1.lab');
    expect(problems).toEqual([
      { host: '', message: expect.stringMatching(/self:1: Include nested more than 16 deep/) },
    ]);
    expect(await parseSshConfig(join(home, 'missing'), { home })).toEqual({
      hosts: [],
      problems: [],
    });
  });

  it('reads through the readFile it is given', async () => {
    const files: Record<string, string> = { '/virtual/config': 'Host v\n  HostName v.lab\n' };
    const readFile = async (path: string) =>
      files[path] ?? Promise.reject(Object.assign(new Error('nope'), { code: 'ENOENT' }));
    const { hosts } = await parseSshConfig('/virtual/config', { home: '/virtual', readFile });
    expect(hosts.map((h) => h.hostname)).toEqual(['v.lab']);
  });
});

describe('parseJumpSpec', () => {
  it('reads user, host and port for each hop, first hop first', () => {
    expect(parseJumpSpec('alice@gw.lab:2222,gpu-gw')).toEqual([
      { user: 'alice', hostname: 'gw.lab', port: 2222 },
      { hostname: 'gpu-gw', port: 22 },
    ]);
    expect(parseJumpSpec('ssh://bob@[fe80::1]:2200')).toEqual([
      { user: 'bob', hostname: 'fe80::1', port: 2200 },
    ]);
  });

  it.each([
    ['gw,,gpu', 'empty jump host'],
    ['@gw', '"@gw" has an empty user name'],
    ['alice@:22', '"alice@:22" has no valid host name'],
    ['gw:99999', '"gw:99999" has port "99999"'],
    ['fe80::1', 'IPv6 addresses go in brackets'],
  ])('rejects %s, naming the bad part', (spec, expected) => {
    const failure = (() => {
      try {
        parseJumpSpec(spec);
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(AppFailure);
    expect((failure as AppFailure).code).toBe('invalid-jump-spec');
    expect((failure as AppFailure).message).toContain(expected);
  });
});
