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

/** `user@host` or `user@host:port` for messages, as a researcher would type it. */
export function endpointLabel(endpoint: Pick<SshEndpoint, 'host' | 'port' | 'user'>): string {
  return `${endpoint.user}@${endpoint.host}${endpoint.port === 22 ? '' : `:${endpoint.port}`}`;
}
