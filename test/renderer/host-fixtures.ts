import type { ConnectionState } from '../../common/hosts/connection-state';
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
    config: null,
    connection: { phase: 'connected', since: '1970-01-01T00:00:00.000Z' },
  };
}

/** An SSH host `gpu-7` in the given connection state, Docker not checked yet. */
export function sshHost(connection: ConnectionState = { phase: 'idle' }): HostSummary {
  return {
    id: 'h-gpu-7',
    name: 'gpu-7',
    kind: 'ssh',
    address: 'ana@gpu-7.lab.example:2222',
    docker: {
      state: 'unknown',
      socket: '/var/run/docker.sock',
      version: null,
      message: 'Not checked yet: connect to the host first.',
      checkedAt: '2025-03-04T10:20:30.000Z',
    },
    connection,
    config: {
      id: 'h-gpu-7',
      name: 'gpu-7',
      user: 'ana',
      hostname: 'gpu-7.lab.example',
      port: 2222,
      identityFile: null,
      identitiesOnly: false,
      jump: [],
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
