import { homedir } from 'node:os';
import type { MethodParams, UserAgentContract } from '../../common/agent/agent-contract';
import { AppFailure } from '../../common/contract/result';
import { validateDotfile } from '../../common/dotfiles';
import {
  dotfileDocument,
  dotfileInputError,
  dotfileNotFound,
  dotfileSummary,
} from '../../common/dotfiles/dotfile-changes';
import { mergeDotfiles } from '../../common/dotfiles/dotfile-merge';
import type {
  DotfilePreview,
  DotfileScopeRef,
  DotfileStore,
  DotfileSummary,
} from '../../common/dotfiles/dotfile-store';
import { systemPaths } from '../../common/host-setup/system-paths';
import type { AgentRegistry } from '../rpc/agent-registry';
import {
  dotfileContext,
  loadDotfileCaller,
  requireConfigured,
  storeLabel,
  systemPathsOf,
  type DotfileCaller,
} from './dotfile-context';
import { writeThroughHelper, type DotfileHelperOptions } from './dotfile-helper-call';
import { applicableFiles, readGroupStore, readLabStore, readLevel } from './dotfile-levels';
import { changeUserStore, readUserStore } from './user-dotfile-store';

type Params<M extends keyof UserAgentContract['methods']> = MethodParams<UserAgentContract, M>;

/** What the dotfile methods need from the agent's environment (read in main.ts). */
export interface DotfileMethodsOptions {
  /** This agent's version: the privileged helper of the same version writes group and lab files. */
  readonly version: string;
  /** `LABDECK_SYSTEM_ROOT`, `/` when unset. */
  readonly root: string;
  /** The group the sudo rule names; `labdeck` by default. */
  readonly helperGroup?: string;
  /** The sudo binary; `/usr/bin/sudo` by default. */
  readonly sudo?: string;
  /** The user's home, where their own store is; the process's home by default. */
  readonly home?: string;
}

/** The level a request names; `invalid-input` for a group scope without a group, or the reverse. */
function scopeRef(params: { scope: DotfileScopeRef['scope']; group?: string }): DotfileScopeRef {
  if (params.scope === 'group') {
    if (params.group !== undefined) return { scope: 'group', group: params.group };
    throw new AppFailure({
      code: 'invalid-input',
      message: 'group: is required for scope group',
      hint: 'Name the group: --scope group:NAME',
    });
  }
  if (params.group !== undefined)
    throw new AppFailure({
      code: 'invalid-input',
      message: `group: is only for scope group (the scope is ${params.scope})`,
      hint: 'Leave the group out, or use scope group.',
    });
  return { scope: params.scope };
}

/**
 * The files of one level, or of every level that applies (own, each group the user is in, the
 * lab's). In the whole list a group whose store cannot be read is left out rather than failing
 * the other levels; asked for on its own, it says why.
 */
async function listDotfiles(
  caller: DotfileCaller,
  helper: DotfileHelperOptions,
  params: Params<'dotfiles.list'>,
): Promise<{ files: DotfileSummary[] }> {
  const scope = params.scope;
  const whole = scope === undefined;
  const refs: DotfileScopeRef[] = whole
    ? [
        { scope: 'user' },
        ...caller.groups.map((group): DotfileScopeRef => ({ scope: 'group', group })),
        { scope: 'domain' },
      ]
    : [scopeRef({ ...params, scope })];
  const files: DotfileSummary[] = [];
  for (const ref of refs) {
    let store: DotfileStore;
    try {
      store = await readLevel(caller, helper, ref);
    } catch (error) {
      if (whole && ref.scope === 'group' && error instanceof AppFailure) continue;
      throw error;
    }
    for (const path of Object.keys(store.files).sort())
      files.push(dotfileSummary(ref, path, store.files[path]!));
  }
  return { files };
}

async function readDotfile(
  caller: DotfileCaller,
  helper: DotfileHelperOptions,
  params: Params<'dotfiles.read'>,
) {
  const ref = scopeRef(params);
  const store = await readLevel(caller, helper, ref);
  const entry = Object.hasOwn(store.files, params.path) ? store.files[params.path] : undefined;
  if (entry === undefined) throw new AppFailure(dotfileNotFound(params.path, storeLabel(ref)));
  return dotfileDocument(ref, params.path, entry);
}

/** Refuses what `validateDotfile` refuses, every field at once. */
function requireValid(
  caller: DotfileCaller,
  ref: DotfileScopeRef,
  path: string,
  content: string,
  mode?: string,
): void {
  const check = validateDotfile(
    { scope: ref.scope, path, content, ...(mode === undefined ? {} : { mode }) },
    { systemPaths: systemPathsOf(caller) },
  );
  if (!check.ok) throw new AppFailure(dotfileInputError(check.errors));
}

