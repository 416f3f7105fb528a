import { AppFailure } from '../../common/contract/result';
import { systemPaths } from '../../common/host-setup/system-paths';
import type { AgentRegistry } from '../rpc/agent-registry';
import type { DaemonControl } from '../runtime/daemon';
import { createFolder, moveFolder, purgeFolder, updateFolder } from './folder-changes';
import { CloneRunner, isFinal } from './folder-clone';
import { startClone } from './folder-cloning';
import type { FolderDeps } from './folder-deps';
import { listFolders } from './folder-listing';
import { QuotaReportCache } from './folder-quota-reports';
import { resolveMounts } from './folder-mounts';
import { loadFolderContext } from './folder-reader';
import {
  cancelInvitation,
  inviteToFolder,
  leaveFolder,
  respondToInvitation,
} from './folder-sharing';
import { UsageCache } from './folder-usage';

/** What the folder methods need from the agent's environment (read in main.ts). */
export interface FolderMethodsOptions {
  /** This agent's version: the privileged helper of the same version makes every change. */
  readonly version: string;
  /** `LABDECK_SYSTEM_ROOT`, `/` when unset. */
  readonly root: string;
  /** The daemon, when there is one: a running clone keeps it up. */
  readonly daemon?: DaemonControl;
  /** The group the sudo rule names; `labdeck` by default. */
  readonly helperGroup?: string;
  /** The sudo binary; `/usr/bin/sudo` by default. */
  readonly sudo?: string;
}

/**
 * Registers the `folders.*` methods and the `folders.clone-progress` topic (issue 12). Each call
 * reads `folders.json` and the configuration afresh (the helper may have changed them for
 * another user a moment ago), names folders as this user sees them, and asks the privileged
 * helper for every change; usage walks and clones run here, as the user.
 */
export function registerFolderMethods(
  registry: AgentRegistry,
  options: FolderMethodsOptions,
): void {
  const paths = systemPaths(options.root);
  const { daemon } = options;
  const clones = new CloneRunner(
    daemon === undefined ? {} : { holdAlive: (reason) => daemon.holdAlive(reason) },
  );
  // A clone cut off by the daemon's stop would stay half-made: it is undone first.
  daemon?.onShutdown(() => clones.cancelAll());
  const deps: FolderDeps = {
    helper: {
      paths,
      version: options.version,
      ...(options.sudo === undefined ? {} : { sudo: options.sudo }),
      ...(options.helperGroup === undefined ? {} : { group: options.helperGroup }),
    },
    usage: new UsageCache(),
    reports: new QuotaReportCache(),
    clones,
  };
  const context = () => loadFolderContext(paths);

  registry.handle('folders.list', async () => listFolders(deps, await context()));
  registry.handle('folders.create', async (params) => createFolder(deps, await context(), params));
  registry.handle('folders.update', async (params) => updateFolder(deps, await context(), params));
  registry.handle('folders.trash', async ({ name }) =>
    moveFolder(deps, await context(), name, 'trash'),
  );
  registry.handle('folders.restore', async ({ name }) =>
    moveFolder(deps, await context(), name, 'restore'),
  );
  registry.handle('folders.purge', async ({ name }) => purgeFolder(deps, await context(), name));
  registry.handle('folders.invite', async (params) =>
    inviteToFolder(deps, await context(), params),
  );
  registry.handle('folders.respond', async (params) =>
    respondToInvitation(deps, await context(), params),
  );
  registry.handle('folders.cancel', async ({ invitation }) =>
    cancelInvitation(deps, await context(), invitation),
  );
  registry.handle('folders.leave', async ({ name }) => leaveFolder(deps, await context(), name));
  registry.handle('folders.clone', async (params) => startClone(deps, await context(), params));
  registry.handle('folders.clone-cancel', async ({ name }) => ({
    canceled: await clones.cancel(name),
  }));
  registry.handle('folders.mounts', async ({ mounts }) => {
    const { store, viewer, volumes } = await context();
    return { mounts: resolveMounts(store, viewer, volumes, mounts, (id) => clones.runs(id)) };
  });

  registry.publish('folders.clone-progress', ({ name }, sink) => {
    const stop = clones.watch(name, (progress) => {
      sink.emit(progress);
      if (isFinal(progress)) sink.end();
    });
    if (stop === undefined)
      throw new AppFailure({
        code: 'clone-not-found',
        message: `No clone into "${name}" is running on this host.`,
        hint: 'labdeck folder ls HOST shows whether it finished.',
      });
    return stop;
  });
}
