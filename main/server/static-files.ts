import { readFile, realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

/** Content types of the files a renderer build holds; anything else is sent as octet-stream. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/** The page a bare `/` gets, and every app route (a path without an extension). */
export const INDEX_PATH = '/index.html';

/**
 * Resolves a URL path to a file inside `root`, or undefined when it would escape it (`..`,
 * encoded separators, NUL bytes). The single place that turns request paths into file paths.
 */
export function confinedPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const relative = normalize(decoded).replace(/^([/\\])+/, '');
  if (relative.startsWith('..')) return undefined;
  const full = join(root, relative);
  const base = root.endsWith(sep) ? root : root + sep;
  return full === root || full.startsWith(base) ? full : undefined;
}

/**
 * The real path of `file` when it is a regular file whose every symlink resolves inside `root`,
 * or undefined. {@link confinedPath} checks the request's words; this checks the filesystem, so
 * a symlink in the build pointing at ~/.ssh is not followed out. Used by browser mode and app://.
 */
export async function realFileWithin(root: string, file: string): Promise<string | undefined> {
  try {
    const [real, realRoot] = await Promise.all([realpath(file), realpath(root)]);
    if (!real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) return undefined;
    return (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

function notFound(response: ServerResponse): true {
  response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
  return true;
}

/**
 * Sends a file of the built renderer, falling back to index.html for app routes. Returns false
 * when nothing could be sent (missing build), so the caller can answer with a helpful error.
 * The files hold no secret, so they are served to anyone who may reach the server at all.
 */
export async function sendStatic(
  root: string,
  urlPath: string,
  response: ServerResponse,
): Promise<boolean> {
  const wanted = urlPath === '/' ? INDEX_PATH : urlPath;
  const candidate = confinedPath(root, wanted);
  if (candidate === undefined) return notFound(response);
  let file = await realFileWithin(root, candidate);
  if (file === undefined) {
    if (extname(wanted) !== '' && wanted !== INDEX_PATH) return notFound(response);
    file = await realFileWithin(root, join(root, INDEX_PATH));
    if (file === undefined) return false;
  }
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return false;
  }
  response.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Cache-Control': file.endsWith(INDEX_PATH) ? 'no-store' : 'private, max-age=3600',
  });
  response.end(body);
  return true;
}
