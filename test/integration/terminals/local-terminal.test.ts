import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../../agent-bundle/runtime/daemon-lock';
import type { Client } from '../../../common/contract/client';
import { ensureBuilt, testServices, until } from '../../harness';
import { makeRuntimeDir } from '../agent/agent-processes';

/** The daemon's idle exit in this file: short, so that "it waited for the terminal" shows. */
const IDLE_MS = 1_500;

/** Attaches and collects the text, granting credit as a window does. */
function attach(client: Client, id: string) {
  let text = '';
  const control = client.openStream(
    'terminals:attach',
    { id, cols: 80, rows: 24 },
    {
      data: (bytes) => {
        text += Buffer.from(bytes).toString();
        control.ack(bytes.byteLength);
      },
      end: () => undefined,
    },
  );
  return { control, text: () => text };
}

describe('a terminal on "This computer"', () => {
  let home: string;
  let runtime: string;

  beforeAll(async () => {
    await ensureBuilt();
    home = await mkdtemp(join(tmpdir(), 'labdeck-local-term-'));
    runtime = await makeRuntimeDir();
  });

  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
    await rm(runtime, { recursive: true, force: true });
  });

  const services = () =>
    testServices(home, {
      env: {
        PATH: process.env.PATH,
        XDG_RUNTIME_DIR: runtime,
        LABDECK_AGENT_IDLE_MS: String(IDLE_MS),
      },
    });

  it('outlives the app that opened it and the idle exit; a restarted app replays it', async () => {
    const first = services();
    const opened = await first.client.request('terminals:open', {
      target: { kind: 'host', hostId: 'local' },
      cols: 80,
      rows: 24,
    });
    if (!opened.ok) throw new Error(opened.error.message);
    expect(opened.value).toMatchObject({ hostId: 'local', target: 'host:This computer' });
    const id = opened.value.id;
    const tab = attach(first.client, id);
    tab.control.write(new TextEncoder().encode('echo "local-$((3*3))"\r'));
    await until('the output', async () => tab.text().includes('local-9') || undefined, 20_000);
    const info = await (await first.services.hosts.get('local')).agent();
    const daemonPid = info.hello.pid;
    tab.control.close();
    await first.services.dispose();

    // Nobody is connected for longer than the idle exit: the live terminal keeps the daemon.
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS * 2));
    expect(isProcessAlive(daemonPid)).toBe(true);

    const again = services();
    const listed = await again.client.request('terminals:list', { hostId: 'local' });
    expect(listed.ok && listed.value.terminals.map((t) => [t.id, t.state])).toEqual([
      [id, 'running'],
    ]);
    const back = attach(again.client, id);
    await until('the replay', async () => back.text().includes('local-9') || undefined, 20_000);
    back.control.close();
    const closed = await again.client.request('terminals:close', { id });
    expect(closed.ok && closed.value.closed).toBe(true);
    await again.services.dispose();

    // With its last terminal gone, the daemon goes idle and exits.
    await until(
      'the idle daemon exits',
      async () => !isProcessAlive(daemonPid) || undefined,
      20_000,
    );
  });
});
