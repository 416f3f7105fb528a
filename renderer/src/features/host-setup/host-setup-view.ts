import type {
  HostSetupReport,
  SetupChange,
  SetupCheck,
} from '../../../../common/host-setup/setup-report';
import type { VolumeKind } from '../../../../common/host-setup/lab-config';
import { isSetUp, type SetupStatus } from '../../../../common/host-setup/setup-status';
import type { IconName } from '../../components/Icon';
import { assertNever } from '../../util/assert-never';
import type { BadgeTone } from '../hosts/docker-state';
import { doctorFixView, doctorStatusView, type DoctorFixView } from '../hosts/doctor-view';
import type { SetupStatusEntry } from './host-setup-store';

/**
 * What a host card says about host setup: nothing (not connected, not known yet, or the user
 * cannot sudo there), a quiet "Set up ✓", or a call to action that says why setup is needed.
 */
export type SetupOffer =
  | { readonly kind: 'none' }
  | { readonly kind: 'done'; readonly detail: string }
  | {
      readonly kind: 'needed';
      readonly title: string;
      readonly reason: string;
      /** How setup will get root: null when no password is needed. */
      readonly note: string | null;
    };

/** Why any of it matters, in the words a researcher uses. */
const WHAT_SETUP_GIVES = 'folders with quotas, shared dotfiles and the lab-wide GPU allocation';

/** The card's offer for a host whose status is `entry` (undefined: not asked, not connected). */
export function setupOffer(entry: SetupStatusEntry | undefined): SetupOffer {
  if (entry?.phase !== 'loaded') return { kind: 'none' };
  const { status } = entry;
  if (status.sudo === 'none') return { kind: 'none' };
  if (isSetUp(status)) return { kind: 'done', detail: setUpDetail(status) };
  return { kind: 'needed', ...whySetupIsNeeded(status), note: sudoNote(status.sudo) };
}

/** "LabDeck 1.4.0 · lab vision · 2 volumes". */
function setUpDetail(status: SetupStatus): string {
  const parts = [`LabDeck ${status.version}`];
  if (status.config.lab) parts.push(`lab ${status.config.lab}`);
  const count = status.volumes.length;
  parts.push(count === 1 ? '1 volume' : `${count} volumes`);
  return parts.join(' · ');
}

/** The call to action's title and reason for a host that is not set up for this version. */
function whySetupIsNeeded(status: SetupStatus): { title: string; reason: string } {
  const { helper, config } = status;
  switch (helper.state) {
    case 'missing':
      return {
        title: 'Not set up for LabDeck',
        reason: `${capitalized(WHAT_SETUP_GIVES)} need host setup: once per host, as root, for every user of it.`,
      };
    case 'other-version':
      // Another build of this very version (a development build) reads as one, not as "1.4.0".
      return helper.installedVersions.includes(status.version)
        ? {
            title: `Set up for another build of LabDeck ${status.version}`,
            reason: `Set the host up again from this app so ${WHAT_SETUP_GIVES} keep working.`,
          }
        : {
            title: `Set up for LabDeck ${helper.installedVersions.join(', ')}`,
            reason: `This app is LabDeck ${status.version}: set the host up again so ${WHAT_SETUP_GIVES} keep working.`,
          };
    case 'invalid':
      return {
        title: "LabDeck's helper here is damaged",
        reason: `${sentence(helper.detail)} Setting the host up again replaces it; ${WHAT_SETUP_GIVES} need it.`,
      };
    case 'installed':
      return {
        title:
          config.state === 'invalid'
            ? "The lab's configuration is not valid"
            : "The lab's configuration is missing",
        reason: `${sentence(config.detail)} Setup writes it (keeping a backup of the old one); ${WHAT_SETUP_GIVES} need it.`,
      };
    default:
      return assertNever(helper.state);
  }
}

/** How setup gets root on the host, when the user should know beforehand; null otherwise. */
export function sudoNote(sudo: SetupStatus['sudo']): string | null {
  switch (sudo) {
    case 'password':
      return 'Setup runs as root: LabDeck asks for your sudo password and does not keep it.';
    case 'root':
    case 'nopasswd':
    case 'none':
      return null;
    default:
      return assertNever(sudo);
  }
}

