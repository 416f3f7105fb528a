import { originOf } from './url-policy';

/** Where Vite's dev server may run: this machine, over plain HTTP, as `npm run dev` starts it. */
const DEV_SERVER_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/** What decides whether the window may load from a dev server. */
export interface DevServerParams {
  /**
   * True only in a bundle built by `npm run dev` (electron-vite's `serve` command, fixed at build
   * time). `npm start` and packaged builds are `build` bundles: for them this is false, whatever
   * the environment says.
   */
  readonly devBuild: boolean;
  readonly isPackaged: boolean;
  /** `ELECTRON_RENDERER_URL`, which electron-vite sets for the Electron it starts. */
  readonly rendererUrl: string | undefined;
}

/**
 * The dev server URL to load, or undefined to load app://. Its origin becomes the one trusted
 * IPC sender, so it is honoured only in a dev build and only on loopback: a variable left in the
 * environment (or set by someone else) must never make another page the app.
 */
export function trustedDevServerUrl({
  devBuild,
  isPackaged,
  rendererUrl,
}: DevServerParams): string | undefined {
  if (!devBuild || isPackaged || rendererUrl === undefined) return undefined;
  const origin = originOf(rendererUrl);
  if (origin === undefined || !origin.startsWith('http://')) return undefined;
  const host = new URL(origin).hostname;
  return DEV_SERVER_HOSTS.has(host) ? rendererUrl : undefined;
}
