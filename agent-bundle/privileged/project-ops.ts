import { mkdir, readFile, rm } from 'node:fs/promises';
import type { PrivilegedHelperContract } from '../../common/agent/privileged-helper-contract';
import type { Volume } from '../../common/host-setup/lab-config';
import type { FolderRef } from '../../common/host-setup/privileged-ops';
import type { AgentRegistry } from '../rpc/agent-registry';
import { readIfExists, writeFileAtomic } from './atomic-file';
import { withFileLock } from './file-lock';
import {
  confineFolder,
  requireOwner,
  requireUnmanaged,
  type ConfinedFolder,
} from './confined-folder';
import type { HelperContext } from './helper-context';
import { requireConfig } from './helper-config';
import { refuse } from './privileged-refusal';
import {
  nextProjectId,
  projectIdOf,
  projectNameOf,
  withoutProject,
  withProject,
  type ProjectFiles,
} from './project-files';
import { setProjectTree } from './project-tree';

/** The project files as read: text and whether each existed (a rollback removes a new one). */
interface ProjectFilesState extends ProjectFiles {
  readonly existed: { readonly projid: boolean; readonly projects: boolean };
}

/** The lock that serialises every edit of /etc/projid and /etc/projects under the root. */
function lockPath(context: HelperContext): string {
  return `${context.paths.stateDir}/projects.lock`;
}

/** Refuses a volume that cannot have XFS projects, before anything is written. */
function requireXfs(volume: Volume): void {
  if (volume.kind !== 'plain') return;
  throw refuse(
    'volume-without-projects',
    `volume: "${volume.name}" (${volume.path}) is a plain volume: its folders have no XFS project or quota.`,
    'Folders on it work without a size limit; for limits an admin can add an XFS volume mounted with prjquota.',
  );
}

async function readProjectFiles(context: HelperContext): Promise<ProjectFilesState> {
  const read = (path: string): Promise<string> => readFile(path, 'utf8');
  const projid = await readIfExists(context.paths.projid, read);
  const projects = await readIfExists(context.paths.projects, read);
  return {
    projid: projid ?? '',
    projects: projects ?? '',
    existed: { projid: projid !== undefined, projects: projects !== undefined },
  };
}

async function writeProjectFiles(context: HelperContext, files: ProjectFiles): Promise<void> {
  await writeFileAtomic(context.paths.projid, files.projid);
  await writeFileAtomic(context.paths.projects, files.projects);
}

/** Puts both files back as they were read (removing one that did not exist). */
async function restoreProjectFiles(
  context: HelperContext,
  before: ProjectFilesState,
): Promise<void> {
  for (const key of ['projid', 'projects'] as const) {
    if (before.existed[key]) await writeFileAtomic(context.paths[key], before[key]);
    else await rm(context.paths[key], { force: true });
  }
}

/** Looks the folder up for a project operation: configured, XFS, confined, the caller's. */
async function projectFolder(
  context: HelperContext,
  ref: FolderRef,
  what: string,
): Promise<ConfinedFolder> {
  const config = requireConfig(context.config);
  const volume = config.volumes.find((known) => known.name === ref.volume);
  if (volume !== undefined) requireXfs(volume);
  const folder = await confineFolder(config, ref);
  requireUnmanaged(folder);
  requireOwner(folder, context.callerUid, what);
  return folder;
}

/** The project of `folder` recorded under the root, if any (for quota.set). */
export async function recordedProject(
  context: HelperContext,
  folder: ConfinedFolder,
): Promise<number | undefined> {
  return projectIdOf(await readProjectFiles(context), folder.path);
}

/**
 * Whether /etc/projects still gives `path` project `id`: a folder's record keeps the id it was
 * given, and an id freed behind the record's back may be another folder's by now.
 */
export async function projectStillNamed(
  context: HelperContext,
  path: string,
  id: number,
): Promise<boolean> {
  return projectIdOf(await readProjectFiles(context), path) === id;
}

