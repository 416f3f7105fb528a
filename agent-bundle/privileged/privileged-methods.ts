import type { PrivilegedHelperContract } from '../../common/agent/privileged-helper-contract';
import type { AgentRegistry } from '../rpc/agent-registry';
import { registerAclMethods } from './acl-ops';
import { registerDotfileMethods } from './dotfile-ops';
import { registerFolderMethods } from './folder-ops';
import { registerFolderQuotaReport } from './folder-quota-report';
import type { HelperContext } from './helper-context';
import { registerInvitationMethods } from './invitation-ops';
import { registerLabStateMethods } from './lab-state-ops';
import { registerProjectMethods } from './project-ops';
import { registerQuotaMethods } from './quota-ops';

/** Registers every privileged method; one line per feature. */
export function registerPrivilegedMethods(
  registry: AgentRegistry<PrivilegedHelperContract>,
  context: HelperContext,
): void {
  registry.handle('privileged.ping', () => ({
    pid: process.pid,
    euid: process.geteuid?.() ?? -1,
    callerUid: context.callerUid,
    version: context.version,
    root: context.paths.root,
  }));
  registerProjectMethods(registry, context);
  registerQuotaMethods(registry, context);
  registerAclMethods(registry, context);
  registerLabStateMethods(registry, context);
  registerDotfileMethods(registry, context);
  registerFolderMethods(registry, context);
  registerInvitationMethods(registry, context);
  registerFolderQuotaReport(registry, context);
}
