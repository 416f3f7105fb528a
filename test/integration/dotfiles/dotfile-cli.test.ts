import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Client } from '../../../common/contract/client';
import type { AppError, Result } from '../../../common/contract/result';
import type { AgentClient } from '../../../main/agent/agent-client';
import type { Services } from '../../../main/services';
import {
  describeWithParts,
  runLabdeck,
  startSshd,
  stopAgents,
  testServices,
  type Sshd,
  type TestUser,
} from '../../harness';
import { DOTFILE_HOST_PARTS, makeDotfileHost, type DotfileHost } from './dotfile-fixture';

/** This file's own sudo group and dotfile group (prefix dfc). */
const SUDO_GROUP = 'labdeck-test-dfc';
const GROUP = 'dfc-grp';
/** The keys of `dotfile ls --json`, in order (issue 13; keys are only ever added). */
const LS_KEYS = ['scope', 'group', 'path', 'mode', 'bytes', 'updatedAt'];
/** The keys of `dotfile preview --json`, in order. */
const PREVIEW_KEYS = ['path', 'scope', 'group', 'mode', 'bytes'];
/** The hint of main's own refusal: the agent's says nothing of LabDeck refusing first. */
const MAIN_HINT =
  'Correct the fields named above and save again (LabDeck refused it before asking the host).';
/** One byte more than a dotfile may have. */
const TOO_BIG = 'a'.repeat(65_537);

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

function errorOf(result: Result<unknown>): AppError {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  return result.error;
}

/** A file's text, or null when there is none. */
const textOf = (path: string): Promise<string | null> =>
  readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });

describeWithParts(
  [...DOTFILE_HOST_PARTS, 'sshd'],
  '`labdeck dotfile` over the real sshd, the real agent, sudo and the privileged helper',
  () => {
    let host: DotfileHost;
    let alice: TestUser;
    let bob: TestUser;
    let sshd: Sshd;
    let home: string;
    let files: string;
    let services: Services;
    let client: Client;
    let env: NodeJS.ProcessEnv;
    let agent: AgentClient;

    const labdeck = (...args: string[]) => runLabdeck(args, env);
    /** A local file holding `text`, for `--file`. */
    const local = async (name: string, text: string | Buffer): Promise<string> => {
      const path = join(files, name);
      await writeFile(path, text);
      return path;
    };
    /** `dotfile ls HOST --json` of every level, parsed. */
    const listed = async (hostName = 'lab', ...more: string[]) => {
      const run = await labdeck('dotfile', 'ls', hostName, '--json', ...more);
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout) as Record<string, unknown>[];
    };
    /** What a write could change: every store's bytes and what `dotfile ls` prints. */
    const written = async () => ({
      stores: await Promise.all(
        [host.userStorePath(alice), host.groupStorePath(), host.labStorePath].map(textOf),
      ),
      ls: await listed(),
    });

    beforeAll(async () => {
      host = await makeDotfileHost({
        sudoGroup: SUDO_GROUP,
        group: GROUP,
        admin: 'dfc-alice',
        member: 'dfc-bob',
        primaryGroup: true,
      });
      ({ admin: alice, member: bob } = host);
      sshd = await startSshd({ config: { SetEnv: host.agentEnv } });
      home = await mkdtemp(join(tmpdir(), 'labdeck-dfc-home-'));
      files = await mkdtemp(join(tmpdir(), 'labdeck-dfc-files-'));
      ({ services, client } = testServices(home));
      for (const [name, user] of [
        ['lab', alice],
        ['bob-lab', bob],
      ] as const) {
        value(
          await client.request('hosts:add', {
            name,
            user: user.username,
            hostname: sshd.host,
            port: sshd.port,
            identityFile: user.privateKeyPath,
          }),
        );
        // Once through the services, so the host key is recorded as a first connect does.
        value(await client.request('hosts:connect', { hostId: name }));
      }
      agent = await (await services.hosts.get('lab')).agent();
      env = { PATH: process.env.PATH, LABDECK_HOME: home, HOME: home, LABDECK_NO_APP: '1' };
    }, 300_000);

    afterAll(async () => {
      await services?.dispose();
      await sshd?.stop();
      for (const user of [alice, bob]) if (user) await stopAgents(user.username);
      await host?.remove();
      for (const dir of [home, files]) if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('sets, shows, lists and removes your own dotfiles from the CLI, the JSON keys exact', async () => {
      const text = 'export EDITOR=vim\r\nalias ll="ls -l" # é ✓\n';
      const set = await labdeck(
        'dotfile',
        'set',
        'lab',
        '.bashrc',
        '--file',
        await local('bashrc', text),
      );
      expect(set.code, set.stderr).toBe(0);
      expect(set.stdout).toBe(
        `Set ~/.bashrc (user) on lab: mode 644, ${Buffer.byteLength(text)} B. Sessions started from now on get it.\n`,
      );
      // Its Windows line end is kept (show prints it below), and said, with the fix.
      const bashrcFile = join(files, 'bashrc');
      expect(set.stderr).toBe(
        `warning: ${bashrcFile} has Windows line ends (CRLF, on 1 line): in a session bash and most tools read the \\r as part of the line ($'\\r': command not found). LabDeck kept the text as it is. To fix it, convert the file (dos2unix ${bashrcFile}, or sed -i 's/\\r$//' ${bashrcFile}) and set it again.\n`,
      );
      const vimrc = await labdeck(
        'dotfile',
        'set',
        'lab',
        '.vimrc',
        '--file',
        await local('vimrc', 'set number\n'),
        '--mode',
        '600',
        '--scope',
        'user',
      );
      expect(vimrc.code, vimrc.stderr).toBe(0);
      expect(vimrc.stderr).toBe('');

      const mine = await listed('lab', '--scope', 'user');
      for (const entry of mine) expect(Object.keys(entry)).toEqual(LS_KEYS);
      expect(mine.map(({ updatedAt: _, ...rest }) => rest)).toEqual([
        {
          scope: 'user',
          group: null,
          path: '.bashrc',
          mode: '644',
          bytes: Buffer.byteLength(text),
        },
        { scope: 'user', group: null, path: '.vimrc', mode: '600', bytes: 11 },
      ]);
      expect(Date.parse(mine[0]!.updatedAt as string)).toBeGreaterThan(Date.now() - 600_000);

      // Exactly the bytes that were set: for scripts.
      const shown = await labdeck('dotfile', 'show', 'lab', '.bashrc');
      expect(shown).toEqual({ code: 0, stdout: text, stderr: '' });

      const table = await labdeck('dotfile', 'ls', 'lab', '--scope', 'user');
      expect(table.stdout).toMatch(/^SCOPE +PATH +MODE +SIZE +UPDATED\n/);
      expect(table.stdout).toMatch(
        new RegExp(
          `\\nuser +~/\\.vimrc +600 +11 B +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC by ${alice.username}\\n`,
        ),
      );

      const removed = await labdeck('dotfile', 'rm', 'lab', '.vimrc');
      expect(removed).toEqual({
        code: 0,
        stdout: 'Removed ~/.vimrc (user) from lab.\n',
        stderr: '',
      });
      expect((await listed('lab', '--scope', 'user')).map((f) => f.path)).toEqual(['.bashrc']);
      const again = await labdeck('dotfile', 'rm', 'lab', '.vimrc');
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('There is no ~/.vimrc in');
      expect(again.stderr).toContain('(code: dotfile-not-found)');
      const none = await labdeck('dotfile', 'show', 'lab', '.vimrc');
      expect(none.code).toBe(1);
      expect(none.stderr).toContain('(code: dotfile-not-found)');
    });

    it('sets group and lab files as their admin; a member reads them but cannot change them: the helper refuses', async () => {
      const lab = await local('lab.sh', 'export LAB=vision\n');
      const group = await labdeck(
        'dotfile',
        'set',
        'lab',
        '/etc/profile.d/lab.sh',
        '--file',
        lab,
        '--scope',
        `group:${GROUP}`,
      );
      expect(group.code, group.stderr).toBe(0);
      // Her own ~/.bashrc, or a member's, would win over a group file of the same path: the line
      // says so rather than promise every session gets it.
      expect(group.stdout).toBe(
        `Set /etc/profile.d/lab.sh (group:${GROUP}) on lab: mode 644, 18 B. New sessions with group ${GROUP} get it, unless the user's own dotfiles have the same path (what yours get: labdeck dotfile preview lab --group ${GROUP}).\n`,
      );
      const groupBashrc = await labdeck(
        'dotfile',
        'set',
        'lab',
        '.bashrc',
        '--file',
        await local('group-bashrc', '# the group\n'),
        '--scope',
        `group:${GROUP}`,
      );
      expect(groupBashrc.code, groupBashrc.stderr).toBe(0);
      for (const [path, text] of [
        ['/etc/bash.bashrc', 'PS1="lab$ "\n'],
        ['.bashrc', '# the lab\n'],
      ] as const) {
        const domain = await labdeck(
          'dotfile',
          'set',
          'lab',
          path,
          '--file',
          await local('domain', text),
          '--scope',
          'domain',
        );
        expect(domain.code, domain.stderr).toBe(0);
        expect(domain.stdout).toContain(
          "New sessions get it, unless a group's or the user's own dotfiles have the same path (what yours get: labdeck dotfile preview lab).\n",
        );
      }

      const asBob = await listed('bob-lab');
      for (const entry of asBob) expect(Object.keys(entry)).toEqual(LS_KEYS);
      expect(asBob.map(({ scope, group, path }) => ({ scope, group, path }))).toEqual(
        expect.arrayContaining([
          { scope: 'group', group: GROUP, path: '/etc/profile.d/lab.sh' },
          { scope: 'group', group: GROUP, path: '.bashrc' },
          { scope: 'domain', group: null, path: '/etc/bash.bashrc' },
          { scope: 'domain', group: null, path: '.bashrc' },
        ]),
      );
      expect(asBob.filter((f) => f.scope === 'user')).toEqual([]);
      expect(await listed('bob-lab', '--scope', `group:${GROUP}`)).toEqual(
        asBob.filter((f) => f.scope === 'group'),
      );
      const shown = await labdeck(
        'dotfile',
        'show',
        'bob-lab',
        '/etc/profile.d/lab.sh',
        '--scope',
        `group:${GROUP}`,
      );
      expect(shown).toEqual({ code: 0, stdout: 'export LAB=vision\n', stderr: '' });
      const table = await labdeck('dotfile', 'ls', 'bob-lab');
      expect(table.stdout).toMatch(
        new RegExp(
          `\\ngroup:${GROUP} +/etc/profile\\.d/lab\\.sh +644 +18 B +.* by ${alice.username}\\n`,
        ),
      );

      const before = await textOf(host.groupStorePath());
      const labBefore = await textOf(host.labStorePath);
      for (const scope of [`group:${GROUP}`, 'domain']) {
        const refused = await labdeck(
          'dotfile',
          'set',
          'bob-lab',
          '/etc/profile.d/lab.sh',
          '--file',
          await local('bob.sh', 'export LAB=bob\n'),
          '--scope',
          scope,
        );
        expect(refused.code, refused.stderr).toBe(1);
        expect(refused.stderr).toContain('(code: dotfile-not-admin)');
        const removed = await labdeck(
          'dotfile',
          'rm',
          'bob-lab',
          '/etc/profile.d/lab.sh',
          '--scope',
          scope,
        );
        expect(removed.code).toBe(1);
        expect(removed.stderr).toContain('(code: dotfile-not-admin)');
      }
      expect(await textOf(host.groupStorePath())).toBe(before);
      expect(await textOf(host.labStorePath)).toBe(labBefore);
      expect(
        (
          await labdeck(
            'dotfile',
            'show',
            'bob-lab',
            '/etc/profile.d/lab.sh',
            '--scope',
            `group:${GROUP}`,
          )
        ).stdout,
      ).toBe('export LAB=vision\n');
    });

    it('previews the merged set a new session gets: user over group over lab, the JSON keys exact', async () => {
      const preview = await labdeck('dotfile', 'preview', 'lab', '--json');
      expect(preview.code, preview.stderr).toBe(0);
      const merged = JSON.parse(preview.stdout) as Record<string, unknown>[];
      for (const entry of merged) expect(Object.keys(entry)).toEqual(PREVIEW_KEYS);
      const bashrc = (await listed('lab', '--scope', 'user')).find((f) => f.path === '.bashrc')!;
      expect(merged).toEqual([
        { path: '.bashrc', scope: 'user', group: null, mode: '644', bytes: bashrc.bytes },
        { path: '/etc/bash.bashrc', scope: 'domain', group: null, mode: '644', bytes: 12 },
        { path: '/etc/profile.d/lab.sh', scope: 'group', group: GROUP, mode: '644', bytes: 18 },
      ]);
      // The primary group is the default; naming it gives the same.
      const named = await labdeck('dotfile', 'preview', 'lab', '--group', GROUP, '--json');
      expect(JSON.parse(named.stdout)).toEqual(merged);
      const table = await labdeck('dotfile', 'preview', 'lab');
      expect(table.stdout).toContain(`A new session on lab (group ${GROUP}) gets 3 files:\n`);
      expect(table.stdout).toMatch(/\n~\/\.bashrc +user +644 +\d+ B +group:dfc-grp, domain\n/);
      // Bob has no files of his own: the group's .bashrc wins over the lab's.
      const asBob = JSON.parse(
        (await labdeck('dotfile', 'preview', 'bob-lab', '--json')).stdout,
      ) as {
        path: string;
        scope: string;
      }[];
      expect(asBob.find((f) => f.path === '.bashrc')).toMatchObject({
        scope: 'group',
        group: GROUP,
      });
      // A group of hers without dotfiles: only hers and the lab's.
      const sudoGroup = JSON.parse(
        (await labdeck('dotfile', 'preview', 'lab', '--group', SUDO_GROUP, '--json')).stdout,
      ) as { path: string; scope: string }[];
      expect(sudoGroup.map((f) => [f.path, f.scope])).toEqual([
        ['.bashrc', 'user'],
        ['/etc/bash.bashrc', 'domain'],
      ]);
      const notHers = await labdeck('dotfile', 'preview', 'lab', '--group', 'root');
      expect(notHers.code).toBe(1);
      expect(notHers.stderr).toContain('(code: dotfile-group-not-member)');
    });

    /** The bad dotfiles, as the CLI types them and as a request sends them. */
    const BAD = [
      { label: '../x', path: '../x', field: 'path' },
      { label: '/etc/shadow', path: '/etc/shadow', field: 'path' },
      { label: '/etc/shadow at lab level', path: '/etc/shadow', scope: 'domain', field: 'path' },
      { label: '.ssh/authorized_keys', path: '.ssh/authorized_keys', field: 'path' },
      { label: 'a 65,537-byte file', path: '.bashrc', content: TOO_BIG, field: 'content' },
      { label: 'mode 8xx', path: '.bashrc', mode: '8xx', field: 'mode' },
      { label: 'mode 844', path: '.bashrc', mode: '844', field: 'mode' },
    ] as const;
    /** A bad dotfile as dotfiles:set and the agent's dotfiles.set take it (a user file of `x` unless it says). */
    const setParams = (bad: (typeof BAD)[number]) => ({
      scope: 'scope' in bad ? bad.scope : ('user' as const),
      path: bad.path,
      content: 'content' in bad ? bad.content : 'x\n',
      ...('mode' in bad ? { mode: bad.mode } : {}),
    });

    it('the CLI refuses each bad dotfile before it writes anything: exit 2, naming the word and the rule', async () => {
      const before = await written();
      for (const bad of BAD) {
        const content = 'content' in bad ? bad.content : 'x\n';
        const file = await local('bad', content);
        const refused = await labdeck(
          'dotfile',
          'set',
          'lab',
          bad.path,
          '--file',
          file,
          ...('scope' in bad ? ['--scope', bad.scope] : []),
          ...('mode' in bad ? ['--mode', bad.mode] : []),
        );
        expect(refused.code, `${bad.label}: ${refused.stderr}`).toBe(2);
        const word = {
          path: `PATH "${bad.path}"`,
          content: `--file "${file}"`,
          mode: `--mode "${'mode' in bad ? bad.mode : ''}"`,
        }[bad.field];
        expect(refused.stderr, bad.label).toMatch(
          new RegExp(`^labdeck: ${word.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} must `),
        );
        expect(refused.stdout).toBe('');
      }
      // A remove's path is the agent's to judge (its store may keep a file under a path the
      // rules refuse now): it refuses these, which it does not keep.
      for (const path of ['../x', '.ssh/authorized_keys', '/etc/shadow']) {
        const rm = await labdeck('dotfile', 'rm', 'lab', path);
        expect(rm.code, rm.stderr).toBe(1);
        expect(rm.stderr).toMatch(/^error: path: must /);
        expect(rm.stderr).toContain('(code: invalid-input)');
        expect(rm.stderr).not.toContain(MAIN_HINT);
      }
      expect(await written()).toEqual(before);
    });

    it("main refuses each bad dotfile itself (the services' dotfiles:set, the CLI bypassed): invalid-input naming the field", async () => {
      const before = await written();
      for (const bad of BAD) {
        const result = await client.request('dotfiles:set', { hostId: 'lab', ...setParams(bad) });
        const error = errorOf(result);
        expect(error.code, bad.label).toBe('invalid-input');
        expect(error.message, bad.label).toMatch(new RegExp(`^${bad.field}: must `));
        expect(error.hint, bad.label).toBe(MAIN_HINT);
      }
      // A bad mode does not hide a bad path: main names both, in its own words.
      expect(
        errorOf(
          await client.request('dotfiles:set', {
            hostId: 'lab',
            scope: 'user',
            path: '../x',
            content: 'x\n',
            mode: '8xx',
          }),
        ),
      ).toEqual({
        code: 'invalid-input',
        message: 'path: must not have a ".." part; mode: must be three octal digits, such as 644',
        hint: MAIN_HINT,
      });
      const all = errorOf(
        await client.request('dotfiles:set', {
          hostId: 'lab',
          scope: 'user',
          path: '../x',
          content: `${TOO_BIG}\0`,
        }),
      );
      expect(all.message).toBe(
        'path: must not have a ".." part; content: must not contain NUL bytes; content: must be at most 65536 bytes of UTF-8 (it has 65538)',
      );
      const rm = errorOf(
        await client.request('dotfiles:remove', {
          hostId: 'lab',
          scope: 'user',
          path: '.ssh/authorized_keys',
        }),
      );
      // Main leaves a remove's path to the agent, which refuses a path it does not keep.
      expect(rm.code).toBe('invalid-input');
      expect(rm.hint).not.toBe(MAIN_HINT);
      expect(rm.message).toMatch(/^path: must not be in ~\/\.ssh/);
      const noGroup = errorOf(
        await client.request('dotfiles:set', {
          hostId: 'lab',
          scope: 'group',
          path: '.x',
          content: '',
        }),
      );
      expect(noGroup).toEqual({
        code: 'invalid-input',
        message: 'group: must name the Unix group at group scope',
        hint: MAIN_HINT,
      });
      expect(await written()).toEqual(before);
    });

    it('the agent refuses each bad dotfile itself (its dotfiles.set called directly): invalid-input naming the field', async () => {
      const before = await written();
      for (const bad of BAD) {
        const result = await agent.call('dotfiles.set', setParams(bad));
        const error = errorOf(result);
        expect(error.code, bad.label).toBe('invalid-input');
        expect(error.message, bad.label).toContain(`${bad.field}: must`);
        expect(error.hint).not.toBe(MAIN_HINT);
      }
      expect(await written()).toEqual(before);
    });

    it("a system file the host's configuration adds is allowed by the CLI and main as soon as the host allows it", async () => {
      const screenrc = await local('screenrc', 'startup_message off\n');
      const set = (path: string) =>
        labdeck('dotfile', 'set', 'lab', path, '--file', screenrc, '--scope', 'domain');
      // The host does not allow it yet: the CLI asks the host, then refuses with exit 2.
      const before = await written();
      const refused = await set('/etc/screenrc');
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toMatch(
        /^labdeck: PATH "\/etc\/screenrc" must be relative to the home directory, or one of /,
      );
      // Main asks the host too, and refuses it in its own words.
      expect(
        errorOf(
          await client.request('dotfiles:set', {
            hostId: 'lab',
            scope: 'domain',
            path: '/etc/screenrc',
            content: 'x\n',
          }),
        ).hint,
      ).toBe(MAIN_HINT);
      expect(await written()).toEqual(before);

      const config = host.config;
      await host.reconfigure({ ...config, dotfileSystemPaths: ['/etc/screenrc'] });
      try {
        const viaMain = await client.request('dotfiles:set', {
          hostId: 'lab',
          scope: 'domain',
          path: '/etc/screenrc',
          content: 'defscrollback 10000\n',
        });
        expect(value(viaMain)).toMatchObject({ scope: 'domain', path: '/etc/screenrc', bytes: 20 });
        const viaCli = await set('/etc/screenrc');
        expect(viaCli.code, viaCli.stderr).toBe(0);
        expect(
          (await labdeck('dotfile', 'show', 'lab', '/etc/screenrc', '--scope', 'domain')).stdout,
        ).toBe('startup_message off\n');
        // Still only what the host names.
        const other = await set('/etc/motd');
        expect(other.code).toBe(2);
        expect(other.stderr).toContain('/etc/screenrc');
        const removed = await labdeck('dotfile', 'rm', 'lab', '/etc/screenrc', '--scope', 'domain');
        expect(removed.code, removed.stderr).toBe(0);
      } finally {
        await host.reconfigure(config);
      }
    });

    it("a system file kept while the host allowed it can still be shown and removed once the host's configuration drops it", async () => {
      const config = host.config;
      await host.reconfigure({ ...config, dotfileSystemPaths: ['/etc/screenrc', '/etc/motd'] });
      for (const path of ['/etc/screenrc', '/etc/motd']) {
        const set = await labdeck(
          'dotfile',
          'set',
          'lab',
          path,
          '--file',
          await local('kept', 'startup_message off\n'),
          '--scope',
          'domain',
        );
        expect(set.code, set.stderr).toBe(0);
      }
      await host.reconfigure(config);
      // Writing it is refused now, by the CLI as by the rules…
      const again = await labdeck(
        'dotfile',
        'set',
        'lab',
        '/etc/screenrc',
        '--file',
        await local('kept', 'x\n'),
        '--scope',
        'domain',
      );
      expect(again.code, again.stderr).toBe(2);
      // …but the file kept can be read and removed, through the CLI and through main.
      expect(await labdeck('dotfile', 'show', 'lab', '/etc/screenrc', '--scope', 'domain')).toEqual(
        { code: 0, stdout: 'startup_message off\n', stderr: '' },
      );
      expect(
        value(
          await client.request('dotfiles:read', {
            hostId: 'lab',
            scope: 'domain',
            path: '/etc/motd',
          }),
        ).content,
      ).toBe('startup_message off\n');
      expect(await labdeck('dotfile', 'rm', 'lab', '/etc/screenrc', '--scope', 'domain')).toEqual({
        code: 0,
        stdout: 'Removed /etc/screenrc (domain) from lab.\n',
        stderr: '',
      });
      expect(
        value(
          await client.request('dotfiles:remove', {
            hostId: 'lab',
            scope: 'domain',
            path: '/etc/motd',
          }),
        ).path,
      ).toBe('/etc/motd');
      const paths = (await listed('lab', '--scope', 'domain')).map((f) => f.path);
      expect(paths).not.toContain('/etc/screenrc');
      expect(paths).not.toContain('/etc/motd');
      const gone = await labdeck('dotfile', 'rm', 'lab', '/etc/screenrc', '--scope', 'domain');
      expect(gone.code).toBe(1);
      // Not kept any more: now the rules speak.
      expect(gone.stderr).toContain('(code: invalid-input)');
    });

    it("a hand-edited store's files under paths the rules refuse: listed in JSON with control characters escaped, shown and removed", async () => {
      const storePath = host.userStorePath(alice);
      const store = JSON.parse((await textOf(storePath))!) as {
        revision: number;
        files: Record<string, unknown>;
      };
      const entry = {
        content: 'by hand\n',
        mode: '644',
        revision: store.revision,
        updatedAt: '2026-12-02T14:03:00.000Z',
        updatedBy: alice.username,
      };
      const c1 = 'notes\u009b31m\u0085x';
      store.files['../x'] = entry;
      store.files[c1] = entry;
      // Rewritten in place: the owner and 0600 stay.
      await writeFile(storePath, JSON.stringify(store));

      const json = await labdeck('dotfile', 'ls', 'lab', '--scope', 'user', '--json');
      expect(json.code, json.stderr).toBe(0);
      expect(json.stdout).not.toMatch(/[\u007f-\u009f]/);
      expect(json.stdout).toContain('"path": "notes\\u009b31m\\u0085x"');
      expect((JSON.parse(json.stdout) as { path: string }[]).map((f) => f.path)).toEqual(
        expect.arrayContaining(['../x', c1]),
      );
      const table = await labdeck('dotfile', 'ls', 'lab', '--scope', 'user');
      expect(table.stdout).not.toMatch(/[\u007f-\u009f]/);
      expect(table.stdout).toContain('~/notesx ');

      expect(await labdeck('dotfile', 'show', 'lab', '../x')).toEqual({
        code: 0,
        stdout: 'by hand\n',
        stderr: '',
      });
      expect(await labdeck('dotfile', 'rm', 'lab', '../x')).toEqual({
        code: 0,
        stdout: 'Removed ~/../x (user) from lab.\n',
        stderr: '',
      });
      const removed = await labdeck('dotfile', 'rm', 'lab', c1);
      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.stdout).toBe('Removed ~/notesx (user) from lab.\n');
      const left = JSON.parse((await textOf(storePath))!) as { files: Record<string, unknown> };
      expect(Object.keys(left.files)).not.toContain('../x');
      expect(Object.keys(left.files)).not.toContain(c1);
    });

    it("on a host without setup, a lab or group file only the host's configuration could allow says to set the host up", async () => {
      const file = host.installed.paths.configFile;
      const before = await written();
      await rename(file, `${file}.away`);
      try {
        const screenrc = await local('screenrc', 'startup_message off\n');
        for (const scope of ['domain', `group:${GROUP}`]) {
          const refused = await labdeck(
            'dotfile',
            'set',
            'lab',
            '/etc/screenrc',
            '--file',
            screenrc,
            '--scope',
            scope,
          );
          expect(refused.code, refused.stderr).toBe(1);
          expect(refused.stderr).toBe(
            "error: LabDeck is not set up on lab: group and lab dotfiles, and the system files the host's configuration adds (dotfileSystemPaths), need host setup, once, by someone who can sudo.\n" +
              'hint: Your own dotfiles work without it. For the others: labdeck host setup lab\n' +
              '(code: dotfiles-need-setup)\n',
          );
        }
        const viaMain = errorOf(
          await client.request('dotfiles:set', {
            hostId: 'lab',
            scope: 'domain',
            path: '/etc/screenrc',
            content: 'x\n',
          }),
        );
        expect(viaMain.code).toBe('dotfiles-need-setup');
        // A path no configuration allows is still a mistake in the words typed.
        const shadow = await labdeck(
          'dotfile',
          'set',
          'lab',
          '/etc/../shadow',
          '--file',
          screenrc,
          '--scope',
          'domain',
        );
        expect(shadow.code).toBe(2);
        // A built-in system file: the agent says the same.
        const profile = await labdeck(
          'dotfile',
          'set',
          'lab',
          '/etc/profile',
          '--file',
          screenrc,
          '--scope',
          'domain',
        );
        expect(profile.code).toBe(1);
        expect(profile.stderr).toContain('(code: dotfiles-need-setup)');
      } finally {
        await rename(`${file}.away`, file);
      }
      expect(await written()).toEqual(before);
    });
  },
);
