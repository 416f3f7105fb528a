import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { version } from '../package.json';
import { formatAgentFailure } from '../common/agent/agent-failure';
import { AppFailure } from '../common/contract/result';
import { registerGpuMethods } from './gpu/gpu-methods';
import type { AgentRegistry } from './rpc/agent-registry';
import { stderrLog } from './runtime/agent-log';
import { agentIdentity } from './runtime/agent-identity';
import { runConnect } from './runtime/connect';
import { AGENT_IDLE_EXIT_MS, IDLE_EXIT_ENV, runDaemon } from './runtime/daemon';
import { defaultSocketPath } from './runtime/socket-dir';
import { runStdio } from './runtime/stdio';

/**
 * The LabDeck host agent: one file, built from here, run with plain `node` (≥ 18) as the user.
 *
 *   labdeck-agent serve   [--socket PATH]   the per-user daemon
 *   labdeck-agent connect [--socket PATH]   proxy stdio to the daemon, starting it if needed
 *   labdeck-agent stdio                     serve one client on stdin/stdout, no daemon
 */

const USAGE = 'usage: labdeck-agent (serve | connect | stdio) [--socket PATH]\n';
const EXIT_USAGE = 2;
const EXIT_FAILURE = 1;

interface Args {
  readonly mode: string | undefined;
  readonly socket: string | undefined;
}

function parseArgs(argv: readonly string[]): Args | undefined {
  const [mode, ...rest] = argv;
  if (rest.length === 0) return { mode, socket: undefined };
  // Absolute, because the daemon runs in / and must find the same path as `connect`.
  if (rest.length === 2 && rest[0] === '--socket' && rest[1]) {
    return { mode, socket: resolve(rest[1]) };
  }
  return undefined;
}

/** Registers every feature's methods; one line per feature. */
function registerFeatures(registry: AgentRegistry): void {
  registerGpuMethods(registry, { nvidiaSmi: process.env.LABDECK_NVIDIA_SMI || 'nvidia-smi' });
}

function idleExitMs(): number {
  const value = Number(process.env[IDLE_EXIT_ENV]);
  return Number.isSafeInteger(value) && value > 0 ? value : AGENT_IDLE_EXIT_MS;
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args === undefined || !['serve', 'connect', 'stdio'].includes(args.mode ?? '')) {
    process.stderr.write(USAGE);
    return EXIT_USAGE;
  }
  const bundlePath = realpathSync(process.argv[1] ?? '');
  const identity = await agentIdentity(bundlePath, version);
  if (args.mode === 'stdio') {
    await runStdio({
      identity,
      input: process.stdin,
      output: process.stdout,
      log: stderrLog(),
      register: registerFeatures,
    });
    return 0;
  }
  const uid = process.getuid?.() ?? -1;
  const socketPath = args.socket ?? (await defaultSocketPath(process.env, uid));
  if (args.mode === 'serve') {
    return runDaemon({
      socketPath,
      identity,
      idleExitMs: idleExitMs(),
      register: registerFeatures,
    });
  }
  await runConnect({
    socketPath,
    bundlePath,
    identity,
    input: process.stdin,
    output: process.stdout,
  });
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
