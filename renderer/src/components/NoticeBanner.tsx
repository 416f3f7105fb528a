import type { JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Notice } from '../../../common/app/app-info';
import { useUi } from '../stores/stores';
import { CodeText } from './CodeText';
import { Icon } from './Icon';

/**
 * Notices from the services (e.g. "your settings were reset"), one banner each above the page.
 * They stay until the user dismisses them; dismissing tells the services, so a notice is read once.
 */
export function NoticeBanner(): JSX.Element | null {
  const { notices, dismissing, dismissNotice } = useUi(
    useShallow((s) => ({
      notices: s.notices,
      dismissing: s.dismissingNotices,
      dismissNotice: s.dismissNotice,
    })),
  );
  if (notices.length === 0) return null;

  return (
    <section className="notices" aria-label="Notices">
      {notices.map((notice) => (
        <NoticeItem
          key={notice.id}
          notice={notice}
          busy={dismissing[notice.id] === true}
          onDismiss={() => void dismissNotice(notice.id)}
        />
      ))}
    </section>
  );
}

interface NoticeItemProps {
  readonly notice: Notice;
  readonly busy: boolean;
  readonly onDismiss: () => void;
}

function NoticeItem({ notice, busy, onDismiss }: NoticeItemProps): JSX.Element {
  return (
    <div
      className={`notice notice-${notice.level}`}
      role={notice.level === 'info' ? 'status' : 'alert'}
      data-testid="notice"
      data-notice-id={notice.id}
    >
      <Icon name={notice.level === 'info' ? 'info' : 'warning'} className="notice-icon" />
      <div className="notice-body">
        <p className="notice-message">{notice.message}</p>
        {notice.hint && (
          <p className="notice-hint">
            <CodeText text={notice.hint} />
          </p>
        )}
      </div>
      <button type="button" className="button" disabled={busy} onClick={onDismiss}>
        {busy ? 'Dismissing…' : 'Dismiss'}
      </button>
    </div>
  );
}
