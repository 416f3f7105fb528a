import { execFile, spawn } from 'node:child_process';
import { access, appendFile, chmod, chown, copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildSocketName } from '../../../common/agent/agent-socket-name';
import type { Client } from '../../../common/contract/client';
import { loadAgentBundle } from '../../../main/agent/agent-bundle-file';
import type { Services } from '../../../main/services';
import {
  AGENT_BUNDLE,
  createGpuTestUser,
  describeWithParts,
  ensureBuilt,
  startSshd,
  stopAgents,
  testServices,
  until,
  type GpuTestUser,
  type Sshd,
} from '../../harness';

const run = promisify(execFile);
/** The proxy LabDeck execs on the host when it cannot reach the daemon's socket directly. */
const CONNECT_PROXY = '/\\.cache/labdeck/agent/[0-9a-f]+\\.cjs connect$';
/** The running daemon itself (`… serve --socket PATH`). */
const DAEMON = '/\\.cache/labdeck/agent/[0-9a-f]+\\.cjs serve ';

/** Pids of the user's processes whose command line matches `pattern`. */
async function processes(username: string, pattern: string): Promise<string[]> {
  const { stdout } = await run('pgrep', ['-u', username, '-f', '--', pattern]).catch(() => ({
    stdout: '',
  }));
  return stdout.trim().split('\n').filter(Boolean);
}

describeWithParts(
  ['root', 'sshd', 'ssh-keygen'],
  'reaching the agent daemon: forwarded socket when it runs, else `connect` by exec',
  () => {
    let sshd: Sshd;
    let strict: Sshd;
    let user: GpuTestUser;
    let home: string;
    let services: Services;
    let client: Client;

    /** Connects `hostId`, checks an agent call works, and returns the connect proxies running. */
    const connectAndCountProxies = async (hostId: string): Promise<number> => {
      expect(await client.request('hosts:connect', { hostId })).toMatchObject({ ok: true });
      expect(await client.request('gpus:list', { hostId })).toMatchObject({ ok: true });
      return (await processes(user.username, CONNECT_PROXY)).length;
    };
    const disconnect = async (hostId: string): Promise<void> => {
      await client.request('hosts:disconnect', { hostId });
      await until('the connect proxy to exit', async () =>
        (await processes(user.username, CONNECT_PROXY)).length === 0 ? true : undefined,
      );
    };

    beforeAll(async () => {
      await ensureBuilt();
      sshd = await startSshd();
      strict = await startSshd({ config: { AllowStreamLocalForwarding: 'no' } });
      user = await createGpuTestUser('fwd');
      home = await mkdtemp(join(tmpdir(), 'labdeck-forward-'));
      ({ services, client } = testServices(home));
      for (const [name, server] of [
        ['open', sshd],
        ['strict', strict],
      ] as const) {
        const added = await client.request('hosts:add', {
          name,
          user: user.username,
          hostname: server.host,
          port: server.port,
          identityFile: user.privateKeyPath,
        });
        if (!added.ok) throw new Error(added.error.message);
      }
    });

    afterAll(async () => {
      await services?.dispose();
      await sshd?.stop();
      await strict?.stop();
      await user?.cleanUp();
      await user?.dispose();
      if (home) await rm(home, { recursive: true, force: true });
    });

    it('starts the daemon through `connect` by exec when none runs yet', async () => {
      await stopAgents(user.username);
      expect(await processes(user.username, DAEMON)).toEqual([]);
      expect(await connectAndCountProxies('open')).toBe(1);
      expect((await processes(user.username, DAEMON)).length).toBe(1);
      await disconnect('open');
    });

    it('reaches the running daemon through a forwarded socket: no Node starts on the host', async () => {
      const daemons = await processes(user.username, DAEMON);
      expect(daemons.length).toBe(1);
      expect(await connectAndCountProxies('open')).toBe(0);
      expect(await processes(user.username, DAEMON)).toEqual(daemons);
      await disconnect('open');
    });

    it('falls back to `connect` by exec when the server forbids socket forwarding', async () => {
      expect((await processes(user.username, DAEMON)).length).toBe(1);
      expect(await connectAndCountProxies('strict')).toBe(1);
      await disconnect('strict');
    });

    it('does not forward to a socket in a directory others may enter (issue 6)', async () => {
      const dir = `/tmp/labdeck-${user.uid}`;
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
      await chmod(dir, 0o755);
      expect(await connectAndCountProxies('open')).toBe(1);
      // `connect` made the directory private again, so the next connect forwards.
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
      await disconnect('open');
      expect(await connectAndCountProxies('open')).toBe(0);
      await disconnect('open');
    });

    it('never trusts a daemon of another build found on our socket: the exec path refuses it', async () => {
      await stopAgents(user.username);
      const bundle = await loadAgentBundle(AGENT_BUNDLE);
      const socket = `/tmp/labdeck-${user.uid}/${buildSocketName(bundle.sha256)}`;
      // Another build (one byte more, so another sha256) listening on this build's socket.
      const other = join(user.home, '.cache/labdeck/agent/other-build.cjs');
      await copyFile(AGENT_BUNDLE, other);
      await appendFile(other, '\n');
      await chown(other, user.uid, user.gid);
      spawn(
        'runuser',
        ['-u', user.username, '--', process.execPath, other, 'serve', '--socket', socket],
        {
          detached: true,
          stdio: 'ignore',
        },
      ).unref();
      await until('the other build to listen', () =>
        access(socket).then(
          () => true,
          () => undefined,
        ),
      );
      const refused = await client.request('hosts:connect', { hostId: 'open' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'agent-socket-other-build' } });
      await stopAgents(user.username);
    });
  },
);
