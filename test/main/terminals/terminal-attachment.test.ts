import { Duplex, PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  encodeStreamData,
  encodeStreamHeader,
  encodeStreamNotice,
} from '../../../common/agent/stream-header';
import type { TerminalLink } from '../../../common/contract/terminals';
import { TerminalAttachment } from '../../../main/terminals/terminal-attachment';

/** The agent's end of one stream connection: what the test writes, the attachment reads. */
function connection(): { agent: PassThrough; channel: Duplex } {
  const agent = new PassThrough();
  const channel = Duplex.from({ readable: agent, writable: new PassThrough() });
  return { agent, channel };
}

function collect(attachment: TerminalAttachment): () => string {
  let text = '';
  attachment.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('TerminalAttachment', () => {
  it('asks a reattach for the offset after everything received and everything skipped', async () => {
    const froms: (number | undefined)[] = [];
    const connections: ReturnType<typeof connection>[] = [];
    const links: TerminalLink[] = [];
    const attachment = new TerminalAttachment({
      open: async (from) => {
        froms.push(from);
        const made = connection();
        connections.push(made);
        return made.channel;
      },
      onLink: (link) => links.push(link),
    });
    const text = collect(attachment);
    await tick();
    const first = connections[0]!.agent;
    first.write(
      encodeStreamHeader({ t: 'opened', stream: 'term:abcdefabcdef', replayBytes: 0, offset: 100 }),
    );
    for (const frame of encodeStreamData(Buffer.from('0123456789'))) first.write(frame);
    first.write(encodeStreamNotice({ t: 'dropped', bytes: 1000 }));
    for (const frame of encodeStreamData(Buffer.from('abcde'))) first.write(frame);
    await tick();
    connections[0]!.channel.destroy();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(froms).toEqual([undefined, 100 + 10 + 1000 + 5]);
    expect(text()).toMatch(/^0123456789\r\n.*1\.00 kB of output lost here.*\r\nabcde$/s);
    expect(links.map((l) => l.link)).toEqual(['attached', 'reattaching']);
    expect(links.at(-1)?.droppedBytes).toBe(1000);
    attachment.destroy();
  });

  it('backs off when the channel closes before the agent answers, instead of looping', async () => {
    let opens = 0;
    const attachment = new TerminalAttachment({
      open: async () => {
        opens += 1;
        const made = connection();
        setImmediate(() => made.channel.destroy());
        return made.channel;
      },
      onLink: () => undefined,
    });
    await new Promise((resolve) => setTimeout(resolve, 900));
    attachment.destroy();
    // 250 ms, then 500 ms: three opens at most in 0.9 s, never hundreds.
    expect(opens).toBeGreaterThanOrEqual(2);
    expect(opens).toBeLessThanOrEqual(3);
  });
});
