import type { Readable, Writable } from 'node:stream';
import type { AgentIdentity } from '../../common/agent/agent-protocol';
import { privilegedHelperContract } from '../../common/agent/privileged-helper-contract';
import { rootOfInstalledAgent, systemPaths } from '../../common/host-setup/system-paths';
import { AgentRegistry } from '../rpc/agent-registry';
import { AgentServer } from '../rpc/agent-server';
import type { AgentLog } from '../runtime/agent-log';
import { AuditedRegistry } from './audited-registry';
import { callerUidFrom } from './caller';
import { loadHelperConfig } from './helper-config';
import { registerPrivilegedMethods } from './privileged-methods';
import { PrivilegedLog } from './privileged-log';
import { refuse } from './privileged-refusal';
import { assertRootOwnedPath } from './trusted-path';

/** What `--privileged` needs. */
export interface PrivilegedOptions {
  /** The bundle's real path: checked to be root's before anything is served. */
  readonly bundlePath: string;
  /** The Node binary running it, checked the same way. */
  readonly nodePath: string;
  readonly identity: AgentIdentity;
  readonly input: Readable;
  readonly output: Writable;
  readonly log: AgentLog;
  /** This build's version: the install directory it must run from is named after it. */
  readonly version: string;
  /** Where `SUDO_UID` is read from (the process's environment). */
  readonly env: NodeJS.ProcessEnv;
  readonly euid: number;
  readonly realUid: number;
}

/**
 * `--privileged`: the helper the agent runs through `sudo -n` for root-only work (/etc/projid,
 * xfs_quota, ACLs across users, lab-wide state, lab and group dotfiles). Serves one client on
 * stdin/stdout with its own method set (never the user agent's), and only when: it runs as root;
 * it runs from a root-owned path nobody else can write; and that path is where host setup
 * installs this version (`ROOT/opt/labdeck/agent/VERSION/labdeck-agent.cjs`), whose ROOT it then
 * serves — taken from where it is, never from the environment. Every call is logged. It returns
 * once stdin has closed and every call started has settled.
 */
export async function runPrivileged(options: PrivilegedOptions): Promise<void> {
  if (options.euid !== 0)
    throw refuse(
      'privileged-not-root',
      `The privileged LabDeck helper must run as root (through sudo -n); it runs as uid ${options.euid}.`,
      'LabDeck runs it for you through the sudo rule of host setup.',
    );
  await assertRootOwnedPath(options.bundlePath);
  await assertRootOwnedPath(options.nodePath);
  const root = rootOfInstalledAgent(options.bundlePath, options.version);
  if (root === undefined)
    throw refuse(
      'privileged-not-installed',
      `The privileged LabDeck helper refuses to run from ${options.bundlePath}: it is not where host setup installs version ${options.version} (ROOT/opt/labdeck/agent/${options.version}/labdeck-agent.cjs).`,
      'Run labdeck host setup HOST: it installs the helper and the sudo rule that names it.',
    );
  const callerUid = callerUidFrom(options.env, options.realUid);
  const paths = systemPaths(root);
  const privilegedLog = await PrivilegedLog.open(paths.privilegedLog);
  const context = {
    paths,
    version: options.version,
    callerUid,
    config: await loadHelperConfig(paths.configFile),
  };
  const registry = new AgentRegistry(privilegedHelperContract);
  registerPrivilegedMethods(registry, context);
  const operations = Object.keys(privilegedHelperContract.methods);
  const audited = new AuditedRegistry(registry, { log: privilegedLog, callerUid }, operations);
  const server = new AgentServer({
    registry: audited,
    identity: options.identity,
    log: options.log,
  });
  const session = server.attach(options.input, options.output);
  await session.closed;
  // A client gone (stdin closed) does not end the calls it started: each finishes, or undoes.
  await audited.settled();
}

/**
 * Signals sudo forwards (SIGINT, SIGTERM, SIGHUP) and SIGPIPE (the client's end gone) are ignored
 * in `--privileged` mode: Node's default handlers would exit mid-call, with no `finally` run — a
 * lock file left behind and an undo never done. The helper ends when its stdin closes and every
 * call it started has settled.
 */
export function ignoreTerminatingSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGPIPE'] as const)
    process.on(signal, () => undefined);
}
