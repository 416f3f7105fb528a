/**
 * How browser mode's access token travels, written once for the server and the page. The token
 * is never a cookie: cookies are not isolated by port, so every other server on 127.0.0.1 (a
 * colleague's Jupyter) would receive it. It comes in the printed URL's fragment (never sent in
 * any HTTP request), the page keeps it in sessionStorage (per origin, port included) and presents
 * it as a WebSocket subprotocol, which browsers send only to the socket's own URL.
 * See https://www.rfc-editor.org/rfc/rfc6265#section-8.5 (cookies do not provide isolation by port).
 */

/** The fragment key of the printed URL: `http://127.0.0.1:4780/#token=…`. */
export const TOKEN_FRAGMENT_KEY = 'token';

/** The subprotocol the server answers with; the client offers it beside the token. */
export const BRIDGE_SUBPROTOCOL = 'labdeck';

/** Prefix of the subprotocol that carries the token (base64url, valid in a protocol token). */
export const TOKEN_SUBPROTOCOL_PREFIX = 'labdeck.token.';

/** The subprotocols a client offers to open the bridge with `token`. */
export function bridgeSubprotocols(token: string): string[] {
  return [BRIDGE_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX + token];
}
