import type { diagStreams } from '../../common/contract/diag';
import type { HandlerSlice } from '../bridge/handlers';
import { LoopbackStream } from './loopback-stream';

/** The `diag:` slice of the contract's handlers: streams that check the bridge itself. */
export function diagHandlers(): HandlerSlice<never, keyof typeof diagStreams> {
  return {
    streams: {
      'diag:loopback': async ({ generateBytes }) => new LoopbackStream(generateBytes),
    },
  };
}
