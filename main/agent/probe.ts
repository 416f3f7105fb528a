import { randomBytes } from 'node:crypto';
import type { Client } from 'ssh2';
import { AppFailure } from '../../common/contract/result';
import {
  MIN_NODE_MAJOR,
  probeReportSchema,
  PROBE_FORMAT_VERSION,
  type ProbeReport,
} from '../../common/agent/probe-report';
import { buildSocketName } from '../../common/agent/agent-socket-name';
import { quoteArg } from '../../common/shell/shell-quote';
import { describeIssues } from '../../common/contract/validation';
import { execCollect, type ExecResult } from '../ssh/remote-exec';

/** Where LabDeck keeps its files on a host, relative to the user's home. */
export const REMOTE_CACHE_DIR = '.cache/labdeck';

/**
 * A POSIX sh function printing the sha256 (hex) of file $1 with whatever the host has (GNU or
 * busybox `sha256sum`, macOS `shasum`, `openssl`), or nothing when it has none of them.
 */
export const SHA256_SH = String.raw`sha256() {
  set -f; set -- $({ sha256sum "$1" || shasum -a 256 "$1" || openssl dgst -sha256 -r "$1"; } 2>/dev/null); set +f
  echo "$1"
}`;

/**
 * The probe, a POSIX sh script sent on stdin to `sh -s`, so nothing in it passes through the
 * login shell's parser. Its report sits between two markers holding a random nonce: whatever a
 * chatty `.bashrc` prints before or after is ignored. Arguments: $1 nonce, $2 agent file name,
 * $3 the version of the Node runtime LabDeck pushes.
 *
 * Security (issue 6): LabDeck later runs code from the cache as the user, so the cache is created
 * under `umask 077`, and every path it runs from (~/.cache, ~/.cache/labdeck, agent/, node/, the
 * runtime's directories and the files themselves) is checked: owned by someone other than the user
 * (or root) is reported as unsafe; writable by group or others is made private (`chmod go-w`)
 * when the user owns it, else reported. Hashes are reported so that main runs only files whose
 * content it knows. Nothing from the cache is executed here.
 *
 * $4, when given, is this build's socket name (`agent-<sha12>.sock`): after the cache checks the
 * probe reports `daemonSocket=<path>` when this build's daemon already listens, so main can reach
 * it through a forwarded socket channel instead of starting Node on the host. The candidate is
 * chosen exactly as agent-bundle/runtime/socket-dir.ts `defaultSocketPath` chooses it (same
 * order, same tests), and reported only when the socket is ours (`-S`, `-O`, not a symlink) in a
 * real directory of ours that nobody else may enter (issue 6): nobody else can have put it there.
 */
