import type { Client } from 'ssh2';
import { AppFailure } from '../../common/contract/result';
import { commandLine } from '../../common/shell/shell-quote';

/** What a finished remote command left behind. */
export interface ExecResult {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** Default time a short remote command (probe, rename) may take. */
const EXEC_TIMEOUT_MS = 30_000;

/**
 * Runs one command on the host over an existing connection and collects its output. `argv` is
 * quoted for the remote shell (see shell-quote.ts); `stdin`, when given, is written and closed.
 */
export function execCollect(
  client: Client,
  argv: readonly string[],
  options: {
    stdin?: Buffer | string;
    timeoutMs?: number;
    onStdinProgress?: (sent: number) => void;
  } = {},
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    client.exec(commandLine(argv), (error, channel) => {
      if (error) {
        reject(
          new AppFailure({
            code: 'ssh-exec-failed',
            message: `The host refused to run ${argv[0]}: ${error.message}`,
          }),
        );
        return;
      }
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const timer = setTimeout(() => {
        channel.close();
        reject(
          new AppFailure({
            code: 'ssh-exec-timeout',
            message: `${argv[0]} did not finish on the host in time.`,
          }),
        );
      }, options.timeoutMs ?? EXEC_TIMEOUT_MS);
      channel.on('data', (chunk: Buffer) => out.push(chunk));
      channel.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      channel.once('close', (code: number | null) => {
        clearTimeout(timer);
        resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') });
      });
      if (options.stdin !== undefined)
        writeAll(channel, Buffer.from(options.stdin), options.onStdinProgress);
      else channel.end();
    });
  });
}

/** Bytes per write when streaming an upload: small enough to report progress smoothly. */
const UPLOAD_CHUNK_BYTES = 256 * 1024;

function writeAll(
  channel: NodeJS.WritableStream,
  data: Buffer,
  onProgress: ((sent: number) => void) | undefined,
): void {
  let offset = 0;
  const pump = (): void => {
    while (offset < data.byteLength) {
      const chunk = data.subarray(offset, offset + UPLOAD_CHUNK_BYTES);
      offset += chunk.byteLength;
      onProgress?.(offset);
      if (!channel.write(chunk)) {
        channel.once('drain', pump);
        return;
      }
    }
    channel.end();
  };
  pump();
}
