import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_SUBPROTOCOL_PREFIX } from '../../common/security/browser-token';

/** Entropy of a browser-mode token: 256 bits, like Jupyter's. */
const TOKEN_BYTES = 32;

/** Makes a fresh random token for one run of the server (base64url, so it fits a subprotocol). */
export function newAccessToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * True when a WebSocket upgrade offers the run's token as a `labdeck.token.<token>` subprotocol,
 * compared in constant time. Nothing else counts: not the query (it would sit in the address
 * bar and in logs) and not a cookie (sent to every port of the host, see browser-token.ts).
 */
export function presentsToken(request: IncomingMessage, expected: string): boolean {
  const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',');
  return offered
    .map((protocol) => protocol.trim())
    .some(
      (protocol) =>
        protocol.startsWith(TOKEN_SUBPROTOCOL_PREFIX) &&
        sameToken(protocol.slice(TOKEN_SUBPROTOCOL_PREFIX.length), expected),
    );
}
