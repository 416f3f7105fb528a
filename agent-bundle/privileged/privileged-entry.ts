import type { Readable, Writable } from 'node:stream';
import type { AgentIdentity } from '../../common/agent/agent-protocol';
import { AgentRegistry } from '../rpc/agent-registry';
import { AgentServer } from '../rpc/agent-server';
import type { AgentLog } from '../runtime/agent-log';
import { privilegedHelperContract } from '../../common/agent/privileged-helper-contract';
import { registerPrivilegedMethods } from './privileged-methods';
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
}

/**
 * `--privileged`: the helper the agent runs through `sudo -n` for root-only work (/etc/projid,
 * xfs_quota, ACLs across users). Serves one client on stdin/stdout with its own method set
 * (never the user agent's), and only when run from a root-owned path nobody else can write.
 */
export async function runPrivileged(options: PrivilegedOptions): Promise<void> {
  await assertRootOwnedPath(options.bundlePath);
  await assertRootOwnedPath(options.nodePath);
  const registry = new AgentRegistry(privilegedHelperContract);
  registerPrivilegedMethods(registry);
  const server = new AgentServer({ registry, identity: options.identity, log: options.log });
  const session = server.attach(options.input, options.output);
  await session.closed;
}
