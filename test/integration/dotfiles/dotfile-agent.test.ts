import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AgentClient } from '../../../main/agent/agent-client';
import type { Services } from '../../../main/services';
import type { Result } from '../../../common/contract/result';
import type { AppError } from '../../../common/contract/result';
import {
  dotfileStoreSchema,
  type DotfileEntry,
  type DotfileStore,
} from '../../../common/dotfiles/dotfile-store';
import { MAX_DOTFILE_BYTES_PER_OWNER, MAX_DOTFILES_PER_OWNER } from '../../../common/dotfiles';
import {
  describeWithParts,
  startSshd,
  stopAgents,
  testServices,
  type Sshd,
  type TestUser,
} from '../../harness';
import { runAs, snapshotTree } from '../host-setup/privileged-fixture';
import {
  DOTFILE_HOST_PARTS,
  makeDotfileHost,
  refusalOf,
  type DotfileHost,
} from './dotfile-fixture';

/** This file's own sudo group and dotfile group (prefix dfa). */
const SUDO_GROUP = 'labdeck-test-dfa';
const GROUP = 'dfa-grp';
/** A group whose name has spaces, as directory services name them (`groupadd` refuses it). */
const SPACED_GROUP = 'dfa domain users';
/** The group made first, under a name groupadd takes, then renamed to {@link SPACED_GROUP}. */
const SPACED_SEED = 'dfa-spaced';

const exec = promisify(execFile);

/** Renames group `from` to `to` in /etc/group and /etc/gshadow, as an admin editing them would. */
async function renameGroupLine(from: string, to: string): Promise<void> {
  for (const file of ['/etc/group', '/etc/gshadow']) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const lines = text
      .split('\n')
      .map((line) => (line.startsWith(`${from}:`) ? to + line.slice(from.length) : line));
    await writeFile(file, lines.join('\n'));
  }
}

/** The value of a result, or a test failure naming the error. */
function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** The error of a result, or a test failure when it succeeded. */
function errorOf(result: Result<unknown>): AppError {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  return result.error;
}

/** `stat -c '%a %U %G'` of `path`, read with Node. */
async function modeOwner(path: string): Promise<{ mode: string; uid: number; gid: number }> {
  const info = await stat(path);
  return { mode: (info.mode & 0o777).toString(8), uid: info.uid, gid: info.gid };
}

function entry(content: string, revision: number): DotfileEntry {
  return {
    content,
    mode: '644',
    revision,
    updatedAt: '2026-01-01T00:00:00.000Z',
    updatedBy: 'root',
  };
}

