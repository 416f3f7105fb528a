import { describe, expect, it } from 'vitest';
import { sudoersRule } from '../../../common/host-setup/sudoers-rule';

describe('sudoersRule', () => {
  it('lets the labdeck group run exactly the helper with --privileged', () => {
    const rule = sudoersRule({
      nodePath: '/opt/labdeck/agent/0.1.0/node',
      helperPath: '/opt/labdeck/agent/0.1.0/labdeck-agent.cjs',
    });
    expect(rule.split('\n').filter((line) => !line.startsWith('#') && line !== '')).toEqual([
      '%labdeck ALL=(root) NOPASSWD: /opt/labdeck/agent/0.1.0/node /opt/labdeck/agent/0.1.0/labdeck-agent.cjs --privileged',
    ]);
  });

  it.each([
    ['a relative path', { nodePath: 'node' }],
    ['a ".." part', { helperPath: '/opt/labdeck/../../bin/sh' }],
    ['a comma (a second command)', { helperPath: '/opt/a.cjs, /bin/sh' }],
    ['a wildcard', { nodePath: '/usr/bin/*' }],
    ['a space', { helperPath: '/opt/a b.cjs' }],
  ])('refuses %s', (_what, override) => {
    expect(() =>
      sudoersRule({ nodePath: '/usr/bin/node', helperPath: '/opt/a.cjs', ...override }),
    ).toThrow(/must be an absolute path/);
  });

  it('lists the helpers of other installed versions too, each exactly once', () => {
    const v1 = {
      nodePath: '/usr/bin/node',
      helperPath: '/opt/labdeck/agent/0.1.0/labdeck-agent.cjs',
    };
    const v2 = {
      nodePath: '/usr/bin/node',
      helperPath: '/opt/labdeck/agent/0.2.0/labdeck-agent.cjs',
    };
    const rule = sudoersRule({ ...v2, also: [v1, v2] });
    expect(rule).toContain(
      `NOPASSWD: /usr/bin/node ${v2.helperPath} --privileged, /usr/bin/node ${v1.helperPath} --privileged\n`,
    );
    expect(() => sudoersRule({ ...v2, also: [{ ...v1, helperPath: '/opt/x, ALL' }] })).toThrow(
      /must be an absolute path/,
    );
  });
});