/** `text` ending with one full stop, however it ended. */
function sentence(text: string): string {
  return `${text.replace(/[.\s]+$/, '')}.`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** How one change of a report reads: the word beside it and its colour. */
export interface ChangeStatusView {
  readonly label: string;
  readonly tone: BadgeTone;
}

/** The word and colour of a change's status (the CLI's column, in words). */
export function changeStatusView(status: SetupChange['status']): ChangeStatusView {
  switch (status) {
    case 'done':
      return { label: 'Done', tone: 'ok' };
    case 'unchanged':
      return { label: 'Unchanged', tone: 'neutral' };
    case 'planned':
      return { label: 'Would do', tone: 'warning' };
    case 'restored':
      return { label: 'Restored', tone: 'ok' };
    case 'removed':
      return { label: 'Removed', tone: 'ok' };
    case 'kept':
      return { label: 'Kept', tone: 'neutral' };
    default:
      return assertNever(status);
  }
}

/** One check of a report as the dialog shows it. */
export interface SetupCheckView {
  readonly check: SetupCheck['check'];
  readonly title: string;
  readonly status: SetupCheck['status'];
  readonly icon: IconName;
  readonly label: string;
  readonly tone: BadgeTone;
  readonly detail: string;
  /** Shown for `warn` and `fail` only; each command copyable on its own. */
  readonly fix: DoctorFixView | null;
}

/** A check's row: the Doctor's icons and words, and its fix split into commands to copy. */
export function setupCheckView(check: SetupCheck): SetupCheckView {
  const { icon, label, tone } = doctorStatusView(check.status);
  return {
    check: check.check,
    title: check.title,
    status: check.status,
    icon,
    label,
    tone,
    detail: check.detail,
    fix: check.status !== 'pass' && check.fix ? doctorFixView(check.fix) : null,
  };
}

/**
 * The report's one-sentence verdict, as `labdeck host setup` ends (main/cli/commands/
 * host-setup.ts), in the window's words: "Preview" for a dry run, no command-line flags.
 */
export function setupVerdict(report: HostSetupReport, hostName: string): string {
  const count = (status: SetupChange['status']): number =>
    report.changes.filter((change) => change.status === status).length;
  switch (report.mode) {
    case 'dry-run': {
      const planned = count('planned');
      return planned === 0
        ? `Nothing to change: ${hostName} is already set up for LabDeck ${report.version}.`
        : `Preview: setup would make ${changes(planned)}; nothing was changed yet.`;
    }
    case 'undo':
      return report.changed
        ? `Undone: ${count('removed')} removed, ${count('restored')} restored, ${count('kept')} kept.`
        : 'Nothing to undo: setup had not changed anything on this host.';
    case 'setup':
      return report.changed
        ? `${hostName} is set up for LabDeck ${report.version}: ${changes(count('done'))} made.`
        : `Nothing changed: ${hostName} is already set up for LabDeck ${report.version}.`;
    default:
      return assertNever(report.mode);
  }
}

function changes(n: number): string {
  return n === 1 ? '1 change' : `${n} changes`;
}

/** The checks in one line and its colour: "1 failed, 2 warnings", or "All 4 checks passed". */
export function checksSummary(report: HostSetupReport): { text: string; tone: BadgeTone } {
  const count = (status: SetupCheck['status']): number =>
    report.checks.filter((check) => check.status === status).length;
  const failed = count('fail');
  const warned = count('warn');
  if (failed === 0 && warned === 0)
    return { text: `All ${report.checks.length} checks passed.`, tone: 'ok' };
  const said = [
    failed > 0 ? `${failed} failed` : null,
    warned > 0 ? (warned === 1 ? '1 warning' : `${warned} warnings`) : null,
  ].filter((part) => part !== null);
  return {
    text: `Checks: ${said.join(', ')} — each with the command that fixes it.`,
    tone: failed > 0 ? 'danger' : 'warning',
  };
}

/**
 * The changes to list openly and those that were already so (`unchanged`), which a second run
 * is made of: folded away, so what was done (or would be, or was kept) stands out.
 */
export function splitChanges(report: HostSetupReport): {
  shown: readonly SetupChange[];
  unchanged: readonly SetupChange[];
} {
  return {
    shown: report.changes.filter((change) => change.status !== 'unchanged'),
    unchanged: report.changes.filter((change) => change.status === 'unchanged'),
  };
}

/** The dialog's spinner line while a run of `mode` is under way. */
export function runningText(mode: HostSetupReport['mode'], hostName: string): string {
  switch (mode) {
    case 'dry-run':
      return `Working out what setup would change on ${hostName}…`;
    case 'setup':
      return `Setting up ${hostName} as root… copying the agent can take a minute.`;
    case 'undo':
      return `Taking setup back on ${hostName}…`;
    default:
      return assertNever(mode);
  }
}

/** True when the host holds something setup installed, so "Undo setup…" has something to do. */
export function canUndo(status: SetupStatus | null): boolean {
  if (status === null) return false;
  return status.helper.state !== 'missing' || status.config.state !== 'missing';
}

/** A volume's kind in words: what it means for folders. */
export function volumeKindText(kind: VolumeKind): string {
  switch (kind) {
    case 'xfs-prjquota':
      return 'XFS with project quota: folders get quotas';
    case 'xfs':
      return 'XFS without project quota: quotas not enforced';
    case 'plain':
      return 'plain directory: quotas not enforced';
    default:
      return assertNever(kind);
  }
}

/** A declared volume's state in words (shown when it is not `ok`). */
export function volumeStateText(state: SetupStatus['volumes'][number]['state']): string {
  switch (state) {
    case 'ok':
      return 'mounted as declared';
    case 'missing':
      return 'missing';
    case 'degraded':
      return 'mounted without project quota';
    default:
      return assertNever(state);
  }
}
