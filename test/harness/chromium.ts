import { chromium, type Browser } from 'playwright-core';
import { PARTS } from './require-part';

/** Debian's Chromium; playwright-core cannot download its own browsers here (no internet). */
export const CHROMIUM_PATH = PARTS.chromium.path;
/** Cold start of Debian's Chromium on a 2-core CI runner takes several seconds. */
const CHROMIUM_LAUNCH_TIMEOUT_MS = 60_000;

/**
 * Flags for a quiet, offline, headless browser: no sandbox (tests run as root, where Chromium's
 * sandbox refuses to start), no GPU, and no background traffic to Google services (component
 * updates, sync, QUIC probes) that would only time out on a machine without internet.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** True when Debian's Chromium is installed (guard e2e tests with describeWithParts(['chromium'])). */
export function chromiumAvailable(): boolean {
  return PARTS.chromium.present();
}

/** Launch Debian's Chromium through playwright-core; the caller closes the Browser. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS],
    timeout: CHROMIUM_LAUNCH_TIMEOUT_MS,
  });
}
