import { describe, expect, it } from 'vitest';
import { systemPaths } from '../../../common/host-setup/system-paths';

describe('systemPaths', () => {
  it('names the real system paths under /', () => {
    const paths = systemPaths();
    expect(paths).toMatchObject({
      configFile: '/etc/labdeck/config.json',
      stateDir: '/var/lib/labdeck',
      privilegedLog: '/var/log/labdeck/privileged.log',
      projid: '/etc/projid',
      projects: '/etc/projects',
      sudoersFile: '/etc/sudoers.d/labdeck',
    });
    expect(paths.agentDir('0.1.0')).toBe('/opt/labdeck/agent/0.1.0');
  });

  it('prefixes every path with a test root', () => {
    const paths = systemPaths('/tmp/root-1');
    expect(paths.configFile).toBe('/tmp/root-1/etc/labdeck/config.json');
    expect(paths.sudoersFile).toBe('/tmp/root-1/etc/sudoers.d/labdeck');
    expect(paths.agentDir('1.2.3-beta.1')).toBe('/tmp/root-1/opt/labdeck/agent/1.2.3-beta.1');
  });

  it('refuses a root or a version that could lead out of it', () => {
    expect(() => systemPaths('tmp/root')).toThrow();
    expect(() => systemPaths('/tmp/../etc')).toThrow();
    expect(() => systemPaths('/tmp/root/')).toThrow();
    expect(() => systemPaths('/tmp/r').agentDir('../../etc')).toThrow(/not a version/);
  });
});
