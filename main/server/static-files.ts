import { readFile, stat } from 'node:fs/promises';
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
 * Sends a file of the built renderer, falling back to index.html for app routes. Returns false
 * when nothing could be sent (missing build), so the caller can answer with a helpful error.
 */
export async function sendStatic(
  root: string,
  urlPath: string,
  response: ServerResponse,
): Promise<boolean> {
  const wanted = urlPath === '/' ? '/index.html' : urlPath;
  const candidate = confinedPath(root, wanted);
  if (candidate === undefined) {
    response.writeHead(404).end('Not found');
    return true;
  }
  const isFile = await stat(candidate).then(
    (s) => s.isFile(),
    () => false,
  );
  const path = isFile ? candidate : extname(wanted) === '' ? join(root, 'index.html') : undefined;
  if (path === undefined) {
    response.writeHead(404).end('Not found');
    return true;
  }
  let body: Buffer;
  try {
    body = await readFile(path);
  } catch {
    return false;
  }
  response.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
    'Cache-Control': path.endsWith('index.html') ? 'no-store' : 'private, max-age=3600',
  });
  response.end(body);
  return true;
}
