/** Response header that carries the policy; compared case-insensitively, as HTTP headers are. */
export const CSP_HEADER = 'Content-Security-Policy';

/**
 * Response headers with `policy` as the CSP, replacing any policy the response already had
 * (whatever its case), so no server can weaken it. For `session.webRequest.onHeadersReceived`.
 * See https://www.electronjs.org/docs/latest/tutorial/security#7-define-a-content-security-policy
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
