import type { AgentRegistry } from '../rpc/agent-registry';
import { setupStatus, type SetupStatusOptions } from './setup-status';

/** Registers `setup.status`, the Doctor's and the window's view of host setup. */
export function registerSetupMethods(registry: AgentRegistry, options: SetupStatusOptions): void {
  registry.handle('setup.status', () => setupStatus(options));
}
