import { isSameOrigin } from './url-policy';

/** What the shell knows about the sender of an IPC message, read from the IPC event. */
export interface SenderInfo {
  /** `event.sender.id`: the webContents that sent the message. */
  readonly webContentsId: number;
  /** Whether the sending frame is the current top-level frame of that webContents. */
  readonly isMainFrame: boolean;
  /** `event.senderFrame.url`; undefined when the frame is already gone. */
  readonly frameUrl: string | undefined;
}

/** The senders the shell trusts: the windows it created, showing pages from its own origin. */
export interface TrustedSenders {
  /** Ids of the webContents our window factory created (and that are not destroyed yet). */
  readonly ids: ReadonlySet<number>;
  /** `app://labdeck`, or the dev server's origin in development. */
  readonly origin: string;
}

/**
 * True only when a message comes from a window we created, from its main frame, showing a page
 * of our own origin. Anything else (a subframe, a page that navigated elsewhere, a webContents
 * we did not create) must not reach the services.
 * See https://www.electronjs.org/docs/latest/tutorial/security#17-validate-the-sender-of-all-ipc-messages
 */
export function isTrustedSender(sender: SenderInfo, trusted: TrustedSenders): boolean {
  return (
    trusted.ids.has(sender.webContentsId) &&
    sender.isMainFrame &&
    sender.frameUrl !== undefined &&
    isSameOrigin(sender.frameUrl, trusted.origin)
  );
}
