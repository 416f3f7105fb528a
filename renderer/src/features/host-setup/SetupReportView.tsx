import type { JSX } from 'react';
import type { HostSetupReport, SetupChange } from '../../../../common/host-setup/setup-report';
import { CodeText } from '../../components/CodeText';
import { SetupCheckItem } from './SetupCheckItem';
import {
  changeStatusView,
  checksSummary,
  setupCheckView,
  setupVerdict,
  splitChanges,
} from './host-setup-view';

/** Props of {@link SetupReportView}. */
export interface SetupReportViewProps {
  readonly report: HostSetupReport;
  readonly hostName: string;
}

/**
 * What one run of host setup answered: its verdict ("Nothing changed: … already set up"), every
 * change in the order setup made it with its status in words (what was already so folded away),
 * and every check with the command that fixes it, each copyable — setup installs nothing from
 * the internet on its own.
 */
export function SetupReportView({ report, hostName }: SetupReportViewProps): JSX.Element {
  const { shown, unchanged } = splitChanges(report);
  const checks = checksSummary(report);
  return (
    <section
      className="setup-report"
      aria-label="Setup report"
      data-testid="setup-report"
      data-mode={report.mode}
      data-changed={report.changed}
    >
      <p className="setup-verdict" data-testid="setup-verdict">
        {setupVerdict(report, hostName)}
      </p>
      {shown.length > 0 && <ChangeList changes={shown} label="Changes" />}
      {unchanged.length > 0 && (
        <details className="setup-unchanged" data-testid="setup-unchanged">
          <summary>{unchanged.length} already so</summary>
          <ChangeList changes={unchanged} label="Already so" />
        </details>
      )}
      {report.checks.length > 0 && (
        <>
          <h3 className="setup-heading">Checks</h3>
          <p className={`setup-tone-${checks.tone}`} data-testid="setup-checks-summary">
            {checks.text}
          </p>
          <ol className="doctor-steps" aria-label="Checks">
            {report.checks.map((check, i) => (
              <SetupCheckItem key={`${i} ${check.check}`} view={setupCheckView(check)} />
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

interface ChangeListProps {
  readonly changes: readonly SetupChange[];
  readonly label: string;
}

/** Changes, one row each: the status in words, what it is, and its detail. */
function ChangeList({ changes, label }: ChangeListProps): JSX.Element {
  return (
    <ol className="setup-changes" aria-label={label}>
      {changes.map((change, i) => {
        const view = changeStatusView(change.status);
        return (
          <li
            key={`${i} ${change.title}`}
            className="setup-change"
            data-testid="setup-change"
            data-status={change.status}
          >
            <span className={`setup-change-status setup-tone-${view.tone}`}>{view.label}</span>
            <span className="setup-change-title">
              <CodeText text={change.title} />
              {change.detail && <span className="setup-change-detail">{change.detail}</span>}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
