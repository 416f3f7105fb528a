/**
 * URL checks the Electron shell relies on for security decisions: which origin a page is from,
 * and which links may leave the app for the OS browser. Pure, so they are unit-tested.
 * See https://www.electronjs.org/docs/latest/tutorial/security#13-disable-or-limit-navigation
 */

/** Schemes a link may use to be handed to the OS browser: only TLS, never file:, smb:, or apps. */
const EXTERNAL_SCHEMES: ReadonlySet<string> = new Set(['https:']);

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * The origin of an absolute URL as `scheme://host[:port]`, or undefined when it has no host.
 * Why not `URL#origin`: Node's URL gives `"null"` for schemes it does not know (like `app:`),
 * while Chromium, where `app` is registered as standard, gives `app://labdeck`.
 */
export function originOf(url: string): string | undefined {
  const parsed = parse(url);
  if (!parsed || parsed.host === '') return undefined;
  return `${parsed.protocol}//${parsed.host}`.toLowerCase();
}

/** True when `url` is from exactly `origin` (scheme, host and port). Unparsable input is false. */
export function isSameOrigin(url: string, origin: string): boolean {
  const expected = originOf(origin);
  return expected !== undefined && originOf(url) === expected;
}

/**
 * True when a link may be opened in the OS browser with `shell.openExternal`: https, since other
 * schemes can launch local programs or reach files — and a session's own forward (see below).
 * See https://www.electronjs.org/docs/latest/tutorial/security#15-do-not-use-shellopenexternal-with-untrusted-content
 */
export function isExternallyOpenable(
  url: string,
  isForwardPort: (port: number) => boolean = () => false,
): boolean {
  const parsed = parse(url);
  if (parsed === undefined || parsed.host === '') return false;
  if (EXTERNAL_SCHEMES.has(parsed.protocol)) return true;
  return isForwardUrl(parsed, isForwardPort);
}

/**
 * True for `http://127.0.0.1:PORT/…` where PORT is a forward LabDeck itself listens on (a
 * session's Jupyter, TensorBoard): those pages are the user's own services, reached through the
 * host's SSH connection. Any other plain-http address stays refused, credentials in it too.
 */
function isForwardUrl(parsed: URL, isForwardPort: (port: number) => boolean): boolean {
  if (parsed.protocol !== 'http:' || parsed.hostname !== '127.0.0.1' || parsed.port === '')
    return false;
  if (parsed.username !== '' || parsed.password !== '') return false;
  return isForwardPort(Number(parsed.port));
}
