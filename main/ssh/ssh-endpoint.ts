/** One SSH server to reach: the target host, or one hop of a ProxyJump chain. */
export interface SshEndpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** Private key files to offer, in order; empty means OpenSSH's defaults in ~/.ssh. */
  readonly identityFiles: readonly string[];
  /** Offer only `identityFiles` (not the ssh-agent's other keys), as OpenSSH's IdentitiesOnly. */
  readonly identitiesOnly: boolean;
}

/** The port ssh uses when none is given. */
export const SSH_DEFAULT_PORT = 22;

/**
 * `host:port` as OpenSSH writes an address with a port: an IPv6 address goes in brackets
 * (`[::1]:2222`), since its own colons would otherwise swallow the port.
 */
export function hostPortLabel(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * `user@host` or `user@host:port` (`user@[::1]:2222` for IPv6) for messages and for `ssh -J`,
 * which reads exactly this form. Never an argument of plain `ssh`: see `sshVerboseCommand`.
 */
export function endpointLabel(endpoint: Pick<SshEndpoint, 'host' | 'port' | 'user'>): string {
  const where =
    endpoint.port === SSH_DEFAULT_PORT
      ? endpoint.host
      : hostPortLabel(endpoint.host, endpoint.port);
  return `${endpoint.user}@${where}`;
}
