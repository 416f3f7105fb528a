import { Agent } from 'node:http';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { Client } from 'ssh2';
import { commandLine } from '../../common/shell/shell-quote';
import { afterMarker, newMarker } from '../ssh/marked-stream';
import type { ProbeReport } from '../../common/agent/probe-report';
import type { DockerStatus } from '../../common/hosts/host-summary';
import { probeDocker } from './docker-probe';

/**
 * Gives an SSH channel the few net.Socket methods Node's HTTP client calls on its socket.
 * `setTimeout` arms a plain timer (no inactivity tracking): enough for short API calls.
 */
function asSocket(stream: Duplex): Duplex {
  let timer: NodeJS.Timeout | undefined;
  const socket = stream as Duplex & Record<string, unknown>;
  socket.setTimeout = (ms: number, onTimeout?: () => void) => {
    clearTimeout(timer);
    if (onTimeout) stream.once('timeout', onTimeout);
    if (ms > 0) timer = setTimeout(() => stream.emit('timeout'), ms);
    return stream;
  };
  socket.setNoDelay = () => stream;
  socket.setKeepAlive = () => stream;
  socket.ref = () => stream;
  socket.unref = () => stream;
  stream.once('close', () => clearTimeout(timer));
  return stream;
}

/**
 * Docker on an SSH host through the host's one existing connection: each HTTP connection of
 * dockerode is an `openssh_forwardOutStreamLocal` channel to the Docker socket, falling back to
 * `docker system dial-stdio` over exec where the server forbids stream-local forwarding. Never a
 * new SSH handshake per request. dockerode is loaded on first use, not at start-up.
 */
export async function dockerOverSsh(client: Client, socketPath: string): Promise<Docker> {
  const agent = new Agent({ keepAlive: false });
  agent.createConnection = ((
    _options: unknown,
    callback: (error: Error | null, stream?: Duplex) => void,
  ) => {
    // ssh2 throws "Not connected" synchronously on a client whose link just dropped: that must
    // fail this request, not escape the HTTP agent as an uncaught exception.
    try {
      client.openssh_forwardOutStreamLocal(socketPath, (error, channel) => {
        if (!error) return callback(null, asSocket(channel));
        // The login shell may print a banner first: the marker tells where Docker's bytes begin.
        const marker = newMarker();
        const script = `printf '${marker.trimEnd()}\\n' && exec docker system dial-stdio`;
        try {
          client.exec(commandLine(['sh', '-c', script]), (execError, channel) =>
            execError
              ? callback(execError)
              : callback(null, asSocket(afterMarker(channel, marker))),
          );
        } catch (execError) {
          callback(execError as Error);
        }
      });
    } catch (error) {
      callback(error as Error);
    }
    return undefined;
  }) as unknown as Agent['createConnection'];
  // docker-modem honours `agent` (lib/modem.js); @types/dockerode does not list it.
  const options: Docker.DockerOptions & { agent: Agent } = {
    protocol: 'http',
    host: 'docker',
    port: 80,
    agent,
  };
  const { default: Dockerode } = await import('dockerode');
  return new Dockerode(options);
}

/**
 * What the probe alone tells about an SSH host's Docker: not reached yet, no socket, a socket
 * the user may not use, or a usable socket (the engine's version comes from {@link sshDockerStatus}).
 */
export function dockerFromProbe(probe: ProbeReport | undefined): DockerStatus {
  const base = {
    socket: probe?.dockerSocket ?? '/var/run/docker.sock',
    version: null,
    checkedAt: new Date().toISOString(),
  };
  switch (probe?.docker) {
    case undefined:
      return { ...base, state: 'unknown', message: 'Not checked yet: connect to the host first.' };
    case 'writable':
      return {
        ...base,
        state: 'reachable',
        message: `The Docker socket ${base.socket} is usable by you.`,
      };
    case 'not-writable':
      return {
        ...base,
        state: 'permission-denied',
        message: `Docker runs, but you may not use its socket ${base.socket}.`,
        hint: `Ask an admin to run \`${commandLine(['sudo', 'usermod', '-aG', 'docker', probe.user])}\`, then reconnect.`,
      };
    case 'missing':
      return {
        ...base,
        state: 'not-installed',
        message: `No Docker socket at ${base.socket} on this host.`,
        hint: 'Ask an admin to install Docker Engine (`sudo apt-get install docker.io`).',
      };
  }
}

/**
 * The Docker state of an SSH host: the probe says whether the socket is there and usable; when
 * it is, the engine itself is asked (by the shared {@link probeDocker}) over the host's connection.
 */
export async function sshDockerStatus(client: Client, probe: ProbeReport): Promise<DockerStatus> {
  const fromProbe = dockerFromProbe(probe);
  if (probe.docker !== 'writable') return fromProbe;
  return probeDocker({
    socket: probe.dockerSocket,
    engine: () => dockerOverSsh(client, probe.dockerSocket),
    unanswered: async (error) => ({
      ...fromProbe,
      state: 'daemon-not-running',
      message: `The Docker socket ${probe.dockerSocket} is there, but the engine did not answer: ${(error as Error).message}`,
      hint: 'Ask an admin to check the daemon: `sudo systemctl status docker`.',
    }),
  });
}