/**
 * Gives `folder` its XFS project: records it in projid and projects (under the lock, each by
 * atomic replace), then applies it with xfs_io; if that fails both files are put back and the
 * tree is set back to project 0. A folder that has one gets the same id again.
 */
export async function assignProject(context: HelperContext, folder: ConfinedFolder) {
  await mkdir(context.paths.stateDir, { recursive: true, mode: 0o755 });
  return withFileLock(lockPath(context), async () => {
    const before = await readProjectFiles(context);
    const known = projectIdOf(before, folder.path);
    if (known !== undefined) {
      const { skipped } = await setProjectTree(folder, known, true);
      const projectName = projectNameOf(before, known) ?? String(known);
      return { projectId: known, projectName, path: folder.path, skipped };
    }
    const projectId = nextProjectId(before);
    const projectName = `labdeck-${folder.volume.name}-${projectId}`;
    await writeProjectFiles(context, withProject(before, projectId, projectName, folder.path));
    try {
      const { skipped } = await setProjectTree(folder, projectId, true);
      return { projectId, projectName, path: folder.path, skipped };
    } catch (error) {
      await restoreProjectFiles(context, before);
      // What the runs before the failed one set goes back to no project, as far as it can.
      await setProjectTree(folder, 0, false).catch(() => undefined);
      throw error;
    }
  });
}

/** Clears `folder`'s project on its tree and removes both entries; null when it had none. */
export async function releaseProject(context: HelperContext, folder: ConfinedFolder) {
  await mkdir(context.paths.stateDir, { recursive: true, mode: 0o755 });
  return withFileLock(lockPath(context), async () => {
    const before = await readProjectFiles(context);
    const known = projectIdOf(before, folder.path);
    if (known === undefined) return { projectId: null };
    await setProjectTree(folder, 0, false);
    await writeProjectFiles(context, withoutProject(before, known));
    return { projectId: known };
  });
}

/**
 * Removes project `id`'s entries from both files (under the lock), leaving the tree as it is:
 * for a folder whose files are gone. Returns whether there were any.
 */
export async function removeProjectEntries(context: HelperContext, id: number): Promise<boolean> {
  await mkdir(context.paths.stateDir, { recursive: true, mode: 0o755 });
  return withFileLock(lockPath(context), async () => {
    const before = await readProjectFiles(context);
    const after = withoutProject(before, id);
    if (after.projid === before.projid && after.projects === before.projects) return false;
    await writeProjectFiles(context, after);
    return true;
  });
}

/**
 * Removes the entries of whichever project /etc/projects gives `path` (under the lock): for a
 * purged folder's old directory once its files are gone. Returns the id, or null for none.
 */
export async function removeProjectOfPath(
  context: HelperContext,
  path: string,
): Promise<number | null> {
  await mkdir(context.paths.stateDir, { recursive: true, mode: 0o755 });
  return withFileLock(lockPath(context), async () => {
    const before = await readProjectFiles(context);
    const known = projectIdOf(before, path);
    if (known === undefined) return null;
    await writeProjectFiles(context, withoutProject(before, known));
    return known;
  });
}

/** `privileged.project.assign` for the folder `ref` names. */
async function assign(context: HelperContext, ref: FolderRef) {
  return assignProject(context, await projectFolder(context, ref, 'give it an XFS project'));
}

/** `privileged.project.release`: clears the folder's project and removes both entries. */
async function release(context: HelperContext, ref: FolderRef) {
  return releaseProject(context, await projectFolder(context, ref, 'release its XFS project'));
}

/** Registers `privileged.project.*`. */
export function registerProjectMethods(
  registry: AgentRegistry<PrivilegedHelperContract>,
  context: HelperContext,
): void {
  registry.handle('privileged.project.assign', (params) => assign(context, params));
  registry.handle('privileged.project.release', (params) => release(context, params));
}
