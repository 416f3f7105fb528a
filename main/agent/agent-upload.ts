import { posix } from 'node:path';
import type { Client } from 'ssh2';
import { AppFailure } from '../../common/contract/result';
import type { ProbeReport } from '../../common/agent/probe-report';
import { execCollect } from '../ssh/remote-exec';
import type { AgentBundle } from './agent-bundle-file';
import { REMOTE_CACHE_DIR, SHA256_SH } from './probe';

/** Upload progress, for the window's progress bar and the CLI's percentage. */
export type UploadProgress = (sentBytes: number, totalBytes: number) => void;

/** Time allowed for an upload: generous, as lab links can be slow. */
const UPLOAD_TIMEOUT_MS = 10 * 60_000;

/**
 * Writes stdin to a private temporary file (0600 before a byte arrives), checks its size and,
 * where the host has a sha256 tool, its hash (a dropped link must not leave a truncated or damaged
 * bundle under the final name), then renames it into place atomically. A signal or a failed check
 * removes the temporary file. The script is constant; directory, name, size and hash arrive as
 * quoted arguments ($1 $2 $3 $4).
 */
const ATOMIC_UPLOAD_SCRIPT = `${SHA256_SH}
umask 077 && mkdir -p "$1" && t="$1/.$2.$$.tmp" || exit 1
trap 'rm -f "$t"; exit 1' HUP INT TERM PIPE
: > "$t" && chmod 600 "$t" && cat > "$t" &&
[ "$(wc -c < "$t" | tr -d " ")" = "$3" ] && h=$(sha256 "$t") && { [ -z "$h" ] || [ "$h" = "$4" ]; } &&
mv -f "$t" "$1/$2" || { rm -f "$t"; exit 1; }`;

/** Where the bundle lives on the host. */
export function remoteAgentPath(probe: ProbeReport, bundle: AgentBundle): string {
  return posix.join(probe.home, REMOTE_CACHE_DIR, 'agent', bundle.fileName);
}

/** True when the probe found this very bundle on the host, hashed by the host itself. */
export function agentIsCached(probe: ProbeReport, bundle: AgentBundle): boolean {
  return probe.bundleSha256 === bundle.sha256;
}

/**
 * Makes sure the host has this bundle: uploads it under its sha256 name unless the probe found
 * that file with exactly that content (issue 6: a file that was appended to, truncated or
 * replaced is uploaded again, never run), so a second connect uploads nothing. `force` uploads
 * even so (the agent that answered was another build). Returns the number of bytes sent.
 */
export async function ensureAgentUploaded(
  client: Client,
  probe: ProbeReport,
  bundle: AgentBundle,
  onProgress?: UploadProgress,
  force = false,
): Promise<number> {
  if (!force && agentIsCached(probe, bundle)) return 0;
  const dir = posix.dirname(remoteAgentPath(probe, bundle));
  const total = bundle.bytes.byteLength;
  const result = await execCollect(
    client,
    ['sh', '-c', ATOMIC_UPLOAD_SCRIPT, 'sh', dir, bundle.fileName, String(total), bundle.sha256],
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