/**
 * Sets (content string) or removes (null) one file: the user's own here, under the store's lock;
 * a group's or the lab's through the privileged helper, which checks the caller is an admin.
 */
async function changeDotfile(
  caller: DotfileCaller,
  helper: DotfileHelperOptions,
  ref: DotfileScopeRef,
  change: { path: string; content: string | null; mode?: string; baseRevision?: number | null },
): Promise<DotfileSummary> {
  if (ref.scope === 'user') {
    const entry = await changeUserStore(caller.home, change, {
      now: new Date(),
      by: caller.user,
      label: storeLabel(ref),
    });
    return dotfileSummary(ref, change.path, entry);
  }
  requireConfigured(caller);
  return writeThroughHelper(helper, caller, {
    ...change,
    scope: ref.scope,
    ...(ref.scope === 'group' ? { group: ref.group } : {}),
  });
}

async function setDotfile(
  caller: DotfileCaller,
  helper: DotfileHelperOptions,
  params: Params<'dotfiles.set'>,
): Promise<DotfileSummary> {
  const ref = scopeRef(params);
  requireValid(caller, ref, params.path, params.content, params.mode);
  return changeDotfile(caller, helper, ref, {
    path: params.path,
    content: params.content,
    ...(params.mode === undefined ? {} : { mode: params.mode }),
    ...(params.baseRevision === undefined ? {} : { baseRevision: params.baseRevision }),
  });
}

/**
 * Removes one file. Its path is checked as for a save, except that a file the store already
 * keeps may go even when today's rules would refuse its path (so it can be cleaned up).
 */
async function removeDotfile(
  caller: DotfileCaller,
  helper: DotfileHelperOptions,
  params: Params<'dotfiles.remove'>,
): Promise<DotfileSummary> {
  const ref = scopeRef(params);
  if (ref.scope === 'user' && !Object.hasOwn((await readUserStore(caller.home)).files, params.path))
    requireValid(caller, ref, params.path, '');
  return changeDotfile(caller, helper, ref, {
    path: params.path,
    content: null,
    ...(params.baseRevision === undefined ? {} : { baseRevision: params.baseRevision }),
  });
}

/** The merged set a session with `group` (default: the primary group) gets. */
async function previewDotfiles(
  caller: DotfileCaller,
  helper: DotfileHelperOptions,
  params: Params<'dotfiles.preview'>,
): Promise<DotfilePreview> {
  const group = params.group ?? caller.primaryGroup;
  const [user, groupStore, domain] = await Promise.all([
    readUserStore(caller.home),
    readGroupStore(caller, helper, group, 'session'),
    readLabStore(caller),
  ]);
  const files = mergeDotfiles(
    {
      user: applicableFiles(caller, 'user', user),
      group: { name: group, store: applicableFiles(caller, 'group', groupStore) },
      domain: applicableFiles(caller, 'domain', domain),
    },
    { content: params.content },
  );
  return { group, files };
}

/**
 * Registers the `dotfiles.*` methods (issue 13). Each call reads who asks (their groups, from
 * the user database) and the configuration afresh; the user's own level lives in
 * `~/.labdeck/dotfiles.json`, group and lab levels are read from the helper's stores and written
 * through it.
 */
export function registerDotfileMethods(
  registry: AgentRegistry,
  options: DotfileMethodsOptions,
): void {
  const paths = systemPaths(options.root);
  const home = options.home ?? homedir();
  const helper: DotfileHelperOptions = {
    version: options.version,
    ...(options.sudo === undefined ? {} : { sudo: options.sudo }),
    ...(options.helperGroup === undefined ? {} : { group: options.helperGroup }),
  };
  const caller = () => loadDotfileCaller(paths, home);

  registry.handle('dotfiles.context', async () => dotfileContext(await caller()));
  registry.handle('dotfiles.list', async (params) => listDotfiles(await caller(), helper, params));
  registry.handle('dotfiles.read', async (params) => readDotfile(await caller(), helper, params));
  registry.handle('dotfiles.set', async (params) => setDotfile(await caller(), helper, params));
  registry.handle('dotfiles.remove', async (params) =>
    removeDotfile(await caller(), helper, params),
  );
  registry.handle('dotfiles.preview', async (params) =>
    previewDotfiles(await caller(), helper, params),
  );
}
