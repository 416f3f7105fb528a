/** True on macOS, where shortcuts read ⌘ instead of Ctrl. */
export const IS_MAC = /Mac/i.test(navigator.platform);
