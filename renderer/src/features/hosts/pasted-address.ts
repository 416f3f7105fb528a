/**
 * Reads what users paste into the Hostname field: an address as ssh hints and docs print it
 * (`alice@gpu-7:2222`, `alice@[::1]:2222`, `ssh://alice@gpu-7:2222`) or a whole ssh command
 * (`ssh -p 2222 alice@gpu-7`, `ssh alice@gpu-7 -p 2222`, `ssh -l alice gpu-7`). Anything it cannot
 * read completely — an option it does not know, a remote command, a port that is not one — is
 * not read at all, so the paste lands as typed and nothing the user pasted is dropped.
 */

/** The fields a paste fills; a field the paste does not name is left as it is. */
export interface PastedAddress {
  readonly user?: string;
  readonly hostname: string;
  readonly port?: number;
  readonly identityFile?: string;
  /** `-J` hops as the form's rows write them (`user@host[:port]`). */
  readonly jump?: readonly string[];
}

/** The characters of an IPv6 address (with an optional `%zone`). */
const IPV6 = /^[0-9A-Fa-f:.]+(%[\w.-]+)?$/;

/** ssh options with a value that map to a field of the form. */
const VALUE_OPTIONS = new Set(['p', 'l', 'i', 'J']);

/** The address or ssh command in `text`, or null when it is neither (or not all of it reads). */
export function parsePastedAddress(text: string): PastedAddress | null {
  const words = splitWords(text.trim());
  if (words === null || words.length === 0) return null;
  if (words[0] === 'ssh') return parseSshCommand(words.slice(1));
  if (words.length !== 1) return null;
  const word = words[0]!;
  const uri = /^ssh:\/\/(.+?)\/?$/.exec(word);
  const address = parseAddress(uri ? uri[1]! : word);
  // A bare host name is what the field is for: nothing to spread over other fields.
  if (address === null || (address.user === undefined && address.port === undefined)) return null;
  return address;
}

/** `ssh [options] destination` with only -p, -l, -i and -J, and no remote command. */
function parseSshCommand(args: readonly string[]): PastedAddress | null {
  const values: Partial<Record<'p' | 'l' | 'i' | 'J', string>> = {};
  let destination: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('-') && arg.length > 1) {
      const option = arg[1]!;
      if (!VALUE_OPTIONS.has(option)) return null;
      // `-p2222` and `-p 2222` mean the same to ssh.
      const value = arg.length > 2 ? arg.slice(2) : args[++i];
      if (value === undefined) return null;
      // ssh keeps the first -p, -l and -J it reads: a paste giving two says two things.
      if (option !== 'i' && values[option as 'p' | 'l' | 'J'] !== undefined) return null;
      if (option === 'i' && values.i !== undefined) return null;
      values[option as 'p' | 'l' | 'i' | 'J'] = value;
    } else if (destination === undefined) {
      destination = arg;
    } else {
      return null; // a remote command: not something a host's settings hold
    }
  }
  if (destination === undefined) return null;
  const uri = /^ssh:\/\/(.+?)\/?$/.exec(destination);
  // ssh itself reads `host:port` only in an ssh:// URI; elsewhere a colon is part of the name.
  const address = uri ? parseAddress(uri[1]!) : parsePlainDestination(destination);
  if (address === null) return null;
  const port = values.p === undefined ? address.port : parsePort(values.p);
  if (port === null) return null;
  const jump = values.J === undefined ? undefined : parseJump(values.J);
  if (jump === null) return null;
  // `-l` wins over a user named in the destination, and `-p` over a port in it, as in ssh.
  const user = values.l ?? address.user;
  return {
    hostname: address.hostname,
    ...(user === undefined ? {} : { user }),
    ...(port === undefined ? {} : { port }),
    ...(values.i === undefined ? {} : { identityFile: values.i }),
    ...(jump === undefined ? {} : { jump }),
  };
}

/** `[user@]host[:port]`, IPv6 in brackets before a port (`[::1]:2222`). */
function parseAddress(text: string): PastedAddress | null {
  const match = /^(?:([^@\s/]+)@)?(?:\[([0-9A-Fa-f:.%]+)\](?::([^:]*))?|([^@\s/[\]]+))$/.exec(text);
  if (!match) return null;
  const [, user, bracketed, bracketedPort, plain = ''] = match;
  let hostname = bracketed ?? plain;
  let portText = bracketedPort;
  const colons = plain.split(':').length - 1;
  if (colons === 1) [hostname = '', portText] = plain.split(':');
  // Two or more colons: an IPv6 address without a port, as ssh reads `alice@::1`.
  else if (colons > 1 && !IPV6.test(plain)) return null;
  const port = portText === undefined ? undefined : parsePort(portText);
  if (port === null || !isHostname(hostname)) return null;
  return {
    hostname,
    ...(user === undefined ? {} : { user }),
    ...(port === undefined ? {} : { port }),
  };
}

/** An ssh command's destination: `[user@]host`, where a colon can only be IPv6. */
function parsePlainDestination(text: string): PastedAddress | null {
  const match = /^(?:([^@\s]+)@)?([^@\s]+)$/.exec(text);
  if (!match) return null;
  const [, user, hostname = ''] = match;
  if (hostname.includes(':') && !IPV6.test(hostname)) return null;
  if (!isHostname(hostname)) return null;
  return { hostname, ...(user === undefined ? {} : { user }) };
}

/** `-J a@b,c@d:2222`: each hop must name its user, as the form's rows do. */
function parseJump(text: string): readonly string[] | null {
  const hops = text.split(',');
  for (const hop of hops) {
    const address = parseAddress(hop);
    if (address === null || address.user === undefined) return null;
  }
  return hops;
}

function parsePort(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

/** Letters, digits, dots, dashes, underscores, or an IPv6 address; never an option (`-v`). */
function isHostname(text: string): boolean {
  return /^[A-Za-z0-9_.%:-]+$/.test(text) && !text.startsWith('-');
}

/**
 * Splits a pasted line into words as a shell would for plain cases: whitespace apart, single
 * and double quotes kept together. Null for what needs a real shell (`$`, backslashes,
 * backticks, unbalanced quotes, several lines): such a paste is not read.
 */
function splitWords(text: string): string[] | null {
  if (/[\n\r\\`$;|&<>(){}]/.test(text)) return null;
  const words: string[] = [];
  const pattern = /\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))/gy;
  let current = '';
  let inWord = false;
  let index = 0;
  while (index < text.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(text);
    if (!match) return null; // an unbalanced quote
    const startsNewWord = /^\s/.test(match[0]);
    if (startsNewWord && inWord) {
      words.push(current);
      current = '';
    }
    current += match[1] ?? match[2] ?? match[3] ?? '';
    inWord = true;
    index = pattern.lastIndex;
  }
  if (inWord) words.push(current);
  return words;
}

/** What a paste filled, as the form says it: "User alice, Hostname gpu-7, Port 2222". */
export function pastedFields(address: PastedAddress): string {
  return [
    address.user === undefined ? null : `User ${address.user}`,
    `Hostname ${address.hostname}`,
    address.port === undefined ? null : `Port ${address.port}`,
    address.identityFile === undefined ? null : `Identity file ${address.identityFile}`,
    address.jump === undefined ? null : `Jump hosts ${address.jump.join(', ')}`,
  ]
    .filter((part) => part !== null)
    .join(', ');
}
