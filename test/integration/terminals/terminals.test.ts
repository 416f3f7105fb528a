import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Client } from '../../../common/contract/client';
import type { Terminal, TerminalLink } from '../../../common/contract/terminals';
import type { StreamControl } from '../../../common/contract/transport';
import {
  describeWithParts,
  startSessionHost,
  TEST_IMAGE,
  until,
  type SessionHost,
  type SessionUser,
  cutSshConnections,
} from '../../harness';

/** One client's view of an attached terminal: everything it received, as text. */
interface Watch {
  readonly control: StreamControl;
  text(): string;
  bytes(): number;
  readonly ended: Promise<string | undefined>;
  type(keys: string): void;
}

/** Attaches like a window does, granting credit for everything it receives. */
function watch(client: Client, id: string, size = { cols: 80, rows: 24 }): Watch {
  const chunks: Buffer[] = [];
  let received = 0;
  let resolveEnd!: (error: string | undefined) => void;
  const ended = new Promise<string | undefined>((resolve) => (resolveEnd = resolve));
  const control = client.openStream(
    'terminals:attach',
    { id, ...size },
    {
      data: (bytes) => {
        chunks.push(Buffer.from(bytes));
        received += bytes.byteLength;
        control.ack(bytes.byteLength);
      },
      end: (error) => resolveEnd(error?.code),
    },
  );
  return {
    control,
    text: () => Buffer.concat(chunks).toString('utf8'),
    bytes: () => received,
    ended,
    type: (keys) => control.write(new TextEncoder().encode(keys)),
  };
}

async function open(client: Client, target: Parameters<Client['request']>[1]): Promise<Terminal> {
  const opened = await client.request('terminals:open', target as never);
  if (!opened.ok) throw new Error(opened.error.message);
  return opened.value as Terminal;
}

