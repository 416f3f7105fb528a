import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSessionHost } from '../test/harness/session-host';
import { TEST_IMAGE } from '../test/harness/test-image';
import type { ReportRow } from './bench-harness';
import { keystrokeFigures } from './keystroke-echo';
import { openSshArgv, quietLogin } from './session-host-login';
import { throughputFigures } from './terminal-throughput';

/** The LabDeck name of the bench's SSH host, as the session host's laptops add it. */
const HOST_ID = 'lab';
/** The session whose container the stream comes out of and the session terminal runs in. */
const SESSION = 'bench-term';

/**
 * Issue 10's terminal figures on one SSH host with a real sshd and dockerd: one researcher, one
 * running session, LabDeck's services in-process on an open connection (as the CLI runs them),
 * and OpenSSH logging in as the same user with the same key for every baseline.
 */
export async function terminalBench(): Promise<ReportRow[]> {
  const host = await startSessionHost(1);
  const dir = await mkdtemp(join(tmpdir(), 'labdeck-bench-terminals-'));
  try {
    const { user, client } = await host.addUser('benchterm');
    await quietLogin(user.home);
    const connected = await client.request('hosts:connect', { hostId: HOST_ID });
    if (!connected.ok) throw new Error(`could not connect to the host: ${connected.error.message}`);
    const started = await client.request('sessions:start', {
      hostId: HOST_ID,
      name: SESSION,
      image: TEST_IMAGE,
    });
    if (!started.ok) throw new Error(`sessions:start failed: ${started.error.message}`);
    const { containerId } = started.value;
    const sshArgv = await openSshArgv(host.sshd, user, dir);
    const common = { client, session: SESSION, containerId, sshArgv };
    return [
      ...(await throughputFigures({ ...common, dockerHost: host.dockerd.dockerHost })),
      ...(await keystrokeFigures({ ...common, hostId: HOST_ID })),
    ];
  } finally {
    await host.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
