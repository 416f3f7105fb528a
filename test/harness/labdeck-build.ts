import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root, where `npm run build` writes out/. */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
/** The built CLI bundle; `npm test` builds it before the test projects run. */
export const CLI_BUNDLE = resolve(REPO_ROOT, 'out/cli/labdeck.js');
const RENDERER_INDEX = resolve(REPO_ROOT, 'out/renderer/index.html');
/** A full build (electron-vite + esbuild) on a 2-core runner. */
export const BUILD_TIMEOUT_MS = 240_000;
/** How long `labdeck serve` may take to print its URL. */
const SERVE_START_TIMEOUT_MS = 30_000;

/** Builds LabDeck unless out/ already holds the CLI and the renderer (as after `npm test`'s build). */
export async function ensureBuilt(): Promise<void> {
  if (existsSync(CLI_BUNDLE) && existsSync(RENDERER_INDEX)) return;
  await run('npm', ['run', 'build'], { cwd: REPO_ROOT, timeout: BUILD_TIMEOUT_MS });
}

/** Runs the built `labdeck` CLI once, as a user would from a shell. */
export async function runLabdeck(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  wrapper: readonly string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const argv = [...wrapper, process.execPath, CLI_BUNDLE, ...args];
  try {
    const { stdout, stderr } = await run(argv[0]!, argv.slice(1), { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** A running `labdeck serve`. */
export interface BrowserMode {
  /** The printed URL, token included. */
  readonly url: string;
  readonly origin: string;
  readonly child: ChildProcess;
  /** What the server printed so far (stdout and stderr), for a failing test to show. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `labdeck serve --port 0` as a child process and waits for the URL it prints. */
export async function startBrowserMode(env: NodeJS.ProcessEnv): Promise<BrowserMode> {
  const child = spawn(process.execPath, [CLI_BUNDLE, 'serve', '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`labdeck serve printed no URL:\n${output}`)),
      SERVE_START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /Open: (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`labdeck serve exited (${code}):\n${output}`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null) return resolveStop();
        child.once('exit', () => resolveStop());
        child.kill('SIGTERM');
      }),
  };
}
