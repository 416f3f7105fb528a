import { describe, expect, it } from 'vitest';
import { validateDotfile, MAX_DOTFILE_CONTENT_BYTES } from '../../common/dotfiles';

const fields = (check: ReturnType<typeof validateDotfile>): string[] =>
  check.ok ? [] : check.errors.map((error) => error.field);
const messages = (check: ReturnType<typeof validateDotfile>): string =>
  check.ok ? '' : check.errors.map((error) => `${error.field}: ${error.message}`).join('\n');

describe('validateDotfile', () => {
  it.each([
    ['user', '.bashrc'],
    ['user', '.config/git/config'],
    ['user', '.vimrc'],
    ['group', '/etc/profile.d/lab.sh'],
    ['domain', '/etc/bash.bashrc'],
    ['domain', '/etc/gitconfig'],
    ['group', '.tmux.conf'],
  ])('accepts %s %s with the default mode', (scope, path) => {
    expect(validateDotfile({ scope, path, content: 'export A=1\n' })).toEqual({ ok: true, path });
  });

  it.each(['./.bashrc', '.ssh/', 'a//b', '../x', 'a/./b', '/.bashrc/', ''])(
    'refuses the path %j at every level',
    (path) => {
      for (const scope of ['user', 'group', 'domain'])
        expect(fields(validateDotfile({ scope, path, content: '' }))).toEqual(['path']);
    },
  );

  it('refuses absolute paths at user level, and system files off the allow-list everywhere', () => {
    expect(
      messages(validateDotfile({ scope: 'user', path: '/etc/bash.bashrc', content: '' })),
    ).toContain('relative to your home directory at user level');
    expect(
      messages(validateDotfile({ scope: 'domain', path: '/etc/shadow', content: '' })),
    ).toContain('/etc/profile.d/NAME.sh');
    expect(
      fields(validateDotfile({ scope: 'group', path: '/etc/profile.d/a b.sh', content: '' })),
    ).toEqual(['path']);
  });

  it('takes the system files the host configuration adds', () => {
    const rules = { systemPaths: ['/etc/screenrc'] };
    expect(validateDotfile({ scope: 'domain', path: '/etc/screenrc', content: '' }, rules).ok).toBe(
      true,
    );
    expect(validateDotfile({ scope: 'domain', path: '/etc/screenrc', content: '' }).ok).toBe(false);
  });

  it('reserves .ssh, .labdeck and .terminfo with everything under them, and exactly .jupyter, .local, .config', () => {
    for (const path of [
      '.ssh',
      '.ssh/authorized_keys',
      '.labdeck/x',
      '.terminfo/x/xterm',
      '.jupyter',
      '.local',
      '.config',
    ])
      expect(fields(validateDotfile({ scope: 'user', path, content: '' })), path).toEqual(['path']);
    for (const path of [
      '.jupyter/jupyter_server_config.py',
      '.local/bin/tool',
      '.config/git/config',
    ])
      expect(validateDotfile({ scope: 'user', path, content: '' }).ok, path).toBe(true);
  });

  it('wants three octal digits for the mode', () => {
    expect(validateDotfile({ scope: 'user', path: '.x', content: '', mode: '600' }).ok).toBe(true);
    for (const mode of ['0644', '64', '648', 'rw-', ''])
      expect(
        fields(validateDotfile({ scope: 'user', path: '.x', content: '', mode })),
        mode,
      ).toEqual(['mode']);
  });

  it('counts the content in UTF-8 bytes: 65,536 pass, one more fails', () => {
    const most = 'a'.repeat(MAX_DOTFILE_CONTENT_BYTES);
    expect(validateDotfile({ scope: 'user', path: '.x', content: most }).ok).toBe(true);
    expect(messages(validateDotfile({ scope: 'user', path: '.x', content: `${most}a` }))).toContain(
      '(it has 65537)',
    );
    // Three bytes each in UTF-8: 21,846 of them are 65,538 bytes.
    expect(
      fields(validateDotfile({ scope: 'user', path: '.x', content: '€'.repeat(21_846) })),
    ).toEqual(['content']);
  });

  it('refuses an unpaired surrogate and NUL', () => {
    expect(messages(validateDotfile({ scope: 'user', path: '.x', content: 'a\uD800b' }))).toContain(
      'unpaired surrogate',
    );
    expect(messages(validateDotfile({ scope: 'user', path: '.x', content: 'a\u0000b' }))).toContain(
      'NUL',
    );
    expect(validateDotfile({ scope: 'user', path: '.x', content: '😀' }).ok).toBe(true);
  });

  it.each([
    ['.bashrc\u001b[2J', 'U+001B'],
    ['x\n', 'U+000A'],
    ['.vim\trc', 'U+0009'],
    ['a\u0000b', 'U+0000'],
    ['.rc\u007f', 'U+007F'],
    ['.rc\u0085', 'U+0085'],
    ['.config/\u009bx', 'U+009B'],
    ['/etc/profile.d/a\n.sh', 'U+000A'],
  ])('refuses the control character in the path %j at every level, naming it', (path, named) => {
    for (const scope of ['user', 'group', 'domain'])
      expect(messages(validateDotfile({ scope, path, content: '' }))).toBe(
        `path: must not contain control characters such as a newline, tab or escape (it has ${named})`,
      );
  });

  it('keeps letters beyond ASCII in a path', () => {
    for (const path of ['.config/café/rc', '.rc\u00a0x', '.日本'])
      expect(validateDotfile({ scope: 'user', path, content: '' }).ok).toBe(true);
  });

  it.each(['__proto__', '.config/__proto__', '__proto__/x'])(
    'refuses a __proto__ part in %j (a store could not keep it)',
    (path) => {
      for (const scope of ['user', 'group', 'domain'])
        expect(messages(validateDotfile({ scope, path, content: '' }))).toBe(
          'path: must not have a "__proto__" part',
        );
    },
  );

  it('reports every problem at once', () => {
    const check = validateDotfile({ scope: 'team', path: '../x', content: 'a\u0000', mode: '9' });
    expect(fields(check)).toEqual(['scope', 'path', 'mode', 'content']);
  });
});
