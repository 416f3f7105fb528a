import { readFile, realpath } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import type { Privileges } from 'electron';
import { APP_HOST, CONTENT_SECURITY_POLICY } from '../../common/security/csp';
import { CSP_HEADER } from './csp-header';

/**
 * How the `app:` scheme is registered before `ready`: a standard, secure origin (so the page has
 * a real origin, `'self'` in the CSP means it, and storage works) that may use fetch. It does
 * not bypass CSP. See https://www.electronjs.org/docs/latest/tutorial/security#18-avoid-usage-of-the-file-protocol-and-prefer-usage-of-custom-protocols
 */
export const APP_SCHEME_PRIVILEGES: Privileges = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
};

/** The page a bare `app://labdeck/` request gets. */
const INDEX_FILE = 'index.html';

/** Content types of what Vite emits; anything else is served as opaque bytes. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

function respond(status: number, body: BodyInit | null, contentType = 'text/plain; charset=utf-8') {
  return new Response(body, {
    status,
    headers: {
      [CSP_HEADER]: CONTENT_SECURITY_POLICY,
      'Content-Type': contentType,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * The file under `root` an `app://labdeck/...` URL names, or undefined when it names none: another
 * host, a malformed escape, a backslash or NUL, or a path that leaves `root` (`..`, `%2e%2e`).
 */
export function resolveAppPath(root: string, url: string): string | undefined {
  let pathname: string;
  try {
    const parsed = new URL(url);
    if (parsed.host.toLowerCase() !== APP_HOST) return undefined;
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes('\\') || pathname.includes('\0')) return undefined;
  const file = resolve(root, `.${pathname.endsWith('/') ? `${pathname}${INDEX_FILE}` : pathname}`);
  return isInside(resolve(root), file) ? file : undefined;
}

/**
 * Serves one `app:` request from the built renderer directory, with the CSP on every response,
 * 404 for anything outside it (symlinks are resolved before the check) and 405 for non-GETs.
 * Given to `protocol.handle('app', ...)`; plain Node, so it is tested without Electron.
 */
export async function handleAppRequest(root: string, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, 'Method not allowed');
  const file = resolveAppPath(root, request.url);
  if (file === undefined) return respond(404, 'Not found');
  try {
    const real = await realpath(file);
    if (!isInside(await realpath(root), real)) return respond(404, 'Not found');
    const body = await readFile(real);
    const type = CONTENT_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream';
    return respond(200, request.method === 'HEAD' ? null : new Uint8Array(body), type);
  } catch {
    return respond(404, 'Not found');
  }
}
