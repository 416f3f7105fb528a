import { describe, expect, it } from 'vitest';
import type { DotfilePreviewEntry } from '../../../common/dotfiles/dotfile-store';
import {
  dotfileBases,
  mountProblem,
  neededDirectories,
  plainReason,
  planDotfiles,
  systemBaseOf,
  type BaseResolution,
  type ContainerMount,
  type DotfilePlanInput,
} from '../../../main/dotfiles/container-dotfile-plan';

function file(path: string, mode = '644', content = `${path}\n`): DotfilePreviewEntry {
  return {
    path,
    scope: path.startsWith('/') ? 'domain' : 'user',
    group: null,
    mode,
    bytes: content.length,
    overrides: [],
    content,
  };
}

const exists = (existing: string): BaseResolution => ({ ok: true, dir: { existing, missing: [] } });
const ADA = { uid: 1000, gid: 1000 };
const FOLDERS: ContainerMount[] = [
  { target: '/home/work/.local', noun: 'the folder .local', from: 'mounted from the host' },
  { target: '/home/work/data', noun: 'the folder data', from: 'mounted from the host' },
];

function plan(over: Partial<DotfilePlanInput>) {
  return planDotfiles({
    files: [],
    user: ADA,
    home: exists('/home/work'),
    systemBases: new Map([['/etc', exists('/etc')]]),
    mounts: FOLDERS,
    directories: new Set(),
    ...over,
  });
}

describe('systemBaseOf and dotfileBases', () => {
  it('puts a system file under its top directory and says which bases a set needs', () => {
    expect(systemBaseOf('/etc/profile.d/lab.sh')).toBe('/etc');
    expect(systemBaseOf('/opt/lab/env.sh')).toBe('/opt');
    expect(systemBaseOf('/labrc')).toBe('/');
    expect(
      dotfileBases([{ path: '/etc/profile' }, { path: '/opt/x/y' }, { path: '/etc/gitconfig' }]),
    ).toEqual({ home: false, system: ['/etc', '/opt'] });
    expect(dotfileBases([{ path: '.bashrc' }])).toEqual({ home: true, system: [] });
  });
});

describe('mountProblem', () => {
  it('names a mount a path is at, inside of, or would replace the directory of', () => {
    expect(mountProblem('/home/work/data', FOLDERS)).toBe(
      'the folder data is there, mounted from the host',
    );
    expect(mountProblem('/home/work/.local/bin/x', FOLDERS)).toBe(
      'inside the folder .local, mounted from the host',
    );
    expect(mountProblem('/home', FOLDERS)).toBe(
      'it would replace the directory holding the folder .local, mounted from the host',
    );
    expect(mountProblem('/home/work/.localrc', FOLDERS)).toBeUndefined();
    expect(mountProblem('/home/work/database', FOLDERS)).toBeUndefined();
  });
});

