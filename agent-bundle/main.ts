import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { version } from '../package.json';
import { formatAgentFailure } from '../common/agent/agent-failure';
import type { AgentIdentity } from '../common/agent/agent-protocol';
import { streamIdSchema } from '../common/agent/stream-header';
import { AppFailure } from '../common/contract/result';
import { registerDotfileMethods } from './dotfiles/dotfile-methods';
import { registerFolderMethods } from './folders/folder-methods';
import { registerGpuMethods } from './gpu/gpu-methods';
import { ignoreTerminatingSignals, runPrivileged } from './privileged/privileged-entry';
import { runSetupEntry } from './setup/setup-entry';
import { registerSetupMethods } from './setup/setup-methods';
import { absolutePathSchema } from '../common/host-setup/lab-config';
import { SYSTEM_ROOT_ENV, systemPaths } from '../common/host-setup/system-paths';
import { registerSessionMethods } from './sessions/session-methods';
import { registerTerminalMethods } from './terminals/terminal-methods';
import type { AgentRegistry } from './rpc/agent-registry';
import type { DaemonControl } from './runtime/daemon';
import { stderrLog } from './runtime/agent-log';
import { agentIdentity } from './runtime/agent-identity';
import { runAttach } from './runtime/attach';
import { runConnect } from './runtime/connect';
import { AGENT_IDLE_EXIT_MS, IDLE_EXIT_ENV, runDaemon } from './runtime/daemon';
import { defaultSocketPath } from './runtime/socket-dir';
import { runStdio } from './runtime/stdio';

/**
 * The LabDeck host agent: one file, built from here, run with plain `node` (≥ 18) as the user.
 *
 *   labdeck-agent serve   [--socket PATH]   this build's per-user daemon
 *   labdeck-agent connect [--socket PATH]   proxy stdio (RPC) to the daemon, starting it if needed
 *   labdeck-agent attach ID [--cols N --rows N] [--from OFFSET] [--socket PATH]
 *                                           proxy stdio to one byte stream of the daemon
 *   labdeck-agent stdio                     serve one client on stdin/stdout, no daemon
 *   labdeck-agent --privileged              the root helper, through sudo -n from a root-owned copy
 *   labdeck-agent setup --request JSON      host setup, as root (prints its report as JSON)
 */

const USAGE =
  'usage: labdeck-agent (serve | connect | stdio | attach ID [--cols N] [--rows N] [--from OFFSET] | --privileged | setup --request JSON) [--socket PATH]\n';
const EXIT_USAGE = 2;
const EXIT_FAILURE = 1;
const MODES = ['serve', 'connect', 'stdio', 'attach', '--privileged', 'setup'];

interface Args {
  readonly mode: string;
  readonly stream?: string;
  readonly socket?: string;
  readonly cols?: number;
  readonly rows?: number;
  readonly from?: number;
  readonly request?: string;
}

function parseSize(value: string | undefined): number | undefined {
  const size = Number(value);
  return /^\d+$/.test(value ?? '') && size >= 1 && size <= 10_000 ? size : undefined;
}

function parseArgs(argv: readonly string[]): Args | undefined {
  const [mode, ...rest] = argv;
  if (mode === undefined || !MODES.includes(mode)) return undefined;
  let stream: string | undefined;
  if (mode === 'attach') {
    stream = rest.shift();
    if (!streamIdSchema.safeParse(stream).success) return undefined;
  }
  const args: {
    stream?: string;
    socket?: string;
    cols?: number;
    rows?: number;
    from?: number;
    request?: string;
  } = { stream };
  while (rest.length > 0) {
    const [flag, value] = rest.splice(0, 2);
    const size = parseSize(value);
    // Absolute, because the daemon runs in / and must find the same path as `connect`.
    if (flag === '--request' && mode === 'setup' && value !== undefined) args.request = value;
    else if (flag === '--socket' && value && mode !== '--privileged' && mode !== 'setup')
      args.socket = resolve(value);
    else if (flag === '--cols' && mode === 'attach' && size) args.cols = size;
    else if (flag === '--rows' && mode === 'attach' && size) args.rows = size;
    else if (flag === '--from' && mode === 'attach' && /^\d{1,15}$/.test(value ?? ''))
      args.from = Number(value);
    else return undefined;
  }
  if (mode === 'setup' && args.request === undefined) return undefined;
  return { mode, ...args };
}

