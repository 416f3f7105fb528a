import { spawn } from 'node:child_process';
import { chmod, chown, copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseAgentFailure } from '../../../common/agent/agent-failure';
import { privilegedHelperContract } from '../../../common/agent/privileged-helper-contract';
import { AgentClient } from '../../../main/agent/agent-client';
import { createTestUser, describeWithParts, type TestUser } from '../../harness';
import { buildAgentBundles } from './agent-processes';

/** Where host setup would install the helper: under /opt or /usr, root's all the way up. */
const ROOT_INSTALL_PARENT = '/opt';

/** Runs `node <bundle> --privileged` as root, with nothing on stdin; its exit code and stderr. */
function runToExit(bundle: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bundle, '--privileged'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.resume();
    child.stdin.end();
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

describeWithParts(['root', 'ssh-keygen'], 'the privileged helper (--privileged)', () => {
  let work: string;
  let bundle: string;
  let user: TestUser;
  let rootDir: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'labdeck-privileged-'));
    bundle = (await buildAgentBundles(work)).a;
    user = await createTestUser('privileged');
    rootDir = await mkdtemp(join(ROOT_INSTALL_PARENT, 'labdeck-privileged-'));
    await chmod(rootDir, 0o755);
  });

  afterAll(async () => {
    await user?.dispose();
    if (user) await rm(join(user.home, '.cache/labdeck'), { recursive: true, force: true });
    if (rootDir) await rm(rootDir, { recursive: true, force: true });
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('refuses to run from the user-writable cache, even as root, with a clear error', async () => {
    const cache = join(user.home, '.cache/labdeck/agent');
    await mkdir(cache, { recursive: true, mode: 0o700 });
    for (const dir of ['.cache', '.cache/labdeck', '.cache/labdeck/agent']) {
      await chown(join(user.home, dir), user.uid, user.gid);
    }
    const cached = join(cache, 'labdeck-agent.cjs');
    await copyFile(bundle, cached);
    await chown(cached, user.uid, user.gid);
    const { code, stderr } = await runToExit(cached);
    expect(code).toBe(1);
    expect(stderr).toContain(`refuses to run from ${cached}: ${cached} belongs to uid ${user.uid}`);
    expect(parseAgentFailure(stderr)).toMatchObject({
      code: 'privileged-path-untrusted',
      hint: expect.stringContaining('root-owned copy'),
    });
  });

  it('refuses a root-owned copy in a directory others may write', async () => {
    const open = join(rootDir, 'open');
    await mkdir(open);
    await chmod(open, 0o775);
    const copy = join(open, 'labdeck-agent.cjs');
    await copyFile(bundle, copy);
    const { code, stderr } = await runToExit(copy);
    expect(code).toBe(1);
    expect(stderr).toContain(`${open} is writable by group or others (mode 775)`);
  });

  it('from a root-owned copy answers privileged.ping and none of the user agent’s methods', async () => {
    const copy = join(rootDir, 'labdeck-agent.cjs');
    await copyFile(bundle, copy);
    await chmod(copy, 0o644);
    const child = spawn(process.execPath, [copy, '--privileged'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const client = await AgentClient.connect(
      Duplex.from({ readable: child.stdout, writable: child.stdin }),
      {
        client: 'privileged test',
        timeoutMs: 15_000,
        stderr: child.stderr,
        contract: privilegedHelperContract,
      },
    );
    try {
      expect(await client.call('privileged.ping', {})).toEqual({
        ok: true,
        value: { pid: child.pid, euid: 0 },
      });
      const asUserAgent = client as unknown as AgentClient;
      for (const method of ['gpu.inventory', 'agent.info'] as const) {
        expect(await asUserAgent.call(method, {})).toMatchObject({
          ok: false,
          error: { code: 'unknown-agent-method' },
        });
      }
    } finally {
      client.close();
      child.kill();
    }
  });
});
