import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeFrame, encodeFrame } from '../../common/contract/frames';
import { WEBSOCKET_PATH } from '../../common/contract/channels';
import { CONTENT_SECURITY_POLICY } from '../../common/security/csp';
import { BridgeSession } from '../bridge/bridge-session';
import type { Services } from '../services';
import { newAccessToken, presentedToken, tokenCookieName } from './access-token';
import { isLoopbackHost, urlHost } from './loopback';
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
  /** The URL to open, token included. */
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
 * Serves the renderer and the services' bridge (WebSocket at /api) on one port, like Jupyter:
 * every request needs the run's random token (query on the first visit, then an HttpOnly
 * SameSite=Strict cookie); the WebSocket also must come from the page's own origin.
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
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES });
  let peers = 0;

  const server = createServer((request, response) => {
    void handleHttp(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end('Internal error');
    });
  });

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    const url = new URL(request.url ?? '/', 'http://placeholder');
    const source = presentedToken(request, url, token, port);
    if (source === undefined) {
      response.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(
        'LabDeck needs its access token. Open the URL that `npm run serve` printed (it ends in ?token=…).\n',
      );
      return;
    }
    if (source === 'query') {
      url.searchParams.delete('token');
      response.writeHead(302, {
        'Set-Cookie': `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
      });
      response.end();
      return;
    }
    if (!(await sendStatic(options.rendererDir, url.pathname, response))) {
      response.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('The LabDeck window is not built. Run `npm run build`, then reload.\n');
    }
  }

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://placeholder');
    const origin = request.headers.origin;
    const sameOrigin = origin === undefined || origin === `http://${request.headers.host}`;
    if (
      url.pathname !== WEBSOCKET_PATH ||
      !sameOrigin ||
      presentedToken(request, url, token, port) === undefined
    ) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
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
    url: `http://${urlHost(options.host)}:${port}/?token=${token}`,
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
