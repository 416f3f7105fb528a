import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../common/security/csp';
import { handleAppRequest, resolveAppPath } from '../../../main/electron/app-protocol';
import { tempHome } from '../../support/temp-home';

async function rendererDir(): Promise<{ root: string; outside: string }> {
  const home = await tempHome();
  const root = join(home, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>LabDeck</title>');
  await writeFile(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  const outside = join(home, 'secrets.json');
  await writeFile(outside, '{"token":"s3cret"}');
  return { root, outside };
}

const get = (root: string, url: string, method = 'GET') =>
  handleAppRequest(root, new Request(url, { method }));

describe('resolveAppPath', () => {
  it('maps app://labdeck/ paths into the renderer directory', () => {
    expect(resolveAppPath('/r', 'app://labdeck/')).toBe('/r/index.html');
    expect(resolveAppPath('/r', 'app://labdeck/assets/a.js?v=1#x')).toBe('/r/assets/a.js');
  });

  it.each([
    'app://labdeck/../secrets.json',
    'app://labdeck/%2e%2e/secrets.json',
    'app://labdeck/assets/..%2f..%2f..%2fsecrets.json',
  ])('keeps dot-segments inside it: %s', (url) => {
    expect(resolveAppPath('/r', url)).toBe('/r/secrets.json');
  });

  it.each([
    'app://labdeck/..%5csecrets.json',
    'app://labdeck/index.html%00.js',
    'app://labdeck/%E0%A4%A',
    'app://evil/index.html',
    'app://labdeck.evil.example/index.html',
    'not a url',
  ])('names nothing for a backslash, NUL, bad escape or other host: %s', (url) => {
    expect(resolveAppPath('/r', url)).toBeUndefined();
  });
});

describe('handleAppRequest', () => {
  it('serves the built files with their type and the CSP header', async () => {
    const { root } = await rendererDir();
    const index = await get(root, 'app://labdeck/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await index.text()).toContain('<title>LabDeck</title>');
    const script = await get(root, 'app://labdeck/assets/index-abc.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers 404, with the CSP, for missing files, directories and escapes', async () => {
    const { root } = await rendererDir();
    for (const url of [
      'app://labdeck/missing.js',
      'app://labdeck/assets/',
      'app://labdeck/%2e%2e/secrets.json',
      'app://labdeck/..%2fsecrets.json',
      'app://other/index.html',
    ]) {
      const response = await get(root, url);
      expect(response.status, url).toBe(404);
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('does not follow a symlink out of the renderer directory', async () => {
    const { root, outside } = await rendererDir();
    await symlink(outside, join(root, 'assets', 'leak.json'));
    const response = await get(root, 'app://labdeck/assets/leak.json');
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('s3cret');
  });

  it('refuses methods other than GET and HEAD', async () => {
    const { root } = await rendererDir();
    expect((await get(root, 'app://labdeck/index.html', 'POST')).status).toBe(405);
    const head = await get(root, 'app://labdeck/index.html', 'HEAD');
    expect(head.status).toBe(200);
  });
});
