import { describe, expect, it } from 'vitest';
import { confinedPath } from '../../../main/server/static-files';

describe('confinedPath', () => {
  const root = '/srv/renderer';

  it('maps ordinary paths inside the root', () => {
    expect(confinedPath(root, '/index.html')).toBe('/srv/renderer/index.html');
    expect(confinedPath(root, '/assets/app.js')).toBe('/srv/renderer/assets/app.js');
  });

  it.each(['/../etc/passwd', '/assets/../../etc/passwd', '/%2e%2e/etc/passwd'])(
    'clamps %s to the root, as URL resolution does, never above it',
    (path) => {
      expect(confinedPath(root, path)).toBe('/srv/renderer/etc/passwd');
    },
  );

  it.each(['/a%00b', '/..%5c..%5cetc', '/%E0%A4%A'])('refuses %s', (path) => {
    expect(confinedPath(root, path)).toBeUndefined();
  });
});
