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
