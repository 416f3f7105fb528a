import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Privileges } from 'electron';
import { APP_HOST, CONTENT_SECURITY_POLICY } from '../../common/security/csp';
import { CONTENT_TYPES, INDEX_PATH, confinedPath, realFileWithin } from '../server/static-files';
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

function respond(status: number, body: Uint8Array | string | null, contentType: string): Response {
  return new Response(body, {
    status,
    headers: {
      [CSP_HEADER]: CONTENT_SECURITY_POLICY,
      'Content-Type': contentType,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

const notFound = (): Response => respond(404, 'Not found', 'text/plain; charset=utf-8');

/**
 * The file under `root` an `app://labdeck/...` URL names, or undefined when it names none:
 * another host, or a path that leaves `root` (`..`, `%2e%2e`, backslashes, NUL); the
 * confinement rules are browser mode's ({@link confinedPath}), written once.
 */
export function resolveAppPath(root: string, url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.host.toLowerCase() !== APP_HOST) return undefined;
  const path = parsed.pathname === '/' ? INDEX_PATH : parsed.pathname;
  return confinedPath(root, path);
}

/**
 * Serves one `app:` request from the built renderer directory: the CSP on every response, 404
 * for anything outside it (symlinks are resolved before the check), 405 for anything but GET.
 * Given to `protocol.handle('app', ...)`; plain Node, so it is tested without Electron.
 */
export async function handleAppRequest(root: string, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return respond(405, 'Method not allowed', 'text/plain; charset=utf-8');
  }
  const file = resolveAppPath(root, request.url);
  if (file === undefined) return notFound();
  try {
    const real = await realFileWithin(root, file);
    if (real === undefined) return notFound();
    const body = await readFile(real);
    const type = CONTENT_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream';
    return respond(200, request.method === 'HEAD' ? null : new Uint8Array(body), type);
  } catch {
    return notFound();
  }
}
