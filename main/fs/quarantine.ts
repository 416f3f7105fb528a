import { basename } from 'node:path';
import type { Notice } from '../../common/app/app-info';
import { moveAside } from './move-aside';

/** What the notice about a file moved aside says, given where the file went. */
export interface QuarantineWords {
  readonly message: string;
  readonly hint: string;
}

/**
 * Moves the unreadable `path` (`settings.json`, `secrets.json`…) aside as
 * `<name>.corrupt-<time>.json` and returns the warning that tells the user where it went, with
 * the id `<name>-reset-<time>`. Call only while holding the file's lock.
 */
export async function quarantine(
  path: string,
  words: (aside: string) => QuarantineWords,
): Promise<Notice> {
  const name = basename(path, '.json');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const aside = await moveAside(path, `${name}.corrupt-${stamp}`);
  return { id: `${name}-reset-${stamp}`, level: 'warning', ...words(aside) };
}
