import { AppFailure } from '../../common/contract/result';

/** Jump host lists as ProxyJump and `ssh -J` write them: `[user@]host[:port]`, comma-separated. */

/** The port ssh uses when none is given. */
export const DEFAULT_PORT = 22;
/** The highest TCP port. */
export const MAX_PORT = 65_535;

/** One hop of a ProxyJump chain, first hop first. */
export interface JumpHop {
  /** The name as the ProxyJump value writes it, when it came from ssh_config. */
  readonly alias?: string;
  readonly user?: string;
  readonly hostname: string;
  readonly port: number;
  /** When the hop is an alias in the config: its IdentityFile and IdentitiesOnly settings. */
  readonly identityFile?: readonly string[];
  readonly identitiesOnly?: boolean;
}

/** One hop as written; `port` is undefined when not given (ssh_config may then supply it). */
export interface ParsedHop {
  readonly user?: string;
  readonly host: string;
  readonly port?: number;
}

/** `[ssh://][user@]host[:port]` with `[v6addr]:port`, as OpenSSH's parse_user_host_port(). */
function parseHop(text: string): ParsedHop {
  const bad = (why: string) => new Error(`"${text}" ${why}`);
  const body = text.startsWith('ssh://') ? text.slice('ssh://'.length).replace(/\/$/, '') : text;
  const at = body.lastIndexOf('@');
  const user = at >= 0 ? body.slice(0, at) : undefined;
  if (user === '') throw bad('has an empty user name before "@"');
  const hostPort = body.slice(at + 1);
  const match =
    /^\[([^\]]+)\](?::(.*))?$/.exec(hostPort) ?? /^([^:[\]]*)(?::([^:]*))?$/.exec(hostPort);
  if (!match) throw bad('is not [user@]host[:port] (IPv6 addresses go in brackets: [::1]:22)');
  const [, host = '', portText] = match;
  if (host === '' || /\s/.test(host)) throw bad('has no valid host name');
  if (portText === undefined) return { ...(user ? { user } : {}), host };
  const port = /^\d+$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= MAX_PORT))
    throw bad(`has port "${portText}", not a number from 1 to ${MAX_PORT}`);
  return { ...(user ? { user } : {}), host, port };
}

/** Splits and parses a comma-separated hop list; throws an Error naming the bad part. */
export function parseHops(spec: string): ParsedHop[] {
  const parts = spec.trim().split(',');
  if (parts.some((part) => part.trim() === '')) throw new Error(`"${spec}" has an empty jump host`);
  return parts.map((part) => parseHop(part.trim()));
}

/**
 * Parses `[user@]host[:port]` hops, comma-separated, into {@link JumpHop}s (port 22 when none is
 * given). Throws a plain Error naming the bad part, for callers that word the failure themselves.
 */
export function parseJumpHops(spec: string): JumpHop[] {
  return parseHops(spec).map(({ host, port, ...user }) => ({
    ...user,
    hostname: host,
    port: port ?? DEFAULT_PORT,
  }));
}

/**
 * Parses a ProxyJump-style list, `[user@]host[:port]` separated by commas, first hop first; a
 * missing port is 22. Throws an AppFailure naming the part that is wrong.
 */
export function parseJumpSpec(spec: string): JumpHop[] {
  try {
    return parseJumpHops(spec);
  } catch (error) {
    throw new AppFailure({
      code: 'invalid-jump-spec',
      message: `Jump hosts "${spec}": ${(error as Error).message}.`,
      hint: 'Write jump hosts as [user@]host[:port], separated by commas, e.g. alice@gw.lab.example:2222,gpu-gw',
    });
  }
}
