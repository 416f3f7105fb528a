import { describe, expect, it } from 'vitest';
import { rootOfInstalledAgent, systemPaths } from '../../../common/host-setup/system-paths';

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

  it('names the installed agent, its record and the pushed Node under the root', () => {
    const paths = systemPaths('/srv/r');
    expect(paths.agentFile('0.1.0')).toBe('/srv/r/opt/labdeck/agent/0.1.0/labdeck-agent.cjs');
    expect(paths.installRecord('0.1.0')).toBe('/srv/r/opt/labdeck/agent/0.1.0/install.json');
    expect(paths.nodeFile('22.23.3')).toBe('/srv/r/opt/labdeck/node/v22.23.3/bin/node');
    expect(paths.locksDir).toBe('/srv/r/var/lib/labdeck/locks');
  });

  it('finds the root back from where the helper runs, and nothing else', () => {
    expect(rootOfInstalledAgent('/opt/labdeck/agent/0.1.0/labdeck-agent.cjs', '0.1.0')).toBe('/');
    expect(rootOfInstalledAgent('/srv/r/opt/labdeck/agent/0.1.0/labdeck-agent.cjs', '0.1.0')).toBe(
      '/srv/r',
    );
    expect(rootOfInstalledAgent('/srv/r/opt/labdeck/agent/0.2.0/labdeck-agent.cjs', '0.1.0')).toBe(
      undefined,
    );
    expect(rootOfInstalledAgent('/home/a/.cache/labdeck/agent/abc.cjs', '0.1.0')).toBe(undefined);
    expect(rootOfInstalledAgent('/a/../opt/labdeck/agent/0.1.0/labdeck-agent.cjs', '0.1.0')).toBe(
      undefined,
    );
  });
});
