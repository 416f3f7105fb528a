import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trustedDevServerUrl } from '../../../main/electron/dev-server';
import { ensureBuilt, REPO_ROOT } from '../../harness/labdeck-build';

const DEV_URL = 'http://localhost:5173/';

describe('trustedDevServerUrl', () => {
  it('loads the dev server only in a dev build that is not packaged', () => {
    expect(trustedDevServerUrl({ devBuild: true, isPackaged: false, rendererUrl: DEV_URL })).toBe(
      DEV_URL,
    );
    // `npm start` runs a build bundle unpackaged: the variable must not make a page the app.
    expect(
      trustedDevServerUrl({ devBuild: false, isPackaged: false, rendererUrl: DEV_URL }),
    ).toBeUndefined();
    expect(
      trustedDevServerUrl({ devBuild: true, isPackaged: true, rendererUrl: DEV_URL }),
    ).toBeUndefined();
    expect(
      trustedDevServerUrl({ devBuild: true, isPackaged: false, rendererUrl: undefined }),
    ).toBeUndefined();
  });

  it.each([
    'https://evil.example/',
    'http://192.168.1.20:5173/',
    'http://localhost.evil.example:5173/',
    'file:///tmp/index.html',
    'javascript:alert(1)',
    'not a url',
  ])('refuses %s even in a dev build', (rendererUrl) => {
    expect(trustedDevServerUrl({ devBuild: true, isPackaged: false, rendererUrl })).toBeUndefined();
  });

  it('accepts the loopback forms Vite prints', () => {
    for (const url of ['http://127.0.0.1:5173/', 'http://[::1]:5173/']) {
      expect(trustedDevServerUrl({ devBuild: true, isPackaged: false, rendererUrl: url })).toBe(
        url,
      );
    }
  });
});

describe('the Electron main bundle that `npm start` runs', () => {
  it('is built as a non-dev build: no dev server, reload or developer tools', async () => {
    await ensureBuilt();
    const bundle = await readFile(join(REPO_ROOT, 'out/main/index.js'), 'utf8');
    expect(bundle).not.toContain('__LABDECK_DEV_BUILD__');
    expect(bundle).toMatch(/\bdevBuild\s*=\s*(?:false|!1)\b/);
  });
});
