import type { SystemPaths } from '../../common/host-setup/system-paths';
import type { HelperConfig } from './helper-config';

/** What every operation of one helper process knows: where, which version, and for whom. */
export interface HelperContext {
  /** The system paths under the root the helper was installed in. */
  readonly paths: SystemPaths;
  readonly version: string;
  /** The user sudo ran the helper for (0: root itself). */
  readonly callerUid: number;
  /** The lab configuration read at start, or why there is none. */
  readonly config: HelperConfig;
}
