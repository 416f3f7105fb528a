import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Entropy of a browser-mode token: 256 bits, like Jupyter's. */
const TOKEN_BYTES = 32;

/** Makes a fresh random token for one run of the server. */
export function newAccessToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** Cookie that carries the token after the first visit; named per port, as cookies ignore ports. */
export function tokenCookieName(port: number): string {
  return `labdeck_token_${port}`;
}

function sameToken(given: string | undefined | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** Where a request presented the token, if it did: the query (first visit), a header or the cookie. */
export type TokenSource = 'query' | 'header' | 'cookie' | undefined;

/**
 * Checks a request's token in constant time. The query form is accepted so that the printed URL
 * works once; the server then moves it into an HttpOnly cookie and redirects it away.
 */
export function presentedToken(
  request: IncomingMessage,
  url: URL,
  expected: string,
  port: number,
): TokenSource {
  if (sameToken(url.searchParams.get('token'), expected)) return 'query';
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ') && sameToken(header.slice('Bearer '.length), expected))
    return 'header';
  if (sameToken(cookieValue(request, tokenCookieName(port)), expected)) return 'cookie';
  return undefined;
}
