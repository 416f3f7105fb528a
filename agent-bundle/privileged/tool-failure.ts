import { AppFailure } from '../../common/contract/result';
import type { ToolRun } from './system-tools';

/** True when a tool run went wrong: a non-zero exit, or (xfs_io exits 0 after some) a complaint. */
export function toolFailed(run: ToolRun): boolean {
  return run.code !== 0 || run.stderr.trim() !== '';
}

/** `tool`'s failure, quoting what it said; `what` is the step, for a person. */
export function toolFailure(code: string, what: string, tool: string, run: ToolRun): AppFailure {
  const said = run.stderr.trim() || run.stdout.trim() || `exit status ${run.code}`;
  return new AppFailure({
    code,
    message: `Could not ${what}: ${tool} said "${said.slice(0, 500)}".`,
    hint: 'Nothing was changed. An admin can read /var/log/labdeck/privileged.log on the host.',
  });
}
