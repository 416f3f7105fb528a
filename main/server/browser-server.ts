import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeFrame, encodeFrame } from '../../common/contract/frames';
import { WEBSOCKET_PATH } from '../../common/contract/channels';
import { CONTENT_SECURITY_POLICY } from '../../common/security/csp';
import { BRIDGE_SUBPROTOCOL, TOKEN_FRAGMENT_KEY } from '../../common/security/browser-token';
import { BridgeSession } from '../bridge/bridge-session';
import type { Services } from '../services';
import { newAccessToken, presentsToken } from './access-token';
import { hostHeaderAllowed, isLoopbackHost, urlHost } from './loopback';
import { sendStatic } from './static-files';

/** Largest message a browser may send: terminal input and requests are far smaller. */
const MAX_CLIENT_MESSAGE_BYTES = 16 * 1024 * 1024;

/** How browser mode is served. */
export interface BrowserServerOptions {
  readonly services: Services;
  /** The built renderer (out/renderer). */
  readonly rendererDir: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Required to bind anything but loopback: exposing LabDeck to a network must be deliberate. */
  readonly allowNonLoopback?: boolean;
  /** Fixed token (tests); a random one otherwise. */
  readonly token?: string;
}

/** A running browser-mode server. */
export interface BrowserServer {
  /** The URL to open, token included (in the fragment, which no HTTP request carries). */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
} as const;

/** Thrown when asked to bind a network-reachable address without saying so explicitly. */
export class NonLoopbackRefused extends Error {}

/**
 * Serves the renderer and the services' bridge (WebSocket at /api) on one port, like Jupyter,
 * but without its cookie (cookies are shared by every port of 127.0.0.1). The static files hold
 * no secret and are served to any request that names this server in its `Host` (DNS rebinding);
 * the WebSocket additionally needs the page's own Origin and the run's random token, offered as
 * a `labdeck.token.<token>` subprotocol (see common/security/browser-token.ts).
 */
export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  if (!options.allowNonLoopback && !isLoopbackHost(options.host)) {
    throw new NonLoopbackRefused(
      `Refusing to serve LabDeck on ${options.host}: anyone who can reach that address could try to use it. ` +
        'Pass --host explicitly to serve on a non-loopback address.',
    );
  }
  const token = options.token ?? newAccessToken();
  let port = options.port;
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_CLIENT_MESSAGE_BYTES,
    // Answer with the plain protocol: echoing the token's would only copy it around.
    handleProtocols: (offered) => (offered.has(BRIDGE_SUBPROTOCOL) ? BRIDGE_SUBPROTOCOL : false),
  });
  let peers = 0;

  const server = createServer((request, response) => {
    void handleHttp(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end('Internal error');
    });
  });

  /** Why a request that does not name this server is refused; it is never served. */
  function misdirected(): string {
    return (
      `LabDeck answers only at http://${urlHost(options.host)}:${port}/ (or localhost). ` +
      'This request named another host, as a DNS-rebinding page would; it was refused.\n'
    );
  }

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    if (!hostHeaderAllowed(request.headers.host, options.host, port)) {
      response.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(misdirected());
      return;
    }
    const url = new URL(request.url ?? '/', 'http://placeholder');
    if (!(await sendStatic(options.rendererDir, url.pathname, response))) {
      response.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('The LabDeck window is not built. Run `npm run build`, then reload.\n');
    }
  }

  server.on('upgrade', (request, socket, head) => {
    const refuse = (status: string, why: string): void => {
      socket.end(
        `HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(why)}\r\nConnection: close\r\n\r\n${why}`,
      );
    };
    const url = new URL(request.url ?? '/', 'http://placeholder');
    const host = request.headers.host;
    const origin = request.headers.origin;
    if (url.pathname !== WEBSOCKET_PATH) return refuse('404 Not Found', 'Not found\n');
    if (!hostHeaderAllowed(host, options.host, port)) return refuse('403 Forbidden', misdirected());
    // Browsers always send Origin (no Origin: a program, which the token alone admits). A page of
    // another origin, another port included, or an opaque `null` one (sandboxed frame, file://)
    // must not drive LabDeck even if it learnt the token.
    if (origin !== undefined && origin.toLowerCase() !== `http://${(host ?? '').toLowerCase()}`) {
      return refuse('403 Forbidden', 'LabDeck accepts connections only from its own page.\n');
    }
    if (!presentsToken(request, token)) {
      return refuse(
        '401 Unauthorized',
        'LabDeck needs its access token: open the URL that `npm run serve` printed.\n',
      );
    }
    sockets.handleUpgrade(request, socket, head, (ws) => attach(ws));
  });

  function attach(ws: WebSocket): void {
    const session = new BridgeSession(
      options.services.dispatcher,
      options.services.events,
      (message) => ws.send(encodeFrame(message)),
      { peerId: `browser-${++peers}` },
    );
    ws.on('message', (data, isBinary) => {
      const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      const message = decodeFrame(isBinary ? new Uint8Array(buffer) : buffer.toString('utf8'));
      if (message !== undefined) session.receive(message);
    });
    ws.on('close', () => session.close());
    ws.on('error', () => session.close());
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${urlHost(options.host)}:${port}/#${TOKEN_FRAGMENT_KEY}=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