describe('planDotfiles', () => {
  it('puts home files under HOME as the user and system files under /etc as root, parents 0755, modes as set', () => {
    const planned = plan({
      files: [
        file('.bashrc', '600'),
        file('.config/git/config'),
        file('/etc/bash.bashrc'),
        file('/etc/profile.d/lab.sh', '755'),
      ],
    });
    expect(planned.written).toBe(4);
    expect(planned.skipped).toEqual([]);
    expect(planned.puts).toEqual([
      {
        path: '/etc',
        entries: [
          {
            type: 'file',
            name: 'bash.bashrc',
            uid: 0,
            gid: 0,
            mode: 0o644,
            content: '/etc/bash.bashrc\n',
          },
          { type: 'directory', name: 'profile.d', uid: 0, gid: 0, mode: 0o755 },
          {
            type: 'file',
            name: 'profile.d/lab.sh',
            uid: 0,
            gid: 0,
            mode: 0o755,
            content: '/etc/profile.d/lab.sh\n',
          },
        ],
      },
      {
        path: '/home/work',
        entries: [
          { type: 'file', name: '.bashrc', ...ADA, mode: 0o600, content: '.bashrc\n' },
          { type: 'directory', name: '.config', ...ADA, mode: 0o755 },
          { type: 'directory', name: '.config/git', ...ADA, mode: 0o755 },
          {
            type: 'file',
            name: '.config/git/config',
            ...ADA,
            mode: 0o644,
            content: '.config/git/config\n',
          },
        ],
      },
    ]);
  });

  it('makes a missing HOME: itself the user’s, the directories above it root’s, all 0755', () => {
    const planned = plan({
      files: [file('.vimrc')],
      home: { ok: true, dir: { existing: '/', missing: ['srv', 'users', 'ada'] } },
      mounts: [],
    });
    expect(planned.puts).toEqual([
      {
        path: '/',
        entries: [
          { type: 'directory', name: 'srv', uid: 0, gid: 0, mode: 0o755 },
          { type: 'directory', name: 'srv/users', uid: 0, gid: 0, mode: 0o755 },
          { type: 'directory', name: 'srv/users/ada', ...ADA, mode: 0o755 },
          { type: 'file', name: 'srv/users/ada/.vimrc', ...ADA, mode: 0o644, content: '.vimrc\n' },
        ],
      },
    ]);
  });

  it('skips files at, under or above a mount with the reason, and writes the others', () => {
    const planned = plan({
      files: [file('.bashrc'), file('.local/bin/tool'), file('data'), file('data/x/y')],
      mounts: [
        ...FOLDERS,
        {
          target: '/home/work/.cache/mps',
          noun: '/home/work/.cache/mps',
          from: 'mounted from the host',
        },
      ],
    });
    expect(planned.written).toBe(1);
    expect(planned.puts.flatMap((p) => p.entries.map((e) => e.name))).toEqual(['.bashrc']);
    expect(planned.skipped).toEqual([
      { path: '.local/bin/tool', reason: 'inside the folder .local, mounted from the host' },
      { path: 'data', reason: 'the folder data is there, mounted from the host' },
      { path: 'data/x/y', reason: 'inside the folder data, mounted from the host' },
    ]);
    expect(
      plan({
        files: [file('.cache')],
        mounts: [
          {
            target: '/home/work/.cache/mps',
            noun: '/home/work/.cache/mps',
            from: 'mounted from the host',
          },
        ],
      }).skipped,
    ).toEqual([
      {
        path: '.cache',
        reason:
          'it would replace the directory holding /home/work/.cache/mps, mounted from the host',
      },
    ]);
  });

  it('skips every home file, not the system ones, when HOME is in a mount or could not be looked up', () => {
    const inFolder = plan({
      files: [file('.bashrc'), file('.vimrc'), file('/etc/inputrc')],
      home: exists('/home/work/data/me'),
    });
    expect(inFolder.written).toBe(1);
    expect(inFolder.puts.map((p) => p.path)).toEqual(['/etc']);
    expect(inFolder.skipped).toEqual([
      {
        path: '.bashrc',
        reason:
          'the home directory /home/work/data/me is inside the folder data, mounted from the host',
      },
      {
        path: '.vimrc',
        reason:
          'the home directory /home/work/data/me is inside the folder data, mounted from the host',
      },
    ]);
    expect(
      plan({ files: [file('.bashrc')], home: exists('/home/work/data') }).skipped[0]?.reason,
    ).toBe('the home directory /home/work/data is the folder data, mounted from the host');
    expect(
      plan({
        files: [file('.bashrc')],
        home: { ok: false, reason: "the session's HOME (work) is not an absolute path" },
      }),
    ).toEqual({
      puts: [],
      written: 0,
      skipped: [{ path: '.bashrc', reason: "the session's HOME (work) is not an absolute path" }],
    });
  });

  it('skips a system file whose base is in a mount or is not a directory', () => {
    const planned = plan({
      files: [file('/etc/gitconfig'), file('/opt/lab/env.sh')],
      systemBases: new Map<string, BaseResolution>([
        ['/etc', exists('/etc')],
        ['/opt', { ok: false, reason: '/opt is a file, not a directory' }],
      ]),
      mounts: [{ target: '/etc', noun: '/etc', from: 'mounted from the host' }],
    });
    expect(planned).toEqual({
      puts: [],
      written: 0,
      skipped: [
        { path: '/etc/gitconfig', reason: 'its directory /etc is /etc, mounted from the host' },
        { path: '/opt/lab/env.sh', reason: '/opt is a file, not a directory' },
      ],
    });
  });

  it('skips a file that clashes with one planned before it: the same place, or a file where a directory must be', () => {
    const planned = plan({
      files: [file('.foo'), file('.foo/bar'), file('/etc/x'), file('etc/x')],
      home: exists('/'),
      mounts: [],
    });
    expect(planned.skipped).toEqual([
      { path: '.foo/bar', reason: '~/.foo is a dotfile, not a directory' },
      { path: 'etc/x', reason: 'it is the same file as /etc/x' },
    ]);
    expect(planned.written).toBe(2);
  });

  it('keeps the real directories the image has as they are (owner, mode), and makes the missing ones and those that are links or files', () => {
    const planned = plan({
      files: [
        file('.gnupg/gpg.conf', '600'),
        file('.config/git/config'),
        file('.config/git/ignore'),
        file('/etc/profile.d/lab.sh'),
        file('/etc/lab/conf'),
      ],
      // .config is a link: its git is what Docker's stat saw through it, not kept.
      directories: new Set(['/home/work/.gnupg', '/home/work/.config/git', '/etc/profile.d']),
    });
    expect(planned.skipped).toEqual([]);
    expect(planned.puts.map((p) => [p.path, p.entries.map((e) => `${e.type} ${e.name}`)])).toEqual([
      ['/etc', ['file profile.d/lab.sh', 'directory lab', 'file lab/conf']],
      [
        '/home/work',
        [
          'file .gnupg/gpg.conf',
          'directory .config',
          'directory .config/git',
          'file .config/git/config',
          'file .config/git/ignore',
        ],
      ],
    ]);
    // Under a HOME the archive makes, every directory is made, whatever a stat said.
    const made = plan({
      files: [file('.gnupg/gpg.conf')],
      home: { ok: true, dir: { existing: '/home', missing: ['ada'] } },
      directories: new Set(['/home/ada/.gnupg']),
    });
    expect(made.puts[0]?.entries.map((e) => e.name)).toEqual([
      'ada',
      'ada/.gnupg',
      'ada/.gnupg/gpg.conf',
    ]);
  });

  it('drops escape sequences and control characters a hostile image puts in a reason (its links, its HOME), line breaks becoming spaces', () => {
    const planned = plan({
      files: [file('.bashrc'), file('/opt/x/y')],
      home: { ok: false, reason: "the session's HOME (/x\u001b[2J\ny) is not an absolute path" },
      systemBases: new Map([['/opt', exists('/srv/\u009b31mred\u0007\u0085')]]),
      mounts: [
        {
          target: '/srv/\u009b31mred\u0007\u0085',
          noun: '/srv/\u009b31mred\u0007\u0085',
          from: 'mounted from the host',
        },
      ],
    });
    expect(planned.skipped).toEqual([
      {
        path: '/opt/x/y',
        reason: 'its directory /srv/red is /srv/red, mounted from the host',
      },
      { path: '.bashrc', reason: "the session's HOME (/x y) is not an absolute path" },
    ]);
    expect(plainReason('a\tb\r\u007fc')).toBe('a bc');
  });
});

describe('neededDirectories', () => {
  it('lists the directories below existing bases that the files need, outermost first, none below a base to be made', () => {
    expect(
      neededDirectories({
        files: [
          file('.config/git/config'),
          file('.bashrc'),
          file('/etc/profile.d/lab.sh'),
          file('/opt/lab/env.sh'),
          file('/srv/a/b'),
        ],
        home: exists('/home/work'),
        systemBases: new Map<string, BaseResolution>([
          ['/etc', exists('/etc')],
          ['/opt', { ok: true, dir: { existing: '/', missing: ['opt'] } }],
          ['/srv', { ok: false, reason: '/srv is a file, not a directory' }],
        ]),
      }),
    ).toEqual(['/etc/profile.d', '/home/work/.config', '/home/work/.config/git']);
  });
});
