import { describe, expect, it } from 'vitest';
import { dockerStateSchema, type DockerState } from '../../../../common/hosts/host-summary';
import {
  checkedAtLabel,
  dockerBadgeLabel,
  dockerBadgeTone,
  dockerHint,
  dockerIsLastKnown,
  dockerStateLabel,
  dockerStateTone,
  hostSubtitle,
} from '../../../../renderer/src/features/hosts/docker-state';
import { DAEMON_STOPPED, localHost, sshHost } from '../../host-fixtures';

describe('dockerStateLabel', () => {
  it('names every Docker state the services can report', () => {
    const labels: Record<DockerState, string> = {
      unknown: 'Docker not checked yet',
      reachable: 'Docker reachable',
      'not-installed': 'Docker not installed',
      'daemon-not-running': 'Docker daemon not running',
      'permission-denied': 'Docker permission denied',
      error: 'Docker error',
    };
    for (const state of dockerStateSchema.options) {
      expect(dockerStateLabel(state)).toBe(labels[state]);
    }
  });
});

describe('dockerStateTone', () => {
  it('is green only when sessions can start, red for unexplained errors', () => {
    expect(dockerStateTone('reachable')).toBe('ok');
    expect(dockerStateTone('permission-denied')).toBe('warning');
    expect(dockerStateTone('not-installed')).toBe('warning');
    expect(dockerStateTone('error')).toBe('danger');
    expect(dockerStateTone('unknown')).toBe('neutral');
  });
});

describe('dockerHint', () => {
  it('shows the fix for a broken engine and nothing for a working one', () => {
    expect(dockerHint(localHost(DAEMON_STOPPED).docker)).toBe(
      'Start it with `sudo systemctl start docker`.',
    );
    expect(dockerHint(localHost({ hint: 'stale hint' }).docker)).toBeNull();
    expect(dockerHint(localHost({ state: 'error', hint: undefined }).docker)).toBeNull();
    expect(dockerHint(localHost({ state: 'unknown', hint: 'connect' }).docker)).toBeNull();
  });
});

describe('hostSubtitle', () => {
  it('says where the host is and which socket was tried', () => {
    expect(hostSubtitle(localHost())).toBe('Local · /var/run/docker.sock');
    const remote = { ...localHost(), kind: 'ssh' as const, address: 'ana@gpu-7:22' };
    expect(hostSubtitle(remote)).toBe('ana@gpu-7:22 · /var/run/docker.sock');
  });
});

describe('checkedAtLabel', () => {
  it('shows a time of day, and an unparsable time unchanged', () => {
    expect(checkedAtLabel('2025-03-04T10:20:30.000Z', 'en-GB')).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(checkedAtLabel('yesterday')).toBe('yesterday');
  });
});

describe('the Docker badge of a host that is not connected', () => {
  const reachable = { state: 'reachable' as const, version: '24.0.7', message: 'Docker runs.' };
  const dropped = {
    phase: 'reconnecting' as const,
    attempt: 1,
    at: '2025-03-04T10:21:00.000Z',
    lastError: { code: 'ssh-connection-lost', message: 'The connection was lost.' },
  };

  it('says "last known" and goes grey once the host is away', () => {
    const host = { ...sshHost(dropped), docker: { ...sshHost().docker, ...reachable } };
    expect(dockerIsLastKnown(host)).toBe(true);
    expect(dockerBadgeLabel(host)).toBe('Docker reachable (last known)');
    expect(dockerBadgeTone(host)).toBe('neutral');
  });

  it('is the live state while connected, and never "last known" when nothing was known', () => {
    const connected = { phase: 'connected' as const, since: '2025-03-04T10:20:00.000Z' };
    const live = { ...sshHost(connected), docker: { ...sshHost().docker, ...reachable } };
    expect(dockerBadgeLabel(live)).toBe('Docker reachable');
    expect(dockerBadgeTone(live)).toBe('ok');
    expect(dockerIsLastKnown(sshHost(dropped))).toBe(false);
    expect(dockerIsLastKnown(localHost())).toBe(false);
  });
});
