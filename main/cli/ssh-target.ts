import { isIPv6 } from 'node:net';
import { jumpHopSchema } from '../../common/hosts/host-config';
import { UsageError } from './cli-io';

/** Where `--ssh` (or one hop of `--jump`) points: the fields of a host's settings. */
export interface SshTarget {
  readonly user: string;
  readonly hostname: string;
  readonly port: number;
}

/** Every rule of `schema` that `value` breaks, in words, or undefined when it passes. */
function broken(
  schema: (typeof jumpHopSchema.shape)[keyof typeof jumpHopSchema.shape],
  value: unknown,
) {
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error.issues.map((i) => i.message).join(', and ');
}

/** What is wrong with the `host[:port]` part, as `[host, port text, problems]`. */
function splitHostPort(text: string): [string, string | undefined, string[]] {
  if (text.startsWith('[')) {
    const match = /^\[([^\]]*)\](?::(.*))?$/.exec(text);
    if (!match)
      return [
        '',
        undefined,
        [`"${text}": after an address in brackets only ":PORT" may follow, as in [::1]:22`],
      ];
    return [match[1] ?? '', match[2], match[1] ? [] : ['the brackets hold no address']];
  }
  const colons = text.split(':').length - 1;
  if (colons >= 2 && isIPv6(text))
    return [
      '',
      undefined,
      [
        `"${text}" looks like an IPv6 address: put it in brackets, [${text}], or [${text}]:22 with a port`,
      ],
    ];
  const [host = '', port, ...more] = text.split(':');
  const problems: string[] = [];
  if (host === '')
    problems.push(
      `there is no host name${port === undefined ? '' : ` before ":${[port, ...more].join(':')}"`}`,
    );
  if (more.length > 0)
    problems.push(
      `"${[port, ...more].join(':')}" is more than one port: write one, after a single ":" (HOST:PORT)`,
    );
  return [host, more.length > 0 ? undefined : port, problems];
}

/**
 * Parses `[USER@]HOST[:PORT]` as typed after `--ssh` or in `--jump`: a missing user is
 * `defaultUser`, a missing port 22, an IPv6 address goes in brackets (`[fe80::1]:2222`). Every
 * part is checked by the same rules as the host form (common/hosts/host-config.ts), and a
 * mistake is a {@link UsageError} naming the flag, the value and each part that is wrong:
 * `--ssh "ada@gpu1:4819l": the port "4819l" is not a number from 1 to 65535`.
 */
export function parseSshTarget(flag: string, text: string, defaultUser: string): SshTarget {
  const body = text.startsWith('ssh://') ? text.slice('ssh://'.length).replace(/\/$/, '') : text;
  const at = body.lastIndexOf('@');
  const user = at >= 0 ? body.slice(0, at) : defaultUser;
  const [hostname, portText, problems] = splitHostPort(body.slice(at + 1));
  if (at === 0) problems.unshift('the user name before "@" is empty');
  else {
    const userProblem = broken(jumpHopSchema.shape.user, user);
    if (userProblem) problems.unshift(`the user name "${user}" ${userProblem}`);
  }
  const hostProblem = hostname === '' ? undefined : broken(jumpHopSchema.shape.hostname, hostname);
  if (hostProblem)
    problems.push(
      `the host name "${hostname}" ${hostProblem}${hostname.startsWith('-') ? ' (ssh would read it as an option)' : ''}`,
    );
  const port = portText === undefined ? 22 : /^\d+$/.test(portText) ? Number(portText) : NaN;
  if (portText !== undefined && !(port >= 1 && port <= 65_535))
    problems.push(
      portText === ''
        ? 'there is no port after ":"'
        : `the port "${portText}" is not a number from 1 to 65535`,
    );
  if (problems.length > 0) throw new UsageError(`${flag} "${text}": ${problems.join('; ')}`);
  return { user, hostname, port };
}

/** Parses `--jump`: one or more targets separated by commas, first hop first. */
export function parseJumpTargets(flag: string, text: string, defaultUser: string): SshTarget[] {
  const hops = text.split(',').map((hop) => hop.trim());
  if (hops.some((hop) => hop === ''))
    throw new UsageError(`${flag} "${text}": a jump host is empty (two commas, or one at an end)`);
  return hops.map((hop, i) =>
    parseSshTarget(hops.length > 1 ? `${flag} hop ${i + 1}` : flag, hop, defaultUser),
  );
}
