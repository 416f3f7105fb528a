import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DotfilePreview, DotfileSummary } from '../../../common/dotfiles/dotfile-store';
import { parseCommandArgs } from '../../../main/cli/cli-args';
import { helpFor, overview } from '../../../main/cli/cli-help';
import { UsageError, type CliIo } from '../../../main/cli/cli-io';
import { findCommand } from '../../../main/cli/commands/command-table';
import {
  dotfileCall,
  groupArg,
  readDotfileFile,
  scopeArg,
} from '../../../main/cli/commands/dotfile-args';
import {
  crlfWarning,
  dotfileJson,
  previewJson,
  printDotfiles,
  printPreview,
  removedText,
  setText,
} from '../../../main/cli/commands/dotfile-output';
import { dotfileReportText } from '../../../main/cli/commands/session';
import { runCli } from '../../../main/cli/labdeck';
import { tempHome } from '../../support/temp-home';

const dotfile = findCommand('dotfile')!;
const call = (...words: string[]) => dotfileCall(parseCommandArgs(dotfile, words));

/** The usage error `thunk` throws (or rejects with): its message. */
async function refusal(thunk: () => unknown): Promise<string> {
  try {
    await thunk();
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('not refused');
}

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t) };
  const code = await runCli(args, io, { PATH: '', LABDECK_HOME: await tempHome() });
  return { code, out, err };
}

