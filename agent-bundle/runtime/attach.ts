import { encodeStreamHeader } from '../../common/agent/stream-header';
import { ensureOwnDaemon, pipeToDaemon, type ConnectOptions } from './connect';
import { ensureSocketDir } from './socket-dir';

/** What `attach` needs: the daemon to reach and which stream to open on it. */
export interface AttachOptions extends ConnectOptions {
  /** The stream's id, e.g. `diag:echo` (later `term:<id>`). */
  readonly stream: string;
  readonly cols?: number;
  readonly rows?: number;
  /** A terminal's output offset the client already has (see `StreamOpen.from`). */
  readonly from?: number;
}

/**
 * `attach ID` mode: what LabDeck runs on an exec channel (or as a local child) of its own for
 * each byte stream. Opens a stream connection on this build's daemon socket, writes the open
 * header, then copies bytes both ways unchanged: stdout carries the agent's header, raw data
 * frames and end trailer; stdin the client's data frames. Nothing is buffered here, so the SSH
 * channel's window is the stream's backpressure (docs/agent-streams.md).
 */
export async function runAttach(options: AttachOptions): Promise<void> {
  await ensureSocketDir(options.socketPath, process.getuid?.() ?? -1);
  await ensureOwnDaemon(options);
  const open = encodeStreamHeader({
    t: 'open',
    stream: options.stream,
    ...(options.cols === undefined ? {} : { cols: options.cols }),
    ...(options.rows === undefined ? {} : { rows: options.rows }),
    ...(options.from === undefined ? {} : { from: options.from }),
  });
  await pipeToDaemon(options, open);
}
