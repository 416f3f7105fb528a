import { describe, expect, it } from 'vitest';
import {
  describeDotfileProblems,
  dotfilesNeedSetup,
  dotfileTargetProblems,
  dotfileWriteProblems,
  hostMayAllow,
  invalidDotfile,
} from '../../../main/dotfiles/dotfile-rules';

/** What main's `dotfiles:set` and `dotfiles:remove` check before the agent is asked. */
describe("main's check of a dotfile write", () => {
  const ok = { scope: 'user', path: '.bashrc', content: 'set -o vi\n' };

  it('passes a good write, at every level', () => {
    expect(dotfileWriteProblems(ok)).toEqual([]);
    expect(
      dotfileWriteProblems({ ...ok, scope: 'group', group: 'vision', path: '/etc/profile.d/a.sh' }),
    ).toEqual([]);
    expect(
      dotfileWriteProblems({ ...ok, scope: 'domain', path: '/etc/bash.bashrc', mode: '600' }),
    ).toEqual([]);
  });

  it("names every field and rule at once, the issue's examples refused", () => {
    const problems = dotfileWriteProblems({
      scope: 'user',
      path: '../x',
      content: 'a'.repeat(65_537),
      mode: '8xx',
    });
    expect(problems.map((p) => p.field)).toEqual(['path', 'mode', 'content']);
    const failure = invalidDotfile(problems).toAppError();
    expect(failure).toEqual({
      code: 'invalid-input',
      message:
        'path: must not have a ".." part; mode: must be three octal digits, such as 644; content: must be at most 65536 bytes of UTF-8 (it has 65537)',
      hint: 'Correct the fields named above and save again (LabDeck refused it before asking the host).',
    });
    expect(describeDotfileProblems(dotfileWriteProblems({ ...ok, path: '/etc/shadow' }))).toBe(
      'path: must be relative to your home directory at user level (system files are for group and lab levels)',
    );
    expect(
      describeDotfileProblems(
        dotfileWriteProblems({ ...ok, scope: 'domain', path: '/etc/shadow' }),
      ),
    ).toMatch(/^path: must be relative to the home directory, or one of \/etc\/bash\.bashrc, /);
    expect(
      describeDotfileProblems(dotfileWriteProblems({ ...ok, path: '.ssh/authorized_keys' })),
    ).toBe(
      'path: must not be in ~/.ssh (reserved: .ssh, .labdeck, .terminfo and everything under them)',
    );
    expect(dotfileWriteProblems({ ...ok, content: 'a\0b' })).toEqual([
      { field: 'content', message: 'must not contain NUL bytes' },
    ]);
  });

  it('wants the group at group scope, and only there', () => {
    expect(dotfileWriteProblems({ ...ok, scope: 'group', path: '.vimrc' })).toEqual([
      { field: 'group', message: 'must name the Unix group at group scope' },
    ]);
    expect(dotfileWriteProblems({ ...ok, group: 'vision' })).toEqual([
      { field: 'group', message: 'must not be given at user scope (only at group scope)' },
    ]);
    expect(dotfileWriteProblems({ ...ok, scope: 'domain', group: 'vision' })[0]?.field).toBe(
      'group',
    );
  });

  it("allows the host's own system paths at group and domain level only", () => {
    const motd = { ...ok, scope: 'domain', path: '/etc/motd' };
    expect(dotfileWriteProblems(motd).map((p) => p.field)).toEqual(['path']);
    expect(dotfileWriteProblems(motd, ['/etc/motd'])).toEqual([]);
    expect(dotfileWriteProblems({ ...motd, scope: 'user' }, ['/etc/motd'])[0]?.message).toContain(
      'at user level',
    );
  });

  it("checks a remove's group and only what no store can hold: a kept file under a path today's rules refuse may go", () => {
    expect(dotfileTargetProblems({ scope: 'user', path: '.bashrc' })).toEqual([]);
    // The agent's store may keep these (the host's configuration dropped a system path, or the
    // store was edited by hand): the agent decides.
    for (const [scope, path] of [
      ['user', '.ssh/config'],
      ['user', '../x'],
      ['domain', '/etc/screenrc'],
      ['group', '/etc/../shadow'],
    ] as const)
      expect(
        dotfileTargetProblems({ scope, path, ...(scope === 'group' ? { group: 'g' } : {}) }),
      ).toEqual([]);
    expect(dotfileTargetProblems({ scope: 'group', path: '.x' })).toEqual([
      { field: 'group', message: 'must name the Unix group at group scope' },
    ]);
    expect(dotfileTargetProblems({ scope: 'user', path: '' })).toEqual([
      { field: 'path', message: 'must not be empty' },
    ]);
    expect(dotfileTargetProblems({ scope: 'user', path: 'a\0b' })).toEqual([
      { field: 'path', message: 'must not contain NUL' },
    ]);
    expect(dotfileTargetProblems({ scope: 'user', path: 'x'.repeat(4097) })).toEqual([
      { field: 'path', message: 'must be at most 4096 characters (it has 4097)' },
    ]);
  });

  it("knows which paths only a host's configuration can allow, and says a host without setup needs it", () => {
    expect(hostMayAllow('domain', '/etc/screenrc')).toBe(true);
    expect(hostMayAllow('group', '/opt/lab/env.sh')).toBe(true);
    for (const [scope, path] of [
      ['user', '/etc/screenrc'],
      ['domain', '../x'],
      ['domain', '/etc/../shadow'],
      ['domain', '/etc//motd'],
      ['domain', '/etc/'],
    ] as const)
      expect(hostMayAllow(scope, path), `${scope} ${path}`).toBe(false);
    expect(dotfilesNeedSetup('gpu-lab').toAppError()).toEqual({
      code: 'dotfiles-need-setup',
      message:
        "LabDeck is not set up on gpu-lab: group and lab dotfiles, and the system files the host's configuration adds (dotfileSystemPaths), need host setup, once, by someone who can sudo.",
      hint: 'Your own dotfiles work without it. For the others: labdeck host setup gpu-lab',
    });
  });
});
