import type { PrivilegedHelperContract } from '../../common/agent/privileged-helper-contract';
import type { AgentRegistry } from '../rpc/agent-registry';

/** Registers every privileged method; one line per feature as they land. */
export function registerPrivilegedMethods(registry: AgentRegistry<PrivilegedHelperContract>): void {
  registry.handle('privileged.ping', () => ({
    pid: process.pid,
    euid: process.geteuid?.() ?? -1,
  }));
}
