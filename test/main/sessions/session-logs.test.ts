import { describe, expect, it } from 'vitest';
import { DockerFrameDemux, demuxBuffer } from '../../../main/sessions/session-logs';

/** One frame of Docker's multiplexed log stream (1 = stdout, 2 = stderr). */
function frame(stream: 1 | 2, text: string): Buffer {
  const body = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

describe('DockerFrameDemux', () => {
  it('gives the bytes of stdout and stderr in order, whatever the chunks cut', async () => {
    const bytes = Buffer.concat([frame(1, 'epoch 1\n'), frame(2, 'warn ✓\n'), frame(1, 'done\n')]);
    for (let cut = 1; cut < bytes.length; cut += 3) {
      const demux = new DockerFrameDemux();
      const out: Buffer[] = [];
      demux.on('data', (chunk: Buffer) => out.push(chunk));
      for (let i = 0; i < bytes.length; i += cut) demux.write(bytes.subarray(i, i + cut));
      demux.end();
      await new Promise((resolve) => demux.once('end', resolve));
      expect(Buffer.concat(out).toString()).toBe('epoch 1\nwarn ✓\ndone\n');
    }
    expect(demuxBuffer(bytes).toString()).toBe('epoch 1\nwarn ✓\ndone\n');
  });

  it('pushes back when nobody reads, instead of buffering without bound', () => {
    const demux = new DockerFrameDemux();
    const line = frame(1, 'y\n'.repeat(1024));
    let accepted = 0;
    while (demux.write(line) && accepted < 10_000) accepted++;
    // Stops accepting after about its buffers' worth (16 KiB each side), far from 10,000 frames.
    expect(accepted).toBeLessThan(100);
  });
});