/** A local file holding `bytes`, in a fresh folder. */
async function localFile(bytes: Buffer | string, name = 'file'): Promise<string> {
  const dir = await tempHome();
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

const summary: DotfileSummary = {
  scope: 'group',
  group: 'vision',
  path: '/etc/profile.d/lab.sh',
  mode: '644',
  bytes: 1536,
  updatedAt: '2026-12-02T14:03:27.123Z',
  updatedBy: 'bob',
  revision: 7,
};

describe('labdeck dotfile: the words typed', () => {
  it('reads --scope as user, group:NAME or domain, user when not given', () => {
    expect(scopeArg(undefined)).toEqual({ scope: 'user' });
    expect(scopeArg('user')).toEqual({ scope: 'user' });
    expect(scopeArg('domain')).toEqual({ scope: 'domain' });
    expect(scopeArg('group:vision')).toEqual({ scope: 'group', group: 'vision' });
    expect(scopeArg('group:_lab-2')).toEqual({ scope: 'group', group: '_lab-2' });
  });

  it('refuses a bad --scope naming it and the rule', async () => {
    for (const bare of ['group', 'group:'])
      expect(await refusal(() => scopeArg(bare))).toBe(
        `--scope ${bare} needs the group's name: --scope group:NAME`,
      );
    for (const [typed, name] of [
      ['group:Vision', 'Vision'],
      ['group:a:b', 'a:b'],
      ['group: x', ' x'],
      ['group:1lab', '1lab'],
      [`group:${'g'.repeat(33)}`, 'g'.repeat(33)],
    ])
      expect(await refusal(() => scopeArg(typed))).toBe(
        `--scope "${typed}": "${name}" is not a Unix group name: a Unix group name is 1-32 lowercase letters, digits, "_" and "-", starting with a letter or "_"`,
      );
    for (const typed of ['lab', 'Group:x', 'users', 'GROUP'])
      expect(await refusal(() => scopeArg(typed))).toBe(
        `--scope "${typed}" is not a level: use user, group:NAME or domain (the lab)`,
      );
    expect(await refusal(() => groupArg('--group', 'Bad'))).toContain(
      '--group "Bad" is not a Unix group name',
    );
  });

  it('turns each verb into its request, the host first', async () => {
    expect(await call('ls', 'lab')).toEqual({
      call: { channel: 'dotfiles:list', input: { hostId: 'lab' } },
      deferred: false,
    });
    expect((await call('ls', 'lab', '--scope', 'group:vision')).call.input).toEqual({
      hostId: 'lab',
      scope: 'group',
      group: 'vision',
    });
    expect((await call('preview', 'lab', '--group', 'vision')).call).toEqual({
      channel: 'dotfiles:preview',
      input: { hostId: 'lab', group: 'vision' },
    });
    expect((await call('preview', 'lab')).call.input).toEqual({ hostId: 'lab' });
    expect((await call('show', 'lab', '.bashrc')).call).toEqual({
      channel: 'dotfiles:read',
      input: { hostId: 'lab', path: '.bashrc', scope: 'user' },
    });
    expect((await call('rm', 'lab', '/etc/bash.bashrc', '--scope', 'domain')).call).toEqual({
      channel: 'dotfiles:remove',
      input: { hostId: 'lab', path: '/etc/bash.bashrc', scope: 'domain' },
    });
    const file = await localFile('alias ll="ls -l"\n');
    expect(await call('set', 'lab', '.bashrc', '--file', file)).toEqual({
      call: {
        channel: 'dotfiles:set',
        input: { hostId: 'lab', path: '.bashrc', scope: 'user', content: 'alias ll="ls -l"\n' },
      },
      deferred: false,
    });
    expect(
      (
        await call(
          'set',
          'lab',
          '/etc/profile.d/lab.sh',
          '--file',
          file,
          '--scope',
          'group:vision',
          '--mode',
          '755',
        )
      ).call.input,
    ).toMatchObject({ scope: 'group', group: 'vision', mode: '755' });
  });

  it("leaves a system path only the host's configuration can allow to the host, and refuses the rest", async () => {
    const file = await localFile('x\n');
    expect(
      (await call('set', 'lab', '/etc/motd', '--file', file, '--scope', 'domain')).deferred,
    ).toBe(true);
    // The built-in system files need no host to say so.
    expect(
      (await call('set', 'lab', '/etc/profile.d/lab.sh', '--file', file, '--scope', 'group:vision'))
        .deferred,
    ).toBe(false);
    // Not normalized, or at user level: no host can allow it.
    for (const [path, scope] of [
      ['/etc/../shadow', 'domain'],
      ['/etc//motd', 'domain'],
      ['/etc/./motd', 'group:vision'],
      ['/etc/shadow', 'user'],
    ])
      expect(
        await refusal(() => call('set', 'lab', path!, '--file', file, '--scope', scope!)),
      ).toMatch(new RegExp(`^PATH "${path!.replace(/[.]/g, '\\.')}" must be relative`));
  });

  it('refuses a bad path or mode naming PATH or --mode and the rule, every problem at once', async () => {
    const file = await localFile('x\n');
    const set = (...more: string[]) => refusal(() => call('set', 'lab', ...more, '--file', file));
    expect(await set('../x')).toBe('PATH "../x" must not have a ".." part');
    expect(await set('.ssh/authorized_keys')).toBe(
      'PATH ".ssh/authorized_keys" must not be in ~/.ssh (reserved: .ssh, .labdeck, .terminfo and everything under them)',
    );
    expect(await set('/etc/shadow')).toBe(
      'PATH "/etc/shadow" must be relative to your home directory at user level (system files are for group and lab levels)',
    );
    expect(await set('.config')).toContain(
      'PATH ".config" must not replace the directory ~/.config',
    );
    for (const mode of ['8xx', '844', '64', '0644', 'rwx', '-1'])
      expect(await set('.bashrc', `--mode=${mode}`)).toBe(
        `--mode "${mode}" must be three octal digits, such as 644`,
      );
    expect(await set('a//b', '--mode', '999')).toBe(
      'PATH "a//b" must not have an empty part ("//", a leading or trailing "/"); --mode "999" must be three octal digits, such as 644',
    );
    for (const mode of ['000', '600', '755', '777'])
      expect(
        (await call('set', 'lab', '.bashrc', '--file', file, '--mode', mode)).call.input,
      ).toMatchObject({ mode });
  });

  it("leaves a show's or remove's path to the host, which keeps files today's rules refuse: only NUL or more than 4,096 characters are refused", async () => {
    // A file kept while the host allowed its path (or put in the store by hand) can still be
    // read and removed: the agent knows what its store keeps.
    for (const verb of ['show', 'rm'])
      for (const [path, scope] of [
        ['./.bashrc', 'user'],
        ['../x', 'user'],
        ['.labdeck/dotfiles.json', 'user'],
        ['.ssh/authorized_keys', 'user'],
        ['/etc/screenrc', 'domain'],
        ['/etc/../shadow', 'domain'],
        ['/opt/lab/env.sh', 'group:vision'],
      ] as const) {
        const made = await call(verb, 'lab', path, '--scope', scope);
        expect(made.deferred, `${verb} ${path}`).toBe(false);
        expect(made.call).toEqual({
          channel: verb === 'show' ? 'dotfiles:read' : 'dotfiles:remove',
          input: { hostId: 'lab', path, ...scopeArg(scope) },
        });
      }
    expect(await refusal(() => call('rm', 'lab', 'a\0b'))).toBe('PATH "a\0b" must not contain NUL');
    const long = 'x'.repeat(4097);
    expect(await refusal(() => call('show', 'lab', long))).toBe(
      `PATH "${long}" must be at most 4096 characters (it has 4097)`,
    );
  });

  it("reads the local file's text exactly, and refuses one that is missing, binary, has NUL or is too big", async () => {
    const max = 'a'.repeat(65_536);
    expect(await readDotfileFile(await localFile(max))).toBe(max);
    // A byte-order mark and CRLF are the file's; they are kept.
    expect(await readDotfileFile(await localFile('\ufeffset -o vi\r\n'))).toBe(
      '\ufeffset -o vi\r\n',
    );
    expect(await readDotfileFile(await localFile('é ✓ 🙂\n'))).toBe('é ✓ 🙂\n');
    const big = await localFile(`${max}b`);
    expect(await refusal(() => readDotfileFile(big))).toBe(
      `--file "${big}" must be at most 65536 bytes of UTF-8 (it has 65537)`,
    );
    const binary = await localFile(Buffer.from([0x61, 0xff, 0xfe, 0x0a]));
    expect(await refusal(() => readDotfileFile(binary))).toBe(
      `--file "${binary}" must be UTF-8 text (it is not: a binary file?)`,
    );
    const nul = await localFile('a\0b\n');
    expect(await refusal(() => readDotfileFile(nul))).toBe(
      `--file "${nul}" must not contain NUL bytes`,
    );
    const dir = await tempHome();
    expect(await refusal(() => readDotfileFile(join(dir, 'nothere')))).toBe(
      `--file "${join(dir, 'nothere')}" does not exist`,
    );
    await mkdir(join(dir, 'sub'));
    expect(await refusal(() => readDotfileFile(join(dir, 'sub')))).toBe(
      `--file "${join(dir, 'sub')}" is not a regular file`,
    );
    // The path's problem and the file's, together.
    expect(await refusal(() => call('set', 'lab', '../x', '--file', big))).toBe(
      `PATH "../x" must not have a ".." part; --file "${big}" must be at most 65536 bytes of UTF-8 (it has 65537)`,
    );
  });

  it('refuses before connecting anywhere: exit 2, the usage shown, no host asked', async () => {
    const file = await localFile('x\n');
    for (const words of [
      ['set', 'nowhere', '../x', '--file', file],
      ['set', 'nowhere', '.bashrc', '--file', file, '--mode', '8xx'],
      ['set', 'nowhere', '.bashrc', '--file', file, '--scope', 'group:'],
      ['rm', 'nowhere', 'x'.repeat(4097)],
      ['ls', 'nowhere', '--scope', 'lab'],
      ['preview', 'nowhere', '--group', 'No'],
    ]) {
      const { code, err } = await cli(['dotfile', ...words]);
      expect(code, err).toBe(2);
      expect(err).toMatch(/^labdeck: (PATH|--mode|--scope|--group) /);
      expect(err).toContain(`Usage:\n  labdeck dotfile ${words[0]} HOST`);
      expect(err).not.toContain('host-not-found');
    }
    // The same words, well typed, do reach for the host; so does a remove of a path the rules
    // refuse now (the host's store may keep it).
    for (const path of ['.bashrc', '.ssh/authorized_keys']) {
      const asked = await cli(['dotfile', 'rm', 'nowhere', path]);
      expect(asked.code).toBe(1);
      expect(asked.err).toContain('host-not-found');
    }
    const missing = await cli(['dotfile', 'set', 'nowhere', '.bashrc']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('labdeck: dotfile set needs --file LOCAL');
    const stray = await cli(['dotfile', 'set', 'nowhere', '.bashrc', './bashrc']);
    expect(stray.err).toContain('Did you mean "--file ./bashrc"?');
    const typo = await cli(['dotfile', 'list', 'nowhere']);
    expect(typo.err).toContain('Did you mean "dotfile ls"?');
  });

  it('has help for every verb, with the path rule and the scopes', () => {
    const help = helpFor(['dotfile'])!;
    for (const verb of ['ls', 'show', 'set', 'rm', 'preview'])
      expect(help).toContain(`dotfile ${verb} HOST`);
    expect(helpFor(['dotfile', 'set'])).toContain(
      'Usage: labdeck dotfile set HOST PATH --file LOCAL [--scope user|group:NAME|domain] [--mode MODE]',
    );
    expect(helpFor(['dotfile', 'set'])).toContain('/etc/profile.d/NAME.sh');
    expect(helpFor(['dotfile', 'ls'])).toContain("The level: yours, a Unix group's or the lab's;");
    expect(overview()).toContain('dotfile preview HOST [--group NAME] [--json]');
  });
});

describe('labdeck dotfile: what it prints', () => {
  it('prints exactly the documented keys, in order', () => {
    expect(Object.keys(dotfileJson(summary))).toEqual([
      'scope',
      'group',
      'path',
      'mode',
      'bytes',
      'updatedAt',
    ]);
    expect(dotfileJson({ ...summary, scope: 'user', group: null, path: '.bashrc' })).toEqual({
      scope: 'user',
      group: null,
      path: '.bashrc',
      mode: '644',
      bytes: 1536,
      updatedAt: '2026-12-02T14:03:27.123Z',
    });
    const entry = {
      path: '.bashrc',
      scope: 'user' as const,
      group: null,
      mode: '600',
      bytes: 12,
      overrides: [{ scope: 'domain' as const, group: null }],
      content: 'secret',
    };
    expect(previewJson(entry)).toEqual({
      path: '.bashrc',
      scope: 'user',
      group: null,
      mode: '600',
      bytes: 12,
    });
    expect(Object.keys(previewJson(entry))).toEqual(['path', 'scope', 'group', 'mode', 'bytes']);
  });

  it('shows paths as ~/PATH or /etc/… in a table, levels as --scope takes them, and when, to the minute', () => {
    let out = '';
    const io: CliIo = { out: (t) => void (out += t), err: () => {} };
    printDotfiles(
      [
        { ...summary, scope: 'user', group: null, path: '.vimrc', bytes: 20, updatedBy: 'alice' },
        summary,
      ],
      'lab',
      undefined,
      io,
    );
    expect(out).toBe(
      'SCOPE         PATH                   MODE  SIZE     UPDATED\n' +
        'user          ~/.vimrc               644   20 B     2026-12-02 14:03 UTC by alice\n' +
        'group:vision  /etc/profile.d/lab.sh  644   1.5 KiB  2026-12-02 14:03 UTC by bob\n',
    );
    // The time in the conflict message's words (the same function), to the minute.
    out = '';
    printDotfiles([{ ...summary, updatedAt: '2026-12-02T14:03:59.999Z' }], 'lab', undefined, io);
    expect(out).toContain(' 2026-12-02 14:03 UTC by bob\n');
    out = '';
    printDotfiles([], 'lab', 'domain', io);
    expect(out).toBe(
      'No dotfiles on lab at domain scope. Add one with: labdeck dotfile set lab .bashrc --file ~/.bashrc\n',
    );
  });

  it('prints the merged set with where each file comes from and what it overrides', () => {
    let out = '';
    const io: CliIo = { out: (t) => void (out += t), err: () => {} };
    const preview: DotfilePreview = {
      group: 'vision',
      files: [
        {
          path: '.bashrc',
          scope: 'user',
          group: null,
          mode: '644',
          bytes: 10,
          overrides: [
            { scope: 'group', group: 'vision' },
            { scope: 'domain', group: null },
          ],
        },
        {
          path: '/etc/bash.bashrc',
          scope: 'domain',
          group: null,
          mode: '644',
          bytes: 2048,
          overrides: [],
        },
      ],
    };
    printPreview(preview, 'lab', io);
    expect(out).toBe(
      'A new session on lab (group vision) gets 2 files:\n' +
        'PATH              FROM    MODE  SIZE     OVERRIDES\n' +
        '~/.bashrc         user    644   10 B     group:vision, domain\n' +
        '/etc/bash.bashrc  domain  644   2.0 KiB  -\n',
    );
    out = '';
    printPreview({ group: 'vision', files: [] }, 'lab', io);
    expect(out).toBe('A new session on lab (group vision) gets no dotfiles.\n');
  });

  it("says after a set which new sessions get the file: yours always; a group's or the lab's unless a higher level has the same path", () => {
    const user = { ...summary, scope: 'user' as const, group: null, path: '.bashrc', bytes: 20 };
    expect(setText('lab', user)).toBe(
      'Set ~/.bashrc (user) on lab: mode 644, 20 B. Sessions started from now on get it.\n',
    );
    expect(setText('lab', summary)).toBe(
      "Set /etc/profile.d/lab.sh (group:vision) on lab: mode 644, 1.5 KiB. New sessions with group vision get it, unless the user's own dotfiles have the same path (what yours get: labdeck dotfile preview lab --group vision).\n",
    );
    expect(setText('lab', { ...summary, scope: 'domain', group: null, path: '.bashrc' })).toBe(
      "Set ~/.bashrc (domain) on lab: mode 644, 1.5 KiB. New sessions get it, unless a group's or the user's own dotfiles have the same path (what yours get: labdeck dotfile preview lab).\n",
    );
    expect(removedText('lab', user)).toBe('Removed ~/.bashrc (user) from lab.\n');
  });

  it('warns of Windows line ends in the local file, naming it and the fix, and keeps the text', () => {
    expect(crlfWarning('bashrc', 'set -o vi\nalias ll="ls -l"\n')).toBeUndefined();
    expect(crlfWarning('bashrc', 'a\rb\n')).toBeUndefined();
    expect(crlfWarning('./win/bashrc', 'set -o vi\r\nalias ll="ls -l"\r\n')).toBe(
      "warning: ./win/bashrc has Windows line ends (CRLF, on 2 lines): in a session bash and most tools read the \\r as part of the line ($'\\r': command not found). LabDeck kept the text as it is. To fix it, convert the file (dos2unix ./win/bashrc, or sed -i 's/\\r$//' ./win/bashrc) and set it again.\n",
    );
    expect(crlfWarning('x', 'one\r\n')).toContain('(CRLF, on 1 line)');
  });

  it("keeps a host's path, group or skip reason within its line: a newline in it cannot fake a line of output", () => {
    const fake = '.bashrc\nSet ~/.ssh/authorized_keys (user) on lab';
    const text = setText('lab', { ...summary, scope: 'user', group: null, path: fake });
    expect(text.split('\n')).toHaveLength(2);
    expect(text).toContain('~/.bashrc Set ~/.ssh/authorized_keys (user) on lab (user)');
    expect(removedText('lab', { ...summary, path: `/etc/x\u001b[2J\r\nRemoved` })).toBe(
      'Removed /etc/x Removed (group:vision) from lab.\n',
    );
    let out = '';
    const io: CliIo = { out: (t) => void (out += t), err: () => {} };
    printPreview({ group: 'vision\nA new session', files: [] }, 'lab', io);
    expect(out).toBe('A new session on lab (group vision A new session) gets no dotfiles.\n');
    expect(
      dotfileReportText({
        group: 'vision',
        written: 2,
        skipped: [
          {
            path: '.local/x\n  skipped ~/.y',
            reason: 'inside the folder\nDotfiles: 9 written\u009b2J',
          },
        ],
      }),
    ).toBe(
      'Dotfiles: 2 written (group vision)\n  skipped ~/.local/x   skipped ~/.y: inside the folder Dotfiles: 9 written\n',
    );
  });
});