const PROBE_SCRIPT = String.raw`
nonce="$1"; bundle="$2"; runtime="$3"; socket_name="$4"; cache="$HOME/${REMOTE_CACHE_DIR}"
umask 077
mkdir -p "$cache/agent" "$cache/node" 2>/dev/null
${SHA256_SH}
me=$(id -u)
check() {
  [ -e "$1" ] || [ -h "$1" ] || return 0
  set -f; set -- "$1" $(ls -ldnL "$1" 2>/dev/null); set +f # $2 mode, $4 owner uid
  case "$4" in "$me"|0) ;; *) echo "cacheUnsafe=owner ${'$'}{4:-unknown} $1"; return ;; esac
  case "$2" in
    ?????w*|????????w*) if [ "$4" = "$me" ] && chmod go-w "$1" 2>/dev/null; then echo "cacheRepaired=$1"; else echo "cacheUnsafe=mode $2 $1"; fi ;;
  esac
}
mode_of() { set -f; set -- $(ls -ldn "$1" 2>/dev/null); set +f; echo "$1"; }
own_socket() {
  [ -d "$1" ] && [ ! -h "$1" ] && [ -O "$1" ] || return 0
  case "$(mode_of "$1")" in d???------|d???------.) ;; *) return 0 ;; esac
  [ -S "$1/$socket_name" ] && [ ! -h "$1/$socket_name" ] && [ -O "$1/$socket_name" ] && echo "daemonSocket=$1/$socket_name"
}
daemon_socket() {
  case "$XDG_RUNTIME_DIR" in
    /*) if [ -w "$XDG_RUNTIME_DIR" ] && [ -x "$XDG_RUNTIME_DIR" ]; then own_socket "$XDG_RUNTIME_DIR/labdeck"; return; fi ;;
  esac
  shared="/tmp/labdeck-$me"
  if [ ! -e "$shared" ] && [ ! -h "$shared" ]; then [ -w /tmp ] && return 0
  elif [ -d "$shared" ] && [ ! -h "$shared" ] && [ -O "$shared" ]; then
    case "$(mode_of "$shared")" in ?????w*|????????w*) ;; *) own_socket "$shared"; return ;; esac
  fi
  key_file="$cache/socket-key"
  [ -f "$key_file" ] && [ ! -h "$key_file" ] && [ -O "$key_file" ] || return 0
  case "$(mode_of "$key_file")" in -??-------|-??-------.) ;; *) return 0 ;; esac
  key=$(cat "$key_file" 2>/dev/null)
  case "$key" in ${'[0-9a-f]'.repeat(16)}) own_socket "/tmp/labdeck-$me-$key" ;; esac
}
printf 'LABDECK-PROBE-BEGIN-%s\n' "$nonce"
echo "format=${PROBE_FORMAT_VERSION}"
set -f; set -- $(uname -sm); set +f
echo "os=$1"; echo "arch=$2"; echo "user=$(id -un)"; echo "home=$HOME"
for p in "$HOME/.cache" "$cache" "$cache/agent" "$cache/agent/$bundle" "$cache/node"; do check "$p"; done
for d in "$cache/node/v$runtime-linux-"*; do check "$d"; check "$d/bin"; check "$d/bin/node"; done
[ -n "$socket_name" ] && daemon_socket
node_path=$(command -v node 2>/dev/null)
echo "nodePath=$node_path"
[ -n "$node_path" ] && node_version=$("$node_path" --version 2>/dev/null) && echo "nodeVersion=$node_version"
echo "cacheFreeKiB=$(df -Pk "$cache" 2>/dev/null | awk 'NR==2 {print $4}')"
[ -f "$cache/agent/$bundle" ] && echo "bundleSha256=$(sha256 "$cache/agent/$bundle")"
for n in "$cache"/node/*/bin/node; do [ -x "$n" ] && echo "cachedNodePath=$n"; done
major=${'$'}{node_version#v}; major=${'$'}{major%%.*}
case "$major" in ''|*[!0-9]*) major=0 ;; esac
if [ "$major" -lt ${MIN_NODE_MAJOR} ]; then
  for n in "$cache/node/v$runtime-linux-"*/bin/node; do [ -f "$n" ] && echo "nodeRuntime=$(sha256 "$n") $n"; done
fi
case "$DOCKER_HOST" in unix://*) sock="${'$'}{DOCKER_HOST#unix://}" ;; *) sock=/var/run/docker.sock ;; esac
echo "dockerSocket=$sock"
if [ -S "$sock" ]; then if [ -w "$sock" ]; then echo docker=writable; else echo docker=not-writable; fi; else echo docker=missing; fi
echo "nvidiaSmi=$(command -v nvidia-smi 2>/dev/null)"
echo "nvidiaContainerRuntime=$(command -v nvidia-container-runtime 2>/dev/null || command -v nvidia-ctk 2>/dev/null)"
[ -r /proc/mounts ] && while read -r _dev mnt fstype opts _rest; do [ "$fstype" = xfs ] && printf 'xfs=%s %s\n' "$mnt" "$opts"; done < /proc/mounts
printf 'LABDECK-PROBE-END-%s\n' "$nonce"
`;

/** Extracts the text between the markers, or undefined when they are missing. */
/** /proc/mounts writes a space, tab, newline or backslash in a path as an octal escape (`\040`). */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(parseInt(octal, 8)),
  );
}

export function betweenMarkers(output: string, nonce: string): string | undefined {
  const begin = `LABDECK-PROBE-BEGIN-${nonce}\n`;
  const start = output.indexOf(begin);
  const end = output.indexOf(`LABDECK-PROBE-END-${nonce}`, start);
  return start < 0 || end < 0 ? undefined : output.slice(start + begin.length, end);
}

/** Keys the probe may print more than once; every other key keeps its first value. */
const LIST_KEYS = ['xfs', 'nodeRuntime', 'cacheUnsafe', 'cacheRepaired'] as const;
type ListKey = (typeof LIST_KEYS)[number];

function isListKey(key: string): key is ListKey {
  return (LIST_KEYS as readonly string[]).includes(key);
}

/** `<sha256> <path>`, or ` <path>` when the host could not hash it. */
function parseCachedFile(value: string): { path: string; sha256: string | null } {
  const match = /^([0-9a-f]{64}) (.*)$/.exec(value);
  return match ? { path: match[2] ?? '', sha256: match[1] ?? null } : { path: value, sha256: null };
}

/** `owner <uid> <path>` or `mode <ls mode> <path>`. */
function parseCacheProblem(value: string): { path: string; reason: string; detail: string } {
  const [reason = '', detail = '', ...path] = value.split(' ');
  return { reason, detail, path: path.join(' ') };
}

