import { posix } from 'node:path';
import type { Client } from 'ssh2';
import { AppFailure } from '../../common/contract/result';
import type { ProbeReport } from '../../common/agent/probe-report';
import { execCollect } from '../ssh/remote-exec';
import type { AgentBundle } from './agent-bundle-file';
import { REMOTE_CACHE_DIR } from './probe';

/** Upload progress, for the window's progress bar and the CLI's percentage. */
export type UploadProgress = (sentBytes: number, totalBytes: number) => void;

/** Time allowed for an upload: generous, as lab links can be slow. */
const UPLOAD_TIMEOUT_MS = 10 * 60_000;

/**
 * Writes stdin to a temporary file, checks its size (a dropped link must not leave a truncated
 * bundle under the final name), then renames it into place atomically. The script is constant;
 * directory, name and size arrive as quoted arguments ($1 $2 $3).
 */
const ATOMIC_UPLOAD_SCRIPT =
  'umask 077 && mkdir -p "$1" && t="$1/.$2.$$.tmp" && cat > "$t" && ' +
  '[ "$(wc -c < "$t" | tr -d " ")" = "$3" ] && mv -f "$t" "$1/$2" || { rm -f "$t"; exit 1; }';

/** Where the bundle lives on the host. */
export function remoteAgentPath(probe: ProbeReport, bundle: AgentBundle): string {
  return posix.join(probe.home, REMOTE_CACHE_DIR, 'agent', bundle.fileName);
}

/**
 * Makes sure the host has this bundle: uploads it under its sha256 name only when the probe did
 * not find it, so a second connect uploads nothing. Returns the number of bytes sent.
 */
export async function ensureAgentUploaded(
  client: Client,
  probe: ProbeReport,
  bundle: AgentBundle,
  onProgress?: UploadProgress,
): Promise<number> {
  if (probe.bundlePresent) return 0;
  const dir = posix.dirname(remoteAgentPath(probe, bundle));
  const total = bundle.bytes.byteLength;
  const result = await execCollect(
    client,
    ['sh', '-c', ATOMIC_UPLOAD_SCRIPT, 'sh', dir, bundle.fileName, String(total)],
    {
      stdin: bundle.bytes,
      timeoutMs: UPLOAD_TIMEOUT_MS,
      onStdinProgress: (sent) => onProgress?.(sent, total),
    },
  );
  if (result.code !== 0) {
    throw new AppFailure({
      code: 'agent-upload-failed',
      message: `Uploading LabDeck's agent to ${dir} failed (exit ${result.code}): ${result.stderr.trim() || 'no message'}`,
      hint: `Check free space and permissions in ~/${REMOTE_CACHE_DIR} on the host (\`df -h ~\`).`,
    });
  }
  return total;
}