describeWithParts(
  ['root', 'sshd', 'dockerd', 'busybox'],
  'durable terminals on a host over SSH and in sessions',
  () => {
    let host: SessionHost;
    let ada: SessionUser;

    beforeAll(async () => {
      host = await startSessionHost(1);
      ada = await host.addUser('term-ada');
    });

    afterAll(async () => {
      await host?.stop();
    });

    it('runs a command typed into a host terminal and shows its output', async () => {
      const terminal = await open(ada.client, {
        target: { kind: 'host', hostId: 'lab' },
        cols: 100,
        rows: 30,
      });
      expect(terminal).toMatchObject({ host: 'lab', target: 'host:lab', state: 'running' });
      const tab = watch(ada.client, terminal.id, { cols: 100, rows: 30 });
      tab.type('echo "answer: $((6*7))"; whoami\r');
      await until('the answer', async () => tab.text().includes('answer: 42') || undefined, 20_000);
      await until(
        'the user',
        async () => tab.text().includes(ada.user.username) || undefined,
        5_000,
      );
      tab.type('stty size\r');
      await until('the size', async () => tab.text().includes('30 100') || undefined, 5_000);
      const resized = await ada.client.request('terminals:resize', {
        id: terminal.id,
        cols: 120,
        rows: 40,
      });
      expect(resized.ok).toBe(true);
      tab.type('stty size\r');
      await until('the new size', async () => tab.text().includes('40 120') || undefined, 5_000);
      tab.type('exit 7\r');
      expect(await tab.ended).toBeUndefined();
      const listed = await ada.client.request('terminals:list', {});
      expect(listed.ok && listed.value.terminals.find((t) => t.id === terminal.id)).toMatchObject({
        state: 'exited',
        exitCode: 7,
      });
    });

    it('lets two clients watch and type into the same terminal at once', async () => {
      const terminal = await open(ada.client, {
        target: { kind: 'host', hostId: 'lab' },
        cols: 80,
        rows: 24,
      });
      const window1 = watch(ada.client, terminal.id);
      const window2 = watch(ada.client, terminal.id);
      await until(
        'both attached',
        async () => {
          const listed = await ada.client.request('terminals:list', { hostId: 'lab' });
          const found = listed.ok && listed.value.terminals.find((t) => t.id === terminal.id);
          return (found && found.attached === 2) || undefined;
        },
        20_000,
      );
      window1.type('echo "from-one-$((1+1))"\r');
      await until(
        'window 2 sees window 1',
        async () => window2.text().includes('from-one-2') || undefined,
        10_000,
      );
      window2.type('echo "from-two-$((2+2))"\r');
      await until(
        'window 1 sees window 2',
        async () => window1.text().includes('from-two-4') || undefined,
        10_000,
      );
      window1.control.close();
      window2.control.close();
      await ada.client.request('terminals:close', { id: terminal.id });
    });

    it('opens a shell inside a session, in its container', async () => {
      const started = await ada.client.request('sessions:start', {
        hostId: 'lab',
        name: 'term-box',
        image: TEST_IMAGE,
      });
      if (!started.ok) throw new Error(started.error.message);
      const terminal = await open(ada.client, {
        target: { kind: 'session', session: 'term-box' },
        cols: 80,
        rows: 24,
      });
      expect(terminal).toMatchObject({ target: 'session:term-box@lab', session: 'term-box' });
      const tab = watch(ada.client, terminal.id);
      tab.type('cat /etc/hostname; echo "in: $((2+3))"\r');
      await until(
        'output from the container',
        async () => tab.text().includes('in: 5') || undefined,
        20_000,
      );
      expect(tab.text()).toContain(started.value.containerId.slice(0, 12));
      tab.control.close();
      await ada.client.request('terminals:close', { id: terminal.id });
      await ada.client.request('sessions:remove', { session: 'term-box' });
    });

    it('reattaches by itself after the SSH connection is cut, every line arriving exactly once', async () => {
      const terminal = await open(ada.client, {
        target: { kind: 'host', hostId: 'lab' },
        cols: 80,
        rows: 24,
      });
      const links: TerminalLink['link'][] = [];
      const stop = ada.client.listen(
        'terminals:link',
        { id: terminal.id },
        {
          event: (link) => links.push(link.link),
        },
      );
      const tab = watch(ada.client, terminal.id);
      await until('a prompt', async () => tab.bytes() > 0 || undefined, 20_000);
      tab.type(
        'for i in $(seq 1 300); do echo "line-$i."; sleep 0.01; done; echo "all-$((1+1))-done."\r',
      );
      await until('line 40', async () => tab.text().includes('line-40.') || undefined, 20_000);

      // Kill the server side of the connection, as a dropped Wi-Fi ends it.
      await cutSshConnections(ada.user.username);

      await until(
        'the end of the loop',
        async () => tab.text().includes('all-2-done.') || undefined,
        60_000,
      );
      const lines = tab.text().match(/^line-\d+\.\r?$/gm) ?? [];
      expect(lines.map((l) => l.trim())).toEqual(
        Array.from({ length: 300 }, (_, i) => `line-${i + 1}.`),
      );
      expect(links).toContain('reattaching');
      expect(links.at(-1)).toBe('attached');
      stop();
      tab.control.close();
      await ada.client.request('terminals:close', { id: terminal.id });
    });

    it('keeps a terminal alive with no client attached; another laptop attaches and sees the replay', async () => {
      const terminal = await open(ada.client, {
        target: { kind: 'host', hostId: 'lab' },
        cols: 80,
        rows: 24,
      });
      const first = watch(ada.client, terminal.id);
      first.type('echo "marker-$((40+2))"\r');
      await until(
        'the marker',
        async () => first.text().includes('marker-42') || undefined,
        20_000,
      );
      first.control.close();
      await ada.services.dispose();

      const other = await host.addLaptop(ada, 'term-ada-2');
      const connected = await other.client.request('hosts:connect', { hostId: 'lab' });
      expect(connected.ok).toBe(true);
      const listed = await other.client.request('terminals:list', {});
      expect(listed.ok && listed.value.terminals.find((t) => t.id === terminal.id)).toMatchObject({
        state: 'running',
        attached: 0,
      });
      const again = watch(other.client, terminal.id);
      await until(
        'the replay',
        async () => again.text().includes('marker-42') || undefined,
        20_000,
      );
      again.type('echo "still-$((1+1))"\r');
      await until(
        'the same shell',
        async () => again.text().includes('still-2') || undefined,
        10_000,
      );
      again.control.close();
      await other.client.request('terminals:close', { id: terminal.id });
      ada = other;
    });
  },
);