/**
 * Registers every feature's methods and streams; one line per feature. Terminals need the daemon
 * (they outlive connections): `stdio` mode has none.
 */
function registerFeatures(
  registry: AgentRegistry,
  identity: AgentIdentity,
  daemon?: DaemonControl,
): void {
  registerGpuMethods(registry, { nvidiaSmi: process.env.LABDECK_NVIDIA_SMI || 'nvidia-smi' });
  registerSessionMethods(registry, {
    lockDir: process.env.LABDECK_LOCK_DIR,
    hostLockDir: systemPaths(systemRoot()).locksDir,
    mpsPipeDirectory: process.env.CUDA_MPS_PIPE_DIRECTORY,
    hamiLibrary: process.env.LABDECK_HAMI_LIBRARY,
  });
  registerSetupMethods(registry, {
    version,
    root: systemRoot(),
    bundleSha256: identity.bundleSha256,
  });
  registerFolderMethods(registry, {
    version,
    root: systemRoot(),
    daemon,
    helperGroup: process.env.LABDECK_HELPER_GROUP || undefined,
  });
  registerDotfileMethods(registry, {
    version,
    root: systemRoot(),
    helperGroup: process.env.LABDECK_HELPER_GROUP || undefined,
  });
  if (daemon !== undefined) registerTerminalMethods(registry, daemon);
}

/** `LABDECK_SYSTEM_ROOT` (tests), else `/`: where the system paths this user's agent reads are. */
function systemRoot(): string {
  const root = process.env[SYSTEM_ROOT_ENV];
  return root && absolutePathSchema.safeParse(root).success ? root : '/';
}

function idleExitMs(): number {
  const value = Number(process.env[IDLE_EXIT_ENV]);
  return Number.isSafeInteger(value) && value > 0 ? value : AGENT_IDLE_EXIT_MS;
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args === undefined) {
    process.stderr.write(USAGE);
    return EXIT_USAGE;
  }
  const bundlePath = realpathSync(process.argv[1] ?? '');
  const identity = await agentIdentity(bundlePath, version);
  const stdio = { input: process.stdin, output: process.stdout };
  if (args.mode === '--privileged') {
    ignoreTerminatingSignals();
    const nodePath = realpathSync(process.execPath);
    await runPrivileged({
      ...{ bundlePath, nodePath, identity, version, ...stdio, log: stderrLog() },
      ...{ env: process.env, euid: process.geteuid?.() ?? -1, realUid: process.getuid?.() ?? -1 },
    });
    return 0;
  }
  if (args.mode === 'setup' && args.request !== undefined) {
    const nodePath = realpathSync(process.execPath);
    const report = await runSetupEntry({
      requestJson: args.request,
      version,
      bundlePath,
      nodePath,
    });
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  }
  if (args.mode === 'stdio') {
    const register = (registry: AgentRegistry) => registerFeatures(registry, identity);
    await runStdio({ identity, ...stdio, log: stderrLog(), register });
    return 0;
  }
  const uid = process.getuid?.() ?? -1;
  const socketPath =
    args.socket ?? (await defaultSocketPath(process.env, uid, identity.bundleSha256));
  if (args.mode === 'serve') {
    return runDaemon({
      socketPath,
      identity,
      idleExitMs: idleExitMs(),
      register: (registry, daemon) => registerFeatures(registry, identity, daemon),
    });
  }
  if (args.mode === 'attach' && args.stream !== undefined) {
    const size = { cols: args.cols, rows: args.rows, from: args.from };
    await runAttach({ socketPath, bundlePath, identity, ...stdio, stream: args.stream, ...size });
    return 0;
  }
  await runConnect({ socketPath, bundlePath, identity, ...stdio });
  return 0;
}

/** Exits once stdout has taken everything written to it (pipes may be asynchronous). */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

/** For a person: message and hint; for LabDeck: the same as one machine-readable line after them. */
function describeFailure(error: unknown): string {
  if (error instanceof AppFailure) {
    const human = `labdeck-agent: ${error.message}${error.hint ? `\n${error.hint}` : ''}\n`;
    return human + formatAgentFailure(error.toAppError());
  }
  return `labdeck-agent: ${error instanceof Error ? error.message : String(error)}\n`;
}

main(process.argv.slice(2)).then(exitAfterFlush, (error: unknown) => {
  process.stderr.write(describeFailure(error), () => exitAfterFlush(EXIT_FAILURE));
});
