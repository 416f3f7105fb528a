import { request as httpRequest } from 'node:http';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient } from '../../../common/contract/client';
import { createPeerTransport } from '../../../common/contract/peer-transport';
import { socketPort } from '../../../common/contract/socket-port';
import { bridgeSubprotocols } from '../../../common/security/browser-token';
import { MemorySecretStore } from '../../../main/secrets/secret-store';
import { startBrowserServer, type BrowserServer } from '../../../main/server/browser-server';
import { createServices } from '../../../main/services';
import { tempHome } from '../../support/temp-home';

let server: BrowserServer | undefined;
let home: string;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(host = '127.0.0.1', allowNonLoopback = false): Promise<BrowserServer> {
  home = await tempHome();
  const rendererDir = join(home, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>LabDeck</title>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log("labdeck")');
  await writeFile(join(home, 'secret.txt'), 'private key material');
  const services = createServices({
    home,
    mode: 'browser',
    secrets: new MemorySecretStore(),
    env: { PATH: '' },
  });
  server = await startBrowserServer({ services, rendererDir, host, port: 0, allowNonLoopback });
  return server;
}

function base(s: BrowserServer): string {
  return `http://127.0.0.1:${s.port}`;
}

/** Opens the bridge socket; rejects with the HTTP status the server refused it with. */
function openSocket(
  s: BrowserServer,
  protocols: string[],
  headers: Record<string, string> = {},
  path = '/api',
): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${s.port}${path}`, protocols, { headers });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_request, response) => {
      reject(new Error(`refused with ${response.statusCode}`));
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

/** A raw request sent to 127.0.0.1 with whatever Host header a DNS-rebinding page would send. */
function get(
  s: BrowserServer,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: s.port, path, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body, headers: response.headers }),
      );
    });
    req.once('error', reject);
    req.end();
  });
}

describe('browser mode server', () => {
  it('prints a URL whose token is in the fragment, which no HTTP request carries', async () => {
    const s = await serve();
    expect(s.url).toBe(`http://127.0.0.1:${s.port}/#token=${s.token}`);
    expect(s.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('serves the page (no secret in it) with the CSP, and sets no cookie', async () => {
    const s = await serve();
    const page = await fetch(`${base(s)}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>LabDeck</title>');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('set-cookie')).toBeNull();
    expect((await fetch(`${base(s)}/hosts`)).status).toBe(200); // an app route gets index.html
    expect((await fetch(`${base(s)}/missing.js`)).status).toBe(404);
  });

  it('refuses a WebSocket with no token, a wrong one, or the token in a cookie or the query', async () => {
    const s = await serve();
    await expect(openSocket(s, [])).rejects.toThrow(/refused with 401/);
    await expect(openSocket(s, bridgeSubprotocols('x'.repeat(43)))).rejects.toThrow(/401/);
    await expect(openSocket(s, bridgeSubprotocols(s.token.slice(1)))).rejects.toThrow(/401/);
    await expect(
      openSocket(s, ['labdeck'], { cookie: `labdeck_token_${s.port}=${s.token}` }),
    ).rejects.toThrow(/401/);
    await expect(
      openSocket(s, ['labdeck'], { authorization: `Bearer ${s.token}` }),
    ).rejects.toThrow(/401/);
    await expect(openSocket(s, ['labdeck'], {}, `/api?token=${s.token}`)).rejects.toThrow(/401/);
  });

  it.each([
    ['another site', 'https://evil.example'],
    ['an opaque origin', 'null'],
    ['another port of 127.0.0.1', 'http://127.0.0.1:1'],
    ['the same port over https', 'https://127.0.0.1:PORT'],
  ])('refuses a WebSocket with the token from %s', async (_what, origin) => {
    const s = await serve();
    await expect(
      openSocket(s, bridgeSubprotocols(s.token), {
        origin: origin.replace('PORT', String(s.port)),
      }),
    ).rejects.toThrow(/refused with 403/);
  });

  it('serves the contract to its own page with the token, answering the plain subprotocol', async () => {
    const s = await serve();
    const ws = await openSocket(s, bridgeSubprotocols(s.token), {
      origin: `http://127.0.0.1:${s.port}`,
    });
    expect(ws.protocol).toBe('labdeck');
    const client = createClient(createPeerTransport(socketPort(ws as never)));
    const info = await client.request('app:get-info', {});
    expect(info).toMatchObject({ ok: true, value: { mode: 'browser', secretsPersistent: false } });
    ws.close();
  });

  it.each(['evil.example', '127.0.0.1.evil.example', 'localhost.evil.example', '192.168.1.5'])(
    'refuses HTTP and the WebSocket when Host is %s:PORT (DNS rebinding)',
    async (name) => {
      const s = await serve();
      const page = await get(s, '/', { host: `${name}:${s.port}` });
      expect(page.status).toBe(403);
      expect(page.body).toContain(`http://127.0.0.1:${s.port}/`);
      expect(page.body).not.toContain('<title>LabDeck</title>');
      await expect(
        openSocket(s, bridgeSubprotocols(s.token), { host: `${name}:${s.port}` }),
      ).rejects.toThrow(/refused with 403/);
    },
  );

  it('answers to 127.0.0.1, localhost and [::1] on its own port only', async () => {
    const s = await serve();
    for (const host of [`127.0.0.1:${s.port}`, `localhost:${s.port}`, `[::1]:${s.port}`]) {
      expect((await get(s, '/', { host })).status).toBe(200);
    }
    expect((await get(s, '/', { host: '127.0.0.1' })).status).toBe(403);
    expect((await get(s, '/', { host: `127.0.0.1:${s.port + 1}` })).status).toBe(403);
  });

  it('does not follow a symlink in the served folder out of it', async () => {
    const s = await serve();
    await symlink(join(home, 'secret.txt'), join(home, 'renderer', 'assets', 'leak.js'));
    await symlink(home, join(home, 'renderer', 'up'));
    expect((await get(s, '/assets/app.js')).status).toBe(200);
    for (const path of ['/assets/leak.js', '/up/secret.txt']) {
      const response = await get(s, path);
      expect(response.status).toBe(404);
      expect(response.body).not.toContain('private key material');
    }
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/%252e%252e/secret.txt',
    '/assets%00/../../secret.txt',
  ])('never serves the file above the folder for %s', async (path) => {
    const s = await serve();
    const response = await get(s, path);
    expect(response.body).not.toContain('private key material');
    expect([200, 404]).toContain(response.status); // 200 only as index.html of an app route
  });

  it('refuses to bind a non-loopback address unless asked explicitly', async () => {
    await expect(serve('0.0.0.0')).rejects.toThrow(/--host/);
    const s = await serve('0.0.0.0', true);
    expect((await fetch(`${base(s)}/`)).status).toBe(200);
    await expect(openSocket(s, [])).rejects.toThrow(/401/);
    expect((await get(s, '/', { host: `evil.example:${s.port}` })).status).toBe(403);
  });
});
