/**
 * The Content-Security-Policy of every LabDeck page, in Electron (app:// responses) and in browser
 * mode (HTTP header). Only our own bundled scripts and styles run; the page may talk only to its
 * own origin (which covers the same-origin WebSocket of browser mode); no frames, no plugins, no
 * form posts, no <base> tricks.
 * See https://www.electronjs.org/docs/latest/tutorial/security#7-define-a-content-security-policy
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** The scheme and host the desktop app serves its UI from, instead of file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'labdeck';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