/** Turns the probe's key=value lines into a checked report. */
export function parseProbe(text: string): ProbeReport {
  const values = new Map<string, string>();
  const lists: Record<ListKey, string[]> = {
    xfs: [],
    nodeRuntime: [],
    cacheUnsafe: [],
    cacheRepaired: [],
  };
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at <= 0) continue;
    const key = line.slice(0, at);
    const value = line.slice(at + 1).trim();
    if (isListKey(key)) lists[key].push(value);
    else if (!values.has(key)) values.set(key, value);
  }
  const xfsMounts = lists.xfs.map((value) => {
    const [mountPoint = '', options = ''] = value.split(' ');
    return {
      mountPoint: unescapeMountField(mountPoint),
      projectQuota: /(^|,)(prjquota|pquota|pqnoenforce)(,|$)/.test(options),
    };
  });
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
    bundleSha256: text_('bundleSha256'),
    daemonSocket: text_('daemonSocket'),
    cachedNodePath: text_('cachedNodePath'),
    nodeRuntimes: lists.nodeRuntime.map(parseCachedFile),
    cacheUnsafe: lists.cacheUnsafe.map(parseCacheProblem),
    cacheRepaired: lists.cacheRepaired,
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

/**
 * Refuses to go on when the probe found a path in the cache that another user owns or could
 * write (issue 6): the agent or Node runtime there may be theirs, and would run as this user.
 * The error names the path and the command that fixes it.
 */
export function assertCacheSafe(probe: ProbeReport): void {
  const problem = probe.cacheUnsafe[0];
  if (problem === undefined) return;
  const path = quoteArg(problem.path);
  if (problem.detail === 'unknown') {
    throw new AppFailure({
      code: 'agent-cache-unsafe',
      message: `LabDeck could not check who owns ${problem.path}, so it will not run anything from it.`,
      hint: 'LabDeck checks with `ls -ldnL`; make sure `ls` is on the PATH of non-interactive logins.',
    });
  }
  throw new AppFailure(
    problem.reason === 'owner'
      ? {
          code: 'agent-cache-unsafe',
          message: `LabDeck will not run anything from ${problem.path}: it belongs to another user (uid ${problem.detail}), not to ${probe.user}, who could have put their own code there.`,
          hint: `Remove it and connect again: \`rm -rf ${path}\` (if you may not, ask an administrator; someone else wrote into your LabDeck cache).`,
        }
      : {
          code: 'agent-cache-unsafe',
          message: `LabDeck will not run anything from ${problem.path}: other users may write to it (mode ${problem.detail}) and LabDeck could not change that.`,
          hint: `Make it private and connect again: \`chmod go-w ${path}\` (or remove it: \`rm -rf ${path}\`).`,
        },
  );
}

/** Runs a command with stdin and collects its output: over SSH, or on this computer. */
export type ProbeRunner = (argv: readonly string[], stdin: string) => Promise<ExecResult>;

/**
 * Runs the probe over an SSH connection in one round trip and returns what it found, including
 * the socket of a running daemon of the build hashing to `bundleSha256`.
 */
export function probeHost(
  client: Client,
  bundle: { readonly fileName: string; readonly sha256: string },
  runtimeVersion: string,
): Promise<ProbeReport> {
  return runProbe(
    (argv, stdin) => execCollect(client, argv, { stdin }),
    bundle.fileName,
    runtimeVersion,
    buildSocketName(bundle.sha256),
  );
}

/**
 * Runs the probe through `run` (SSH exec, or a local child process for "This computer"), looking
 * for the agent file `agentFileName`, cached Node runtimes of `runtimeVersion` (`22.23.3`) and,
 * when `socketName` is given, a running daemon listening on it.
 */
export async function runProbe(
  run: ProbeRunner,
  agentFileName: string,
  runtimeVersion = 'none',
  socketName = '',
): Promise<ProbeReport> {
  const nonce = randomBytes(12).toString('hex');
  const argv = ['sh', '-s', '--', nonce, agentFileName, runtimeVersion, socketName];
  const result = await run(argv, PROBE_SCRIPT);
  const body = betweenMarkers(result.stdout.toString('utf8'), nonce);
  if (body === undefined) {
    throw new AppFailure({
      code: 'probe-failed',
      message: `The host did not run LabDeck's probe (exit ${result.code}): ${result.stderr.trim().slice(0, 300) || 'no output'}`,
      hint: 'LabDeck needs a POSIX shell (`sh`) on the host. Log in with ssh and run `sh -c true` to see what the login prints.',
    });
  }
  return parseProbe(body);
}
