import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../common/security/csp';
import { CSP_HEADER, withCspHeader } from '../../../main/electron/csp-header';

/** The policy as a map from directive name to its source list. */
function directives(policy: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (!name) continue;
    expect(map.has(name), `directive ${name} appears twice`).toBe(false);
    map.set(name.toLowerCase(), sources);
  }
  return map;
}

describe('CONTENT_SECURITY_POLICY', () => {
  const policy = directives(CONTENT_SECURITY_POLICY);

  it('runs only our own bundled scripts: no inline, no eval, no remote', () => {
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(
      /unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe-eval|strict-dynamic/,
    );
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*|blob:/);
  });

  it('denies by default, and denies frames, plugins and framing by others', () => {
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.has('frame-src')).toBe(false);
    expect(policy.has('child-src')).toBe(false);
  });

  it('lets the page talk only to its own origin', () => {
    expect(policy.get('connect-src')).toEqual(["'self'"]);
  });
});

describe('withCspHeader', () => {
  it('adds the policy and keeps the other headers', () => {
    expect(withCspHeader({ 'content-type': ['text/html'] }, 'default-src x')).toEqual({
      'content-type': ['text/html'],
      [CSP_HEADER]: ['default-src x'],
    });
    expect(withCspHeader(undefined, 'default-src x')).toEqual({ [CSP_HEADER]: ['default-src x'] });
  });

  it('replaces a weaker policy from the server, whatever its case', () => {
    const headers = withCspHeader(
      {
        'content-security-policy': ["script-src 'unsafe-inline'"],
        'CONTENT-SECURITY-POLICY': ['*'],
      },
      CONTENT_SECURITY_POLICY,
    );
    expect(headers).toEqual({ [CSP_HEADER]: [CONTENT_SECURITY_POLICY] });
  });
});
