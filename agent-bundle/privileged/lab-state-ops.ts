import { chmod, mkdir, rm } from 'node:fs/promises';
import type { PrivilegedHelperContract } from '../../common/agent/privileged-helper-contract';
import type { AgentRegistry } from '../rpc/agent-registry';
import { writeFileAtomic } from './atomic-file';
import type { HelperContext } from './helper-context';

/** State directories: root's, readable by every user (the state is the lab's, not secret). */
const STATE_DIR_MODE = 0o755;

/** `/var/lib/labdeck/state/UID`: the caller's entries, which only the helper writes. */
function callerDir(context: HelperContext): string {
  return `${context.paths.stateDir}/state/${context.callerUid}`;
}

/**
 * `privileged.state.write`: the caller's entry `name` becomes `value` (JSON), in
 * `state/UID/NAME.json` — root's, 0644 — by atomic replace. Namespaced by the caller's uid, so
 * no user can write another's entry; world-readable, so anyone's agent reads it without sudo.
 */
async function write(context: HelperContext, params: { name: string; value: unknown }) {
  const dir = callerDir(context);
  await mkdir(dir, { recursive: true, mode: STATE_DIR_MODE });
  await chmod(`${context.paths.stateDir}/state`, STATE_DIR_MODE);
  await chmod(dir, STATE_DIR_MODE);
  const path = `${dir}/${params.name}.json`;
  const text = `${JSON.stringify(params.value)}\n`;
  await writeFileAtomic(path, text);
  return { path, bytes: Buffer.byteLength(text) };
}

/** `privileged.state.remove`: removes the caller's entry `name`; false when there was none. */
async function remove(context: HelperContext, params: { name: string }) {
  const path = `${callerDir(context)}/${params.name}.json`;
  try {
    await rm(path);
    return { removed: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { removed: false };
    throw error;
  }
}

/** Registers `privileged.state.*`. */
export function registerLabStateMethods(
  registry: AgentRegistry<PrivilegedHelperContract>,
  context: HelperContext,
): void {
  registry.handle('privileged.state.write', (params) => write(context, params));
  registry.handle('privileged.state.remove', (params) => remove(context, params));
}
