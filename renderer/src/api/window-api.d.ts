import type { Transport } from '../../../common/contract/transport';

declare global {
  /** What the Electron preload exposes; absent in browser mode. */
  interface Window {
    readonly api?: Transport;
  }
}
