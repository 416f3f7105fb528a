import { commandLine } from '../../common/shell/shell-quote';
import { endpointLabel, SSH_DEFAULT_PORT, type SshEndpoint } from './ssh-endpoint';

/** Who to reach and through which jump hosts, as a hint's command needs it. */
export type HintEndpoint = Pick<SshEndpoint, 'host' | 'port' | 'user'>;

/**
 * The commands LabDeck suggests in connection errors and Doctor fixes, built so that they run
 * as pasted: plain `ssh` takes the port from `-p` (`user@host:port` would be read as a host name
 * that does not resolve), jump hosts go in `-J` as `user@host:port` (brackets for IPv6), and
 * every argument is quoted by the shared shell quoting.
 */

/** `ssh -v [-J hops] [-p PORT] USER@HOST`: the login with OpenSSH's own account of each step. */
export function sshVerboseCommand(
  endpoint: HintEndpoint,
  via: readonly HintEndpoint[] = [],
): string {
  return commandLine([
    'ssh',
    '-v',
    ...(via.length > 0 ? ['-J', via.map(endpointLabel).join(',')] : []),
    ...(endpoint.port === SSH_DEFAULT_PORT ? [] : ['-p', String(endpoint.port)]),
    `${endpoint.user}@${endpoint.host}`,
  ]);
}

/** `nc -vz HOST PORT`: whether anything accepts TCP connections there. */
export function tcpCheckCommand(host: string, port: number): string {
  return commandLine(['nc', '-vz', host, String(port)]);
}

/** `ssh-keyscan -p PORT HOST`: the host keys the server offers, without logging in. */
export function keyscanCommand(host: string, port: number): string {
  return commandLine(['ssh-keyscan', '-p', String(port), host]);
}

/** A command as a hint writes it, in backticks, so the window can offer it to copy. */
export function codeSpan(command: string): string {
  return `\`${command}\``;
}
