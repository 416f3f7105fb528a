import { CONTENT_SECURITY_POLICY } from '../../common/security/csp';

/** Response header that carries the policy; compared case-insensitively, as HTTP headers are. */
export const CSP_HEADER = 'Content-Security-Policy';

/** Directives relaxed in development only, for Vite's inline React-refresh preamble and its injected <style>s. */
const DEV_RELAXED_DIRECTIVES: ReadonlySet<string> = new Set(['script-src', 'style-src']);

/**
 * The policy for the pages the window loads. Packaged (and whenever no dev server is used) it is
 * exactly {@link CONTENT_SECURITY_POLICY}. With the electron-vite dev server, which is honoured
 * only in an unpackaged app, inline scripts and styles are allowed, because Vite injects them.
 * See https://www.electronjs.org/docs/latest/tutorial/security#7-define-a-content-security-policy
 */
export function contentSecurityPolicyFor(devServerUrl: string | undefined): string {
  if (devServerUrl === undefined) return CONTENT_SECURITY_POLICY;
  return CONTENT_SECURITY_POLICY.split('; ')
    .map((directive) => {
      const name = directive.split(' ', 1)[0] ?? '';
      return DEV_RELAXED_DIRECTIVES.has(name) ? `${directive} 'unsafe-inline'` : directive;
    })
    .join('; ');
}

/**
 * Response headers with the policy set, replacing any CSP the response already had (whatever
 * its case), so a server cannot weaken it. For `session.webRequest.onHeadersReceived`.
 */
export function withCspHeader(
  headers: Readonly<Record<string, string[]>> | undefined,
  policy: string,
): Record<string, string[]> {
  const kept = Object.entries(headers ?? {}).filter(
    ([name]) => name.toLowerCase() !== CSP_HEADER.toLowerCase(),
  );
  return { ...Object.fromEntries(kept), [CSP_HEADER]: [policy] };
}
