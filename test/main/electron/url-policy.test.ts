import { describe, expect, it } from 'vitest';
import { isExternallyOpenable, isSameOrigin, originOf } from '../../../main/electron/url-policy';

describe('originOf', () => {
  it('gives scheme://host[:port] for the app scheme, which Node alone calls "null"', () => {
    expect(new URL('app://labdeck/index.html').origin).toBe('null');
    expect(originOf('app://labdeck/index.html')).toBe('app://labdeck');
    expect(originOf('http://localhost:5173/src/main.tsx')).toBe('http://localhost:5173');
    expect(originOf('https://example.org:443/')).toBe('https://example.org');
  });

  it('has no origin for URLs without a host or that do not parse', () => {
    expect(originOf('about:blank')).toBeUndefined();
    expect(originOf('file:///etc/passwd')).toBeUndefined();
    expect(originOf('javascript:alert(1)')).toBeUndefined();
    expect(originOf('/index.html')).toBeUndefined();
  });
});

describe('isSameOrigin', () => {
  it('compares scheme, host and port', () => {
    expect(isSameOrigin('app://labdeck/a/b.js', 'app://labdeck')).toBe(true);
    expect(isSameOrigin('app://LABDECK/a', 'app://labdeck')).toBe(true);
    expect(isSameOrigin('https://labdeck/a', 'app://labdeck')).toBe(false);
    expect(isSameOrigin('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isSameOrigin('app://labdeck@evil.example/', 'app://labdeck')).toBe(false);
  });
});

describe('isExternallyOpenable', () => {
  it('opens only https links', () => {
    expect(isExternallyOpenable('https://github.com/labdeck/labdeck')).toBe(true);
    for (const url of [
      'http://example.org/',
      'file:///bin/sh',
      'smb://server/share',
      'javascript:alert(1)',
      'ms-settings:',
      'vscode://file/etc/passwd',
      'https:',
      'not a url',
    ]) {
      expect(isExternallyOpenable(url), url).toBe(false);
    }
  });

  it("opens a session's forward on 127.0.0.1, and no other plain-http address", () => {
    const forwards = new Set([43117]);
    const isForward = (port: number) => forwards.has(port);
    expect(isExternallyOpenable('http://127.0.0.1:43117/lab?token=abc', isForward)).toBe(true);
    for (const url of [
      'http://127.0.0.1:43118/', // not a forward LabDeck holds
      'http://localhost:43117/', // a name another program could answer for
      'http://127.0.0.2:43117/',
      'http://[::1]:43117/',
      'http://user:pw@127.0.0.1:43117/',
      'http://127.0.0.1/',
      'ftp://127.0.0.1:43117/',
    ]) {
      expect(isExternallyOpenable(url, isForward), url).toBe(false);
    }
    expect(isExternallyOpenable('http://127.0.0.1:43117/')).toBe(false); // no forwards: refused
  });
});