describeWithParts(
  [...DOTFILE_HOST_PARTS, 'sshd'],
  "the agent's dotfiles.* methods and the helper's dotfile writes, through the real sshd and sudo",
  () => {
    let host: DotfileHost;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let sshd: Sshd;
    let home: string;
    let services: Services;
    let asAlice: AgentClient;
    let asBob: AgentClient;
    let asCarol: AgentClient;

    const store = async (path: string): Promise<DotfileStore> =>
      dotfileStoreSchema.parse(JSON.parse(await readFile(path, 'utf8')));
    /** Everything the helper or an agent could have written: the root and the users' state. */
    const snapshot = async () => [
      ...(await snapshotTree(host.installed.root, [host.installed.paths.privilegedLog])),
      ...(await Promise.all(
        [alice, bob, carol].map(async (user) =>
          readFile(host.userStorePath(user), 'utf8').catch(() => 'none'),
        ),
      )),
    ];

    beforeAll(async () => {
      host = await makeDotfileHost({
        sudoGroup: SUDO_GROUP,
        group: GROUP,
        admin: 'dfa-alice',
        member: 'dfa-bob',
        outsiders: ['dfa-carol'],
      });
      ({ admin: alice, member: bob } = host);
      carol = host.outsiders[0]!;
      sshd = await startSshd({ config: { SetEnv: host.agentEnv } });
      home = await mkdtemp(join(tmpdir(), 'labdeck-dfa-home-'));
      const made = testServices(home, { agentBundlePath: host.bundle });
      services = made.services;
      for (const user of [alice, bob, carol])
        value(
          await made.client.request('hosts:add', {
            name: user.username,
            user: user.username,
            hostname: sshd.host,
            port: sshd.port,
            identityFile: user.privateKeyPath,
          }),
        );
      const agentOf = async (user: TestUser): Promise<AgentClient> =>
        (await services.hosts.get(user.username)).agent();
      asAlice = await agentOf(alice);
      asBob = await agentOf(bob);
      asCarol = await agentOf(carol);
    }, 300_000);

    afterAll(async () => {
      await renameGroupLine(SPACED_GROUP, SPACED_SEED);
      await exec('groupdel', [SPACED_SEED]).catch(() => {});
      await services?.dispose();
      await sshd?.stop();
      for (const user of [alice, bob, carol]) if (user) await stopAgents(user.username);
      await host?.remove();
      if (home) await rm(home, { recursive: true, force: true });
    });

    it('says who the user is, their groups and what they may change', async () => {
      expect(value(await asAlice.call('dotfiles.context', {}))).toEqual({
        user: alice.username,
        primaryGroup: alice.username,
        groups: expect.arrayContaining([alice.username, SUDO_GROUP, GROUP]),
        configured: true,
        lab: 'dotfile test lab',
        domainAdmin: true,
        groupAdmin: [GROUP],
        systemPaths: [],
      });
      const bobs = value(await asBob.call('dotfiles.context', {}));
      expect(bobs).toMatchObject({ domainAdmin: false, groupAdmin: [] });
      expect(bobs.groups[0]).toBe(bob.username);
      expect(value(await asCarol.call('dotfiles.context', {})).groups).not.toContain(GROUP);
    });

    it("keeps a user's own files in ~/.labdeck/dotfiles.json, theirs alone (0700, 0600)", async () => {
      const set = value(
        await asBob.call('dotfiles.set', {
          scope: 'user',
          path: '.bashrc',
          content: 'alias ll="ls -l"\n',
          baseRevision: null,
        }),
      );
      expect(set).toEqual({
        scope: 'user',
        group: null,
        path: '.bashrc',
        mode: '644',
        bytes: 17,
        updatedAt: expect.any(String),
        updatedBy: bob.username,
        revision: 1,
      });
      value(
        await asBob.call('dotfiles.set', {
          scope: 'user',
          path: '.config/git/config',
          content: '[user]\n\tname = Bob\n',
          mode: '600',
        }),
      );
      const file = host.userStorePath(bob);
      expect(await modeOwner(join(bob.home, '.labdeck'))).toEqual({
        mode: '700',
        uid: bob.uid,
        gid: bob.gid,
      });
      expect(await modeOwner(file)).toEqual({ mode: '600', uid: bob.uid, gid: bob.gid });
      expect((await store(file)).revision).toBe(2);
      const others = await runAs(carol.username, ['/usr/bin/cat', file]);
      expect(others.code).not.toBe(0);

      expect(value(await asBob.call('dotfiles.read', { scope: 'user', path: '.bashrc' }))).toEqual({
        ...set,
        content: 'alias ll="ls -l"\n',
      });
      expect(
        value(await asBob.call('dotfiles.list', { scope: 'user' })).files.map((f) => [
          f.path,
          f.mode,
          f.revision,
        ]),
      ).toEqual([
        ['.bashrc', '644', 1],
        ['.config/git/config', '600', 2],
      ]);
      expect(
        value(await asBob.call('dotfiles.remove', { scope: 'user', path: '.config/git/config' })),
      ).toMatchObject({ path: '.config/git/config', revision: 2 });
      expect(
        errorOf(await asBob.call('dotfiles.read', { scope: 'user', path: '.config/git/config' })),
      ).toMatchObject({
        code: 'dotfile-not-found',
        message: 'There is no ~/.config/git/config in your dotfiles.',
      });
      expect(
        errorOf(await asBob.call('dotfiles.remove', { scope: 'user', path: '.nothing' })).code,
      ).toBe('dotfile-not-found');
      expect(Object.keys((await store(file)).files)).toEqual(['.bashrc']);
      expect((await store(file)).revision).toBe(3);
    });

    it('lets the lab admin set /etc/bash.bashrc and the group admin /etc/profile.d/lab.sh, in stores only their readers read', async () => {
      const lab = value(
        await asAlice.call('dotfiles.set', {
          scope: 'domain',
          path: '/etc/bash.bashrc',
          content: 'umask 002\n',
        }),
      );
      expect(lab).toMatchObject({ scope: 'domain', group: null, updatedBy: alice.username });
      const group = value(
        await asAlice.call('dotfiles.set', {
          scope: 'group',
          group: GROUP,
          path: '/etc/profile.d/lab.sh',
          content: 'export LAB=vision\n',
          mode: '755',
        }),
      );
      expect(group).toMatchObject({ scope: 'group', group: GROUP, mode: '755', revision: 1 });
      const gid = Number(
        (await runAs('root', ['/usr/bin/getent', 'group', GROUP])).stdout.split(':')[2],
      );
      expect(await modeOwner(host.groupStorePath())).toEqual({ mode: '640', uid: 0, gid });
      expect(await modeOwner(host.labStorePath)).toEqual({ mode: '644', uid: 0, gid: 0 });
      expect(await modeOwner(join(host.installed.paths.stateDir, 'dotfiles/groups'))).toEqual({
        mode: '711',
        uid: 0,
        gid: 0,
      });
      expect(await modeOwner(join(host.installed.paths.stateDir, 'dotfiles'))).toEqual({
        mode: '755',
        uid: 0,
        gid: 0,
      });

      // Bob, a member, reads both; the whole list is his own, his groups' and the lab's.
      expect(
        value(
          await asBob.call('dotfiles.read', {
            scope: 'group',
            group: GROUP,
            path: '/etc/profile.d/lab.sh',
          }),
        ).content,
      ).toBe('export LAB=vision\n');
      expect(
        value(await asBob.call('dotfiles.list', {})).files.map((f) => [f.scope, f.group, f.path]),
      ).toEqual([
        ['user', null, '.bashrc'],
        ['group', GROUP, '/etc/profile.d/lab.sh'],
        ['domain', null, '/etc/bash.bashrc'],
      ]);
    });

    it('refuses a member who is not the group’s admin in the helper, and nothing changes', async () => {
      const before = await snapshot();
      expect(
        errorOf(
          await asBob.call('dotfiles.set', {
            scope: 'group',
            group: GROUP,
            path: '/etc/profile.d/lab.sh',
            content: 'export LAB=mine\n',
          }),
        ),
      ).toMatchObject({
        code: 'dotfile-not-admin',
        message: expect.stringContaining(
          `${bob.username} (uid ${bob.uid}) is not one (groupAdmins.${GROUP} in the lab configuration lists ${alice.username})`,
        ),
      });
      expect(
        errorOf(await asBob.call('dotfiles.remove', { scope: 'domain', path: '/etc/bash.bashrc' }))
          .code,
      ).toBe('dotfile-not-admin');
      // Straight to the helper through sudo, as Bob: the same refusal.
      const helper = await host.connect(bob);
      for (const params of [
        { scope: 'group', group: GROUP, path: '/etc/profile.d/lab.sh', content: 'x' },
        { scope: 'group', group: GROUP, path: '/etc/profile.d/lab.sh', content: null },
        { scope: 'domain', path: '/etc/bash.bashrc', content: 'x' },
      ])
        expect(
          (await refusalOf(helper, 'privileged.dotfile.write', params)).code,
          JSON.stringify(params),
        ).toBe('dotfile-not-admin');
      expect(await snapshot()).toEqual(before);
      const log = await readFile(host.installed.paths.privilegedLog, 'utf8');
      const refusals = log
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.callerUid === bob.uid && line.result === 'refused');
      expect(refusals.map((line) => line.code)).toEqual(Array(5).fill('dotfile-not-admin'));
      // The text is logged by size only.
      expect(JSON.stringify(refusals)).not.toContain('export LAB=mine');
    });

    it("keeps a group's files from non-members: the file's mode, and the agent says why", async () => {
      const read = await runAs(carol.username, ['/usr/bin/cat', host.groupStorePath()]);
      expect(read.code).not.toBe(0);
      expect(read.stderr).toContain('Permission denied');
      for (const result of [
        await asCarol.call('dotfiles.list', { scope: 'group', group: GROUP }),
        await asCarol.call('dotfiles.read', {
          scope: 'group',
          group: GROUP,
          path: '/etc/profile.d/lab.sh',
        }),
        await asCarol.call('dotfiles.preview', { group: GROUP }),
      ])
        expect(errorOf(result)).toMatchObject({
          code: 'dotfile-group-not-member',
          message: `You (${carol.username}) are not in group ${GROUP}, so its dotfiles are not yours to read or start a session with.`,
        });
      // Her own list has her groups' and the lab's, not this group's.
      expect(
        value(await asCarol.call('dotfiles.list', {})).files.map((f) => [f.scope, f.path]),
      ).toEqual([['domain', '/etc/bash.bashrc']]);
    });

    it('refuses ../x, /etc/shadow, .ssh/authorized_keys, 65,537 bytes and mode 8xx in the agent and the helper, writing nothing', async () => {
      const before = await snapshot();
      const big = 'x'.repeat(65_537);
      const cases: [Record<string, unknown>, string][] = [
        [{ path: '../x', content: 'x' }, 'path: must not have a ".." part'],
        [{ path: '/etc/shadow', content: 'x' }, 'path: must be relative to the home directory'],
        [
          { path: '.ssh/authorized_keys', content: 'ssh-ed25519 AAAA' },
          'path: must not be in ~/.ssh',
        ],
        [
          { path: '.bashrc', content: big },
          'content: must be at most 65536 bytes of UTF-8 (it has 65537)',
        ],
        [{ path: '.bashrc', content: 'x', mode: '8xx' }, 'mode: must be three octal digits'],
      ];
      const helper = await host.connect(alice);
      for (const [fields, message] of cases)
        for (const scope of ['user', 'group', 'domain'] as const) {
          const params = { scope, ...(scope === 'group' ? { group: GROUP } : {}), ...fields };
          const error = errorOf(await asAlice.call('dotfiles.set', params as never));
          expect(error.code, JSON.stringify({ scope, path: fields.path })).toBe('invalid-input');
          if (!(scope === 'user' && fields.path === '/etc/shadow'))
            expect(error.message).toContain(message);
          if (scope === 'user') continue;
          const refusal = await refusalOf(helper, 'privileged.dotfile.write', params);
          expect(refusal.code).toBe('invalid-input');
          expect(refusal.message).toContain(message);
        }
      // Every field at once.
      expect(
        errorOf(
          await asAlice.call('dotfiles.set', {
            scope: 'domain',
            path: '../x',
            content: big,
          }),
        ).message,
      ).toBe(
        'path: must not have a ".." part; content: must be at most 65536 bytes of UTF-8 (it has 65537)',
      );
      expect(await snapshot()).toEqual(before);
    });

    it('names a bad path and a bad mode together, in the agent and the helper, writing nothing', async () => {
      const before = await snapshot();
      const message =
        'path: must not have a ".." part; mode: must be three octal digits, such as 644';
      const helper = await host.connect(alice);
      for (const scope of ['user', 'group', 'domain'] as const) {
        const params = {
          scope,
          ...(scope === 'group' ? { group: GROUP } : {}),
          path: '../x',
          content: 'x',
          mode: '8xx',
        };
        expect(errorOf(await asAlice.call('dotfiles.set', params)), scope).toMatchObject({
          code: 'invalid-input',
          message,
        });
        if (scope === 'user') continue;
        expect(await refusalOf(helper, 'privileged.dotfile.write', params), scope).toMatchObject({
          code: 'invalid-input',
          message,
        });
      }
      expect(await snapshot()).toEqual(before);
    });

    it('refuses a save over a change made since the editor opened the file, naming who and when', async () => {
      await host.reconfigure({ ...host.config, labAdmins: [alice.username, bob.username] });
      try {
        const opened = value(
          await asAlice.call('dotfiles.read', { scope: 'domain', path: '/etc/bash.bashrc' }),
        );
        const bobs = value(
          await asBob.call('dotfiles.set', {
            scope: 'domain',
            path: '/etc/bash.bashrc',
            content: 'umask 022\n',
            baseRevision: opened.revision,
          }),
        );
        expect(bobs.revision).toBeGreaterThan(opened.revision);
        const when = `${bobs.updatedAt.slice(0, 10)} ${bobs.updatedAt.slice(11, 16)} UTC`;
        expect(
          errorOf(
            await asAlice.call('dotfiles.set', {
              scope: 'domain',
              path: '/etc/bash.bashrc',
              content: 'umask 007\n',
              baseRevision: opened.revision,
            }),
          ),
        ).toEqual({
          code: 'dotfile-conflict',
          message: `/etc/bash.bashrc was changed by ${bob.username} at ${when} since you opened it.`,
          hint: 'Reload the file to see the other version, then save again (your text is kept).',
        });
        expect((await store(host.labStorePath)).files['/etc/bash.bashrc']?.content).toBe(
          'umask 022\n',
        );
        // A new file that someone made meanwhile, at user level too.
        expect(
          errorOf(
            await asBob.call('dotfiles.set', {
              scope: 'user',
              path: '.bashrc',
              content: 'x',
              baseRevision: null,
            }),
          ),
        ).toMatchObject({
          code: 'dotfile-conflict',
          message: expect.stringMatching(/^~\/\.bashrc was created by you \(elsewhere\)/),
        });
        // Two saves at once from the same revision: one wins, the other is told.
        const base = value(
          await asAlice.call('dotfiles.read', { scope: 'domain', path: '/etc/bash.bashrc' }),
        );
        const both = await Promise.all(
          [asAlice, asBob].map((agent, index) =>
            agent.call('dotfiles.set', {
              scope: 'domain',
              path: '/etc/bash.bashrc',
              content: `umask 00${index}\n`,
              baseRevision: base.revision,
            }),
          ),
        );
        expect(both.map((result) => (result.ok ? 'ok' : result.error.code)).sort()).toEqual([
          'dotfile-conflict',
          'ok',
        ]);
      } finally {
        await host.reconfigure({ ...host.config, labAdmins: [alice.username] });
      }
    });

    it('holds an owner to 100 files and 256 KiB, exactly', async () => {
      // Carol's own level, through her agent: 100 files fit, the 101st does not.
      for (let index = 0; index < MAX_DOTFILES_PER_OWNER; index += 1)
        value(
          await asCarol.call('dotfiles.set', { scope: 'user', path: `.f${index}`, content: 'x' }),
        );
      expect(
        errorOf(await asCarol.call('dotfiles.set', { scope: 'user', path: '.more', content: 'x' })),
      ).toMatchObject({
        code: 'dotfile-limit',
        message: 'Your dotfiles would have 101 files; at most 100 are allowed.',
      });
      expect(Object.keys((await store(host.userStorePath(carol))).files)).toHaveLength(100);

      // A group's store 1 byte short of 256 KiB (written as root, as the helper would): a
      // 1-byte file fits, a 2-byte one (é) does not.
      const quarter = MAX_DOTFILE_BYTES_PER_OWNER / 4;
      const seeded: DotfileStore = {
        version: 1,
        revision: 4,
        files: Object.fromEntries(
          [1, 2, 3, 4].map((index) => [
            `.big${index}`,
            entry('x'.repeat(index === 4 ? quarter - 1 : quarter), index),
          ]),
        ),
      };
      const path = host.groupStorePath();
      const kept = await readFile(path);
      try {
        await writeFile(path, JSON.stringify(seeded));
        const helper = await host.connect(alice);
        const over = await refusalOf(helper, 'privileged.dotfile.write', {
          scope: 'group',
          group: GROUP,
          path: '.one',
          content: 'é',
        });
        expect(over).toMatchObject({
          code: 'dotfile-limit',
          message: `Group ${GROUP}'s dotfiles would hold 262145 bytes; at most 262144 (256 KiB) are allowed, all files together.`,
        });
        expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(seeded);
        expect(
          await helper.call('privileged.dotfile.write', {
            scope: 'group',
            group: GROUP,
            path: '.one',
            content: 'x',
          }),
        ).toMatchObject({ bytes: 1, revision: 5 });
      } finally {
        await writeFile(path, kept);
      }
    });

    it('previews user over group over lab for the chosen group, texts only when asked', async () => {
      value(
        await asAlice.call('dotfiles.set', { scope: 'domain', path: '.vimrc', content: 'lab\n' }),
      );
      value(
        await asAlice.call('dotfiles.set', {
          scope: 'group',
          group: GROUP,
          path: '.vimrc',
          content: 'group\n',
        }),
      );
      value(await asBob.call('dotfiles.set', { scope: 'user', path: '.vimrc', content: 'mine\n' }));
      const preview = value(await asBob.call('dotfiles.preview', { group: GROUP }));
      expect(preview.group).toBe(GROUP);
      expect(
        preview.files.map((f) => [f.path, f.scope, f.group, f.overrides, 'content' in f]),
      ).toEqual([
        ['.bashrc', 'user', null, [], false],
        [
          '.vimrc',
          'user',
          null,
          [
            { scope: 'group', group: GROUP },
            { scope: 'domain', group: null },
          ],
          false,
        ],
        ['/etc/bash.bashrc', 'domain', null, [], false],
        ['/etc/profile.d/lab.sh', 'group', GROUP, [], false],
      ]);
      const lab = await store(host.labStorePath);
      const full = value(await asBob.call('dotfiles.preview', { group: GROUP, content: true }));
      expect(Object.fromEntries(full.files.map((f) => [f.path, [f.content, f.mode]]))).toEqual({
        '.bashrc': ['alias ll="ls -l"\n', '644'],
        '.vimrc': ['mine\n', '644'],
        '/etc/bash.bashrc': [lab.files['/etc/bash.bashrc']?.content, '644'],
        '/etc/profile.d/lab.sh': ['export LAB=vision\n', '755'],
      });
      // No group named: the primary group's (Bob's own, which has no files).
      const primary = value(await asBob.call('dotfiles.preview', {}));
      expect(primary.group).toBe(bob.username);
      expect(primary.files.map((f) => [f.path, f.scope])).toEqual([
        ['.bashrc', 'user'],
        ['.vimrc', 'user'],
        ['/etc/bash.bashrc', 'domain'],
      ]);
    });

    it('takes the host’s extra system paths from its configuration', async () => {
      const params = {
        scope: 'domain',
        path: '/etc/screenrc',
        content: 'startup_message off\n',
      } as const;
      expect(errorOf(await asAlice.call('dotfiles.set', params)).code).toBe('invalid-input');
      await host.reconfigure({ ...host.config, dotfileSystemPaths: ['/etc/screenrc'] });
      try {
        expect(value(await asAlice.call('dotfiles.context', {})).systemPaths).toEqual([
          '/etc/screenrc',
        ]);
        // The helper read its configuration when it started: a new one is started for each call.
        expect(value(await asAlice.call('dotfiles.set', params)).path).toBe('/etc/screenrc');
      } finally {
        await host.reconfigure({ ...host.config, dotfileSystemPaths: [] });
      }
      // Kept from when it was allowed: left out of what a session gets, and still removable.
      expect(
        value(await asBob.call('dotfiles.preview', { group: GROUP })).files.map((f) => f.path),
      ).not.toContain('/etc/screenrc');
      expect(
        value(await asAlice.call('dotfiles.remove', { scope: 'domain', path: '/etc/screenrc' }))
          .path,
      ).toBe('/etc/screenrc');
    });

    it('refuses a group the host does not have, even to its configured admin', async () => {
      await host.reconfigure({
        ...host.config,
        groupAdmins: { ...host.config.groupAdmins, 'dfa-nogroup': [alice.username] },
      });
      try {
        const before = await snapshot();
        expect(
          errorOf(
            await asAlice.call('dotfiles.set', {
              scope: 'group',
              group: 'dfa-nogroup',
              path: '.inputrc',
              content: 'set bell-style none\n',
            }),
          ),
        ).toEqual({
          code: 'dotfile-group-unknown',
          message: 'group: "dfa-nogroup" is not a group of this host, so it has no dotfiles.',
          hint: 'Check the name with `getent group NAME`.',
        });
        expect(await snapshot()).toEqual(before);
      } finally {
        const { 'dfa-nogroup': _gone, ...groupAdmins } = host.config.groupAdmins;
        await host.reconfigure({ ...host.config, groupAdmins });
      }
    });

    it('on a host without setup: own dotfiles work, group and lab writes say to set it up', async () => {
      const file = host.installed.paths.configFile;
      await rename(file, `${file}.away`);
      try {
        expect(value(await asAlice.call('dotfiles.context', {}))).toMatchObject({
          configured: false,
          lab: null,
          domainAdmin: false,
          groupAdmin: [],
        });
        for (const params of [
          { scope: 'domain', path: '.inputrc', content: 'x' },
          { scope: 'group', group: GROUP, path: '.inputrc', content: 'x' },
        ] as const)
          expect(errorOf(await asAlice.call('dotfiles.set', params))).toEqual({
            code: 'dotfiles-need-setup',
            message: `LabDeck is not set up on this host (there is no ${file}): group and lab dotfiles need host setup, once, by someone who can sudo.`,
            hint: 'Your own dotfiles work without it. For the others: labdeck host setup HOST',
          });
        expect(
          value(
            await asAlice.call('dotfiles.set', { scope: 'user', path: '.inputrc', content: 'x' }),
          ).scope,
        ).toBe('user');
      } finally {
        await rename(`${file}.away`, file);
      }
    });

    it('reads a group whose name has spaces as one group, not one per word', async () => {
      await exec('groupadd', [SPACED_SEED]);
      await exec('usermod', ['-aG', SPACED_SEED, bob.username]);
      await renameGroupLine(SPACED_SEED, SPACED_GROUP);
      try {
        const { groups } = value(await asBob.call('dotfiles.context', {}));
        expect(groups).toContain(SPACED_GROUP);
        for (const word of ['dfa', 'domain', 'users']) expect(groups).not.toContain(word);
        expect(groups.filter((name) => name === GROUP)).toHaveLength(1);
        // Its name is none a store can have: it has no files, and the list says nothing of it.
        expect(
          value(await asBob.call('dotfiles.list', {})).files.filter((f) => f.scope === 'group'),
        ).not.toContainEqual(expect.objectContaining({ group: SPACED_GROUP }));
      } finally {
        await renameGroupLine(SPACED_GROUP, SPACED_SEED);
        await exec('groupdel', [SPACED_SEED]);
      }
    });

    it('lets a member who joined the group after their agent started read its files, through the helper', async () => {
      value(
        await asAlice.call('dotfiles.set', {
          scope: 'group',
          group: GROUP,
          path: '.dfa-late',
          content: 'joined late\n',
        }),
      );
      // Carol's agent has run since before: its process lacks the group the file's mode asks for.
      await exec('usermod', ['-aG', GROUP, carol.username]);
      try {
        expect(value(await asCarol.call('dotfiles.context', {})).groups).toContain(GROUP);
        expect(
          value(
            await asCarol.call('dotfiles.read', {
              scope: 'group',
              group: GROUP,
              path: '.dfa-late',
            }),
          ),
        ).toMatchObject({
          scope: 'group',
          group: GROUP,
          path: '.dfa-late',
          content: 'joined late\n',
          updatedBy: alice.username,
        });
        expect(
          value(await asCarol.call('dotfiles.list', { scope: 'group', group: GROUP })).files.map(
            (f) => f.path,
          ),
        ).toContain('.dfa-late');
        expect(
          value(await asCarol.call('dotfiles.list', {})).files.map((f) => [
            f.scope,
            f.group,
            f.path,
          ]),
        ).toContainEqual(['group', GROUP, '.dfa-late']);
        const preview = value(
          await asCarol.call('dotfiles.preview', { group: GROUP, content: true }),
        );
        expect(preview.files.find((f) => f.path === '.dfa-late')).toMatchObject({
          scope: 'group',
          group: GROUP,
          content: 'joined late\n',
        });
      } finally {
        await exec('gpasswd', ['-d', carol.username, GROUP]);
        value(
          await asAlice.call('dotfiles.remove', {
            scope: 'group',
            group: GROUP,
            path: '.dfa-late',
          }),
        );
      }
    });

    it('lets a group admin who is not in the group list, open and save its files from the revision opened, but start no session with them', async () => {
      await host.reconfigure({
        ...host.config,
        groupAdmins: { ...host.config.groupAdmins, [GROUP]: [alice.username, carol.username] },
      });
      try {
        const context = value(await asCarol.call('dotfiles.context', {}));
        expect(context.groups).not.toContain(GROUP);
        expect(context.groupAdmin).toEqual([GROUP]);
        value(
          await asAlice.call('dotfiles.set', {
            scope: 'group',
            group: GROUP,
            path: '.dfa-admin',
            content: 'one\n',
          }),
        );
        const ref = { scope: 'group', group: GROUP, path: '.dfa-admin' } as const;
        expect(
          value(await asCarol.call('dotfiles.list', { scope: 'group', group: GROUP })).files.map(
            (f) => f.path,
          ),
        ).toContain('.dfa-admin');
        const opened = value(await asCarol.call('dotfiles.read', ref));
        expect(opened.content).toBe('one\n');
        const saved = value(
          await asCarol.call('dotfiles.set', {
            ...ref,
            content: 'two\n',
            baseRevision: opened.revision,
          }),
        );
        expect(saved).toMatchObject({ updatedBy: carol.username });
        expect(
          errorOf(
            await asCarol.call('dotfiles.set', {
              ...ref,
              content: 'three\n',
              baseRevision: opened.revision,
            }),
          ),
        ).toMatchObject({
          code: 'dotfile-conflict',
          message: expect.stringMatching(/^~\/\.dfa-admin was changed by you \(elsewhere\) at /),
        });
        // A session's group is one the user is in: being its admin is not enough.
        expect(errorOf(await asCarol.call('dotfiles.preview', { group: GROUP }))).toMatchObject({
          code: 'dotfile-group-not-member',
        });
        expect(
          value(await asCarol.call('dotfiles.list', {})).files.filter((f) => f.group === GROUP),
        ).toEqual([]);
      } finally {
        await host.reconfigure({
          ...host.config,
          groupAdmins: { ...host.config.groupAdmins, [GROUP]: [alice.username] },
        });
        value(
          await asAlice.call('dotfiles.remove', {
            scope: 'group',
            group: GROUP,
            path: '.dfa-admin',
          }),
        );
      }
    });

    it("answers privileged.dotfile.read with a group's files to its members and admins, and refuses anyone else", async () => {
      value(
        await asAlice.call('dotfiles.set', {
          scope: 'group',
          group: GROUP,
          path: '.dfa-direct',
          content: 'direct\n',
        }),
      );
      try {
        const stored = await store(host.groupStorePath());
        for (const user of [bob, alice]) {
          const answer = await (
            await host.connect(user)
          ).call('privileged.dotfile.read', {
            group: GROUP,
          });
          expect(answer.revision).toBe(stored.revision);
          expect(answer.files.map((f) => f.path)).toEqual(Object.keys(stored.files).sort());
          expect(answer.files.find((f) => f.path === '.dfa-direct')).toEqual({
            scope: 'group',
            group: GROUP,
            path: '.dfa-direct',
            mode: '644',
            bytes: 7,
            updatedAt: stored.files['.dfa-direct']?.updatedAt,
            updatedBy: alice.username,
            revision: stored.files['.dfa-direct']?.revision,
            content: 'direct\n',
          });
        }
        const outsider = await host.connect(carol);
        for (const group of [GROUP, 'constructor', '__proto__'])
          expect(
            await refusalOf(outsider, 'privileged.dotfile.read', { group }),
            group,
          ).toMatchObject({
            code: 'dotfile-group-not-member',
            message: expect.stringContaining(
              `${carol.username} (uid ${carol.uid}) is not in group ${group}`,
            ),
          });
      } finally {
        value(
          await asAlice.call('dotfiles.remove', {
            scope: 'group',
            group: GROUP,
            path: '.dfa-direct',
          }),
        );
      }
    });

    it('refuses constructor and __proto__ as groups nobody administers, not with an internal error', async () => {
      const before = await snapshot();
      const helper = await host.connect(bob);
      for (const group of ['constructor', '__proto__']) {
        const params = { scope: 'group', group, path: '.inputrc', content: 'x' } as const;
        expect(errorOf(await asAlice.call('dotfiles.set', params)), group).toMatchObject({
          code: 'dotfile-not-admin',
          message: expect.stringContaining(
            `(groupAdmins.${group} in the lab configuration lists nobody)`,
          ),
        });
        expect((await refusalOf(helper, 'privileged.dotfile.write', params)).code, group).toBe(
          'dotfile-not-admin',
        );
        expect(
          errorOf(await asAlice.call('dotfiles.read', { scope: 'group', group, path: '.inputrc' }))
            .code,
          group,
        ).toBe('dotfile-group-not-member');
      }
      expect(await snapshot()).toEqual(before);
    });

    it("lists the other levels when one group's store cannot be read, and names that store when asked for it", async () => {
      value(await asBob.call('dotfiles.set', { scope: 'user', path: '.dfa-mine', content: 'x' }));
      const path = host.groupStorePath();
      await rename(path, `${path}.kept`);
      try {
        const damages: [() => Promise<void>, string][] = [
          [() => mkdir(path), 'dotfile-store-unreadable'],
          [
            async () => {
              await rm(path, { recursive: true });
              await writeFile(path, '{"version":');
            },
            'dotfile-store-invalid',
          ],
        ];
        for (const [damage, code] of damages) {
          await damage();
          const files = value(await asBob.call('dotfiles.list', {})).files;
          expect(
            files.map((f) => [f.scope, f.path]),
            code,
          ).toContainEqual(['user', '.dfa-mine']);
          expect(
            files.filter((f) => f.group === GROUP),
            code,
          ).toEqual([]);
          expect(
            errorOf(await asBob.call('dotfiles.list', { scope: 'group', group: GROUP })),
          ).toMatchObject({ code, message: expect.stringContaining(path) });
        }
      } finally {
        await rm(path, { recursive: true, force: true });
        await rename(`${path}.kept`, path);
        value(await asBob.call('dotfiles.remove', { scope: 'user', path: '.dfa-mine' }));
      }
    });

    it('names a damaged store in the same words whether it is read or written', async () => {
      const path = host.labStorePath;
      await rename(path, `${path}.kept`);
      try {
        await writeFile(path, '{"version": 2}');
        const read = errorOf(
          await asAlice.call('dotfiles.read', { scope: 'domain', path: '/etc/bash.bashrc' }),
        );
        expect(read).toMatchObject({
          code: 'dotfile-store-invalid',
          message: expect.stringContaining(path),
        });
        const write = errorOf(
          await asAlice.call('dotfiles.set', {
            scope: 'domain',
            path: '/etc/inputrc',
            content: 'x',
          }),
        );
        expect(write).toEqual(read);
        expect(await readFile(path, 'utf8')).toBe('{"version": 2}');
      } finally {
        await rm(path, { force: true });
        await rename(`${path}.kept`, path);
      }
    });
  },
);
