import type { DockerStatus, HostSummary } from '../../common/hosts/host-summary';

/** "This computer" with the given Docker status fields; the rest are plausible defaults. */
export function localHost(docker: Partial<DockerStatus> = {}): HostSummary {
  return {
    id: 'local',
    name: 'This computer',
    kind: 'local',
    address: null,
    docker: {
      state: 'reachable',
      socket: '/var/run/docker.sock',
      version: '24.0.7',
      message: 'Docker Engine 24.0.7 answers on /var/run/docker.sock.',
      checkedAt: '2025-03-04T10:20:30.000Z',
      ...docker,
    },
  };
}

/** A Docker status of a host whose daemon is stopped, with the hint the services give. */
export const DAEMON_STOPPED: Partial<DockerStatus> = {
  state: 'daemon-not-running',
  version: null,
  message: 'Docker is installed, but its daemon is not running.',
  hint: 'Start it with `sudo systemctl start docker`.',
};
