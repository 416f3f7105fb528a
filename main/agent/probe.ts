import { randomBytes } from 'node:crypto';
import type { Client } from 'ssh2';
import { AppFailure } from '../../common/contract/result';
import {
  probeReportSchema,
  PROBE_FORMAT_VERSION,
  type ProbeReport,
} from '../../common/agent/probe-report';
import { describeIssues } from '../../common/contract/validation';
import { execCollect, type ExecResult } from '../ssh/remote-exec';

/** Where LabDeck keeps its files on a host, relative to the user's home. */
export const REMOTE_CACHE_DIR = '.cache/labdeck';

/**
 * The probe, a POSIX sh script sent on stdin to `sh -s`, so nothing in it passes through the
 * login shell's parser. Its report sits between two markers holding a random nonce: whatever a
 * chatty `.bashrc` prints before or after is ignored. Arguments: $1 nonce, $2 agent file name.
 */
const PROBE_SCRIPT = String.raw`
nonce="$1"; bundle="$2"; cache="$HOME/${REMOTE_CACHE_DIR}"
mkdir -p "$cache/agent" "$cache/node" 2>/dev/null
printf 'LABDECK-PROBE-BEGIN-%s\n' "$nonce"
echo "format=${PROBE_FORMAT_VERSION}"
echo "os=$(uname -s)"; echo "arch=$(uname -m)"; echo "user=$(id -un)"; echo "home=$HOME"
node_path=$(command -v node 2>/dev/null)
echo "nodePath=$node_path"
[ -n "$node_path" ] && echo "nodeVersion=$("$node_path" --version 2>/dev/null)"
echo "cacheFreeKiB=$(df -Pk "$cache" 2>/dev/null | awk 'NR==2 {print $4}')"
[ -f "$cache/agent/$bundle" ] && echo "bundlePresent=1"
for n in "$cache"/node/*/bin/node; do [ -x "$n" ] && echo "cachedNodePath=$n"; done
case "$DOCKER_HOST" in unix://*) sock="${'$'}{DOCKER_HOST#unix://}" ;; *) sock=/var/run/docker.sock ;; esac
echo "dockerSocket=$sock"
if [ -S "$sock" ]; then if [ -w "$sock" ]; then echo docker=writable; else echo docker=not-writable; fi; else echo docker=missing; fi
echo "nvidiaSmi=$(command -v nvidia-smi 2>/dev/null)"
echo "nvidiaContainerRuntime=$(command -v nvidia-container-runtime 2>/dev/null || command -v nvidia-ctk 2>/dev/null)"
awk '$3 == "xfs" { print "xfs=" $2 " " $4 }' /proc/mounts 2>/dev/null
printf 'LABDECK-PROBE-END-%s\n' "$nonce"
`;

/** Extracts the text between the markers, or undefined when they are missing. */
export function betweenMarkers(output: string, nonce: string): string | undefined {
  const begin = `LABDECK-PROBE-BEGIN-${nonce}\n`;
  const start = output.indexOf(begin);
  const end = output.indexOf(`LABDECK-PROBE-END-${nonce}`, start);
  return start < 0 || end < 0 ? undefined : output.slice(start + begin.length, end);
}

/** Turns the probe's key=value lines into a checked report. */
export function parseProbe(text: string): ProbeReport {
  const values = new Map<string, string>();
  const xfsMounts: { mountPoint: string; projectQuota: boolean }[] = [];
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at <= 0) continue;
    const key = line.slice(0, at);
    const value = line.slice(at + 1).trim();
    if (key === 'xfs') {
      const [mountPoint = '', options = ''] = value.split(' ');
      xfsMounts.push({
        mountPoint,
        projectQuota: /(^|,)(prjquota|pquota|pqnoenforce)(,|$)/.test(options),
      });
    } else if (!values.has(key)) values.set(key, value);
  }
  const text_ = (key: string) => values.get(key) || null;
  const free = Number(values.get('cacheFreeKiB'));
  const parsed = probeReportSchema.safeParse({
    format: Number(values.get('format')),
    os: values.get('os') ?? '',
    arch: values.get('arch') ?? '',
    user: values.get('user') ?? '',
    home: values.get('home') ?? '',
    nodePath: text_('nodePath'),
    nodeVersion: text_('nodeVersion'),
    cacheFreeKiB: Number.isFinite(free) && values.get('cacheFreeKiB') !== '' ? free : null,
    bundlePresent: values.get('bundlePresent') === '1',
    cachedNodePath: text_('cachedNodePath'),
    docker: values.get('docker') ?? 'missing',
    dockerSocket: values.get('dockerSocket') || '/var/run/docker.sock',
    nvidiaSmi: text_('nvidiaSmi'),
    nvidiaContainerRuntime: text_('nvidiaContainerRuntime'),
    xfsMounts,
  });
  if (!parsed.success) {
    throw new AppFailure({
      code: 'probe-unreadable',
      message: `The host's probe report is incomplete: ${describeIssues(parsed.error)}`,
    });
  }
  return parsed.data;
}

/** Runs a command with stdin and collects its output: over SSH, or on this computer. */
export type ProbeRunner = (argv: readonly string[], stdin: string) => Promise<ExecResult>;

/** Runs the probe over an SSH connection in one round trip and returns what it found. */
export function probeHost(client: Client, agentFileName: string): Promise<ProbeReport> {
  return runProbe((argv, stdin) => execCollect(client, argv, { stdin }), agentFileName);
}

/** Runs the probe through `run` (SSH exec, or a local child process for "This computer"). */
export async function runProbe(run: ProbeRunner, agentFileName: string): Promise<ProbeReport> {
  const nonce = randomBytes(12).toString('hex');
  const result = await run(['sh', '-s', '--', nonce, agentFileName], PROBE_SCRIPT);
  const body = betweenMarkers(result.stdout.toString('utf8'), nonce);
  if (body === undefined) {
    throw new AppFailure({
      code: 'probe-failed',
      message: `The host did not run LabDeck's probe (exit ${result.code}): ${result.stderr.trim().slice(0, 300) || 'no output'}`,
      hint: 'LabDeck needs a POSIX shell (`sh`) on the host. Try `ssh HOST sh -c true` to see what the login prints.',
    });
  }
  return parseProbe(body);
}
