import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient } from '../../../common/contract/client';
import { createPeerTransport } from '../../../common/contract/peer-transport';
import { socketPort } from '../../../common/contract/socket-port';
import { MemorySecretStore } from '../../../main/secrets/secret-store';
import { startBrowserServer, type BrowserServer } from '../../../main/server/browser-server';
import { createServices } from '../../../main/services';
import { tempHome } from '../../support/temp-home';

let server: BrowserServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(host = '127.0.0.1', allowNonLoopback = false): Promise<BrowserServer> {
  const home = await tempHome();
  const rendererDir = join(home, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>LabDeck</title>');
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

function openSocket(s: BrowserServer, headers: Record<string, string>): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${s.port}/api`, { headers });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('browser mode server', () => {
  it('answers 401 without the token, and says where to find it', async () => {
    const s = await serve();
    const response = await fetch(`${base(s)}/`);
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('npm run serve');
    expect((await fetch(`${base(s)}/?token=wrong`)).status).toBe(401);
  });

  it('trades the URL token for an HttpOnly cookie, then serves the page with the CSP', async () => {
    const s = await serve();
    expect(s.url).toBe(`http://127.0.0.1:${s.port}/?token=${s.token}`);
    const first = await fetch(s.url, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('/');
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await fetch(`${base(s)}/`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>LabDeck</title>');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('refuses a WebSocket without the token or from another origin', async () => {
    const s = await serve();
    await expect(openSocket(s, {})).rejects.toThrow(/401/);
    await expect(
      openSocket(s, { authorization: `Bearer ${s.token}`, origin: 'https://evil.example' }),
    ).rejects.toThrow(/401/);
  });

  it('serves the contract over the WebSocket to a client with the token', async () => {
    const s = await serve();
    const ws = await openSocket(s, { authorization: `Bearer ${s.token}` });
    const client = createClient(createPeerTransport(socketPort(ws as never)));
    const info = await client.request('app:get-info', {});
    expect(info).toMatchObject({ ok: true, value: { mode: 'browser', secretsPersistent: false } });
    ws.close();
  });

  it('refuses to bind a non-loopback address unless asked explicitly', async () => {
    await expect(serve('0.0.0.0')).rejects.toThrow(/--host/);
    const s = await serve('0.0.0.0', true);
    expect((await fetch(`${base(s)}/`)).status).toBe(401);
  });
});
