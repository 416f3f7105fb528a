import type { DoctorReport, DoctorStep } from '../../../../common/hosts/doctor-report';
import type { IconName } from '../../components/Icon';
import { splitCodeSpans } from '../../text/code-spans';
import { assertNever } from '../../util/assert-never';
import type { BadgeTone } from './docker-state';

/** How a step's outcome reads: the icon, the word beside it, and its colour. */
export interface DoctorStatusView {
  readonly icon: IconName;
  readonly label: string;
  readonly tone: BadgeTone;
}

/** The fix of a failed step as the panel shows it: what to read, and commands to copy. */
export interface DoctorFixView {
  /** The sentence the commands come from (with backtick spans); null when the fix is a command. */
  readonly lead: string | null;
  /** Each command on its own, to copy. */
  readonly commands: readonly string[];
  /** A remark after the command, e.g. "then log in again"; null when there is none. */
  readonly note: string | null;
}

/** One row of the Doctor panel. */
export interface DoctorStepView {
  readonly step: DoctorStep['step'];
  readonly title: string;
  readonly status: DoctorStep['status'];
  readonly statusView: DoctorStatusView;
  readonly detail: string;
  /** "85 ms", "2.4 s"; null when the step was not timed. */
  readonly time: string | null;
  /** Shown for `warn` and `fail` only: a passed or skipped step needs no fixing. */
  readonly fix: DoctorFixView | null;
}

/** The icon, word and colour of a step's status. */
export function doctorStatusView(status: DoctorStep['status']): DoctorStatusView {
  switch (status) {
    case 'pass':
      return { icon: 'passed', label: 'Passed', tone: 'ok' };
    case 'warn':
      return { icon: 'warning', label: 'Warning', tone: 'warning' };
    case 'fail':
      return { icon: 'failed', label: 'Failed', tone: 'danger' };
    case 'skip':
      return { icon: 'skipped', label: 'Skipped', tone: 'neutral' };
    default:
      return assertNever(status);
  }
}

/** A step's duration: whole milliseconds under a second, tenths of seconds above. */
export function durationText(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Splits a fix into what to copy and what to read. A fix with backtick spans is a sentence: its
 * spans are the commands. One without is a command, maybe followed by a note in parentheses
 * ("sudo usermod -aG docker ana (then log in again)"), which must not be pasted into a shell.
 */
export function doctorFixView(fix: string): DoctorFixView {
  const spans = splitCodeSpans(fix).filter((segment) => segment.code);
  if (spans.length > 0) {
    return { lead: fix, commands: spans.map((segment) => segment.text), note: null };
  }
  const noted = /^(.*\S)\s+\(([^()]+)\)$/.exec(fix.trim());
  if (noted) return { lead: null, commands: [noted[1] ?? ''], note: noted[2] ?? null };
  return { lead: null, commands: [fix.trim()], note: null };
}

/** The panel's row for one step. */
export function doctorStepView(step: DoctorStep): DoctorStepView {
  const needsFix = step.status === 'warn' || step.status === 'fail';
  return {
    step: step.step,
    title: step.title,
    status: step.status,
    statusView: doctorStatusView(step.status),
    detail: step.detail,
    time: step.ms === undefined ? null : durationText(step.ms),
    fix: needsFix && step.fix ? doctorFixView(step.fix) : null,
  };
}

/** One line over the steps, e.g. "1 failed, 2 warnings" or "All 10 steps passed". */
export function doctorSummary(report: DoctorReport): string {
  const count = (status: DoctorStep['status']): number =>
    report.steps.filter((s) => s.status === status).length;
  const parts = [
    [count('fail'), 'failed', 'failed'],
    [count('warn'), 'warning', 'warnings'],
    [count('skip'), 'skipped', 'skipped'],
  ] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
  return said.length === 0 ? `All ${report.steps.length} steps passed` : said.join(', ');
}
