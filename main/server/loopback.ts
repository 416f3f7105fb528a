import { isIP } from 'node:net';

/** True for addresses only this computer can reach: 127.0.0.0/8, ::1 and "localhost". */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/** Formats a host for a URL, bracketing IPv6 literals. */
export function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** The names every server answers to, whatever it is bound to. */
const LOOPBACK_NAMES: readonly string[] = ['127.0.0.1', 'localhost', '::1'];
/** Addresses that bind every interface; a request to one arrives with the interface's address. */
const WILDCARD_ADDRESSES: readonly string[] = ['0.0.0.0', '::'];

function splitHostHeader(value: string): { name: string; port: string } | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d+)$/.exec(value.toLowerCase());
  if (!match) return undefined;
  return { name: (match[1] ?? match[2])!, port: match[3]! };
}

/**
 * True when a request's `Host` header names this server: a loopback name or the address it was
 * bound to, with its port. Anything else is refused, which defeats DNS rebinding: a page of
 * evil.example whose name was re-pointed at 127.0.0.1 still sends `Host: evil.example:PORT`.
 * A server bound to every interface (--host 0.0.0.0) also accepts IP literals, which no DNS
 * answer can stand in for. See https://en.wikipedia.org/wiki/DNS_rebinding#Protection
 */
export function hostHeaderAllowed(value: string | undefined, bound: string, port: number): boolean {
  const parsed = value === undefined ? undefined : splitHostHeader(value);
  if (parsed === undefined || parsed.port !== String(port)) return false;
  const boundName = bound.replace(/^\[|\]$/g, '').toLowerCase();
  if (LOOPBACK_NAMES.includes(parsed.name) || parsed.name === boundName) return true;
  return WILDCARD_ADDRESSES.includes(boundName) && isIP(parsed.name) !== 0;
}
