import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../../common/contract/result';
import { labConfigSchema } from '../../../common/host-setup/lab-config';
import { systemPaths } from '../../../common/host-setup/system-paths';
import type { DotfileStore } from '../../../common/dotfiles/dotfile-store';
import {
  dotfileContext,
  isGroupAdmin,
  requireConfigured,
  requireMember,
  type DotfileCaller,
} from '../../../agent-bundle/dotfiles/dotfile-context';
import { applicableFiles } from '../../../agent-bundle/dotfiles/dotfile-levels';

const config = labConfigSchema.parse({
  version: 1,
  lab: 'vision lab',
  labAdmins: ['alice'],
  groupAdmins: { vision: ['alice', 'bob'], audio: ['carol'], robots: ['alice'] },
  dotfileSystemPaths: ['/etc/screenrc'],
});
const caller: DotfileCaller = {
  paths: systemPaths('/'),
  user: 'alice',
  uid: 1000,
  home: '/home/alice',
  primaryGroup: 'alice',
  groups: ['alice', 'vision'],
  config,
};

function thrown(work: () => unknown) {
  try {
    work();
  } catch (error) {
    if (error instanceof AppFailure) return error.toAppError();
    throw error;
  }
  throw new Error('did not throw');
}

describe('dotfiles.context', () => {
  it("lists the user's groups, the lab, and the levels the configuration lets them change", () => {
    expect(dotfileContext(caller)).toEqual({
      user: 'alice',
      primaryGroup: 'alice',
      groups: ['alice', 'vision'],
      configured: true,
      lab: 'vision lab',
      domainAdmin: true,
      // An admin of a group need not be in it: the helper decides by the configuration.
      groupAdmin: ['robots', 'vision'],
      systemPaths: ['/etc/screenrc'],
    });
    expect(dotfileContext({ ...caller, user: 'bob' })).toMatchObject({
      domainAdmin: false,
      groupAdmin: ['vision'],
    });
  });

  it('makes root an admin of everything, and nobody one on a host without setup', () => {
    expect(dotfileContext({ ...caller, user: 'root', uid: 0 })).toMatchObject({
      domainAdmin: true,
      groupAdmin: ['audio', 'robots', 'vision'],
    });
    expect(dotfileContext({ ...caller, config: undefined })).toMatchObject({
      configured: false,
      lab: null,
      domainAdmin: false,
      groupAdmin: [],
      systemPaths: [],
    });
    expect(thrown(() => requireConfigured({ ...caller, config: undefined }))).toMatchObject({
      code: 'dotfiles-need-setup',
      hint: 'Your own dotfiles work without it. For the others: labdeck host setup HOST',
    });
  });

  it('counts a group as administered only by its own admin list', () => {
    expect(isGroupAdmin(caller, 'robots')).toBe(true);
    expect(isGroupAdmin(caller, 'audio')).toBe(false);
    for (const group of ['constructor', '__proto__'])
      expect(isGroupAdmin({ ...caller, user: 'carol' }, group)).toBe(false);
    expect(isGroupAdmin({ ...caller, user: 'root', uid: 0 }, 'audio')).toBe(true);
    expect(isGroupAdmin({ ...caller, config: undefined }, 'robots')).toBe(false);
  });

  it('refuses a group the user is not in, listing theirs', () => {
    expect(() => requireMember(caller, 'vision')).not.toThrow();
    expect(thrown(() => requireMember(caller, 'audio'))).toEqual({
      code: 'dotfile-group-not-member',
      message:
        'You (alice) are not in group audio, so its dotfiles are not yours to read or start a session with.',
      hint: 'Your groups here: alice, vision. Pick one of them, or ask an admin to add you: sudo usermod -aG audio alice',
    });
  });
});

describe('what a session may be given', () => {
  it('leaves out files today’s rules refuse at their level, and keeps the rest', () => {
    const entry = (content: string, mode = '644') => ({
      content,
      mode,
      revision: 1,
      updatedAt: '2026-01-01T00:00:00.000Z',
      updatedBy: 'x',
    });
    const store: DotfileStore = {
      version: 1,
      revision: 6,
      files: {
        '.bashrc': entry('ok'),
        '../escape': entry('x'),
        '.ssh/authorized_keys': entry('x'),
        '/etc/screenrc': entry('x'),
        '/etc/shadow': entry('x'),
        '.big': entry('x'.repeat(65_537)),
        '.mode': entry('x', '7777'),
      },
    };
    expect(Object.keys(applicableFiles(caller, 'domain', store).files)).toEqual([
      '.bashrc',
      '/etc/screenrc',
    ]);
    expect(Object.keys(applicableFiles(caller, 'user', store).files)).toEqual(['.bashrc']);
    expect(
      Object.keys(applicableFiles({ ...caller, config: undefined }, 'domain', store).files),
    ).toEqual(['.bashrc']);
  });
});
