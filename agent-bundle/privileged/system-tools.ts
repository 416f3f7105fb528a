import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';

/** The programs the helper runs, each looked up only in the system's own directories. */
export type SystemTool = 'xfs_io' | 'xfs_quota' | 'setfacl' | 'getent' | 'setpriv' | 'id' | 'rm';

/**
 * Where each tool may live (Debian, Ubuntu, Fedora, older layouts). Fixed directories, never
 * PATH: the helper runs as root for a caller who must not choose which program that is.
 */
const TOOL_DIRS = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'] as const;
/** A tool that takes longer than this is stuck (a hung mount); its call fails, the helper lives. */
const TOOL_TIMEOUT_MS = 60_000;
/** Output kept from one run: enough for any error message. */
const TOOL_MAX_OUTPUT_BYTES = 1024 * 1024;

/** How one run ended. `code` is -1 when the tool could not start or was killed. */
export interface ToolRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const found = new Map<SystemTool, string | undefined>();

/** The tool's absolute path, or undefined when it is in none of {@link TOOL_DIRS}. */
export async function findTool(tool: SystemTool): Promise<string | undefined> {
  if (!found.has(tool)) {
    let path: string | undefined;
    for (const dir of TOOL_DIRS) {
      const candidate = `${dir}/${tool}`;
      if (
        await access(candidate, constants.X_OK).then(
          () => true,
          () => false,
        )
      ) {
        path = candidate;
        break;
      }
    }
    found.set(tool, path);
  }
  return found.get(tool);
}

/**
 * Runs `tool` with `args` as an argv array (no shell, so no argument is ever interpreted) and an
 * empty environment but a fixed PATH and C locale, so messages are the English ones the helper
 * recognises. Never throws: a missing tool or a non-zero exit is in the result.
 */
export async function runTool(tool: SystemTool, args: readonly string[]): Promise<ToolRun> {
  const path = await findTool(tool);
  if (path === undefined)
    return {
      code: -1,
      stdout: '',
      stderr: `${tool} is not installed (looked in ${TOOL_DIRS.join(', ')})`,
    };
  return new Promise((resolve) => {
    execFile(
      path,
      args,
      {
        env: { PATH: TOOL_DIRS.join(':'), LC_ALL: 'C' },
        timeout: TOOL_TIMEOUT_MS,
        maxBuffer: TOOL_MAX_OUTPUT_BYTES,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr: stderr || (error?.message ?? '') });
      },
    );
  });
}
