import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  appendFile,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  truncate,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Client } from '../../../common/contract/client';
import { loadAgentBundle, type AgentBundle } from '../../../main/agent/agent-bundle-file';
import type { Services } from '../../../main/services';
import { describeWithParts, startSshd, stopAgents, testServices, type Sshd } from '../../harness';
import { buildAgentBundles } from '../agent/agent-processes';
import { createSharedGroupUsers, type SharedGroupUsers } from './shared-group-users';

/** What the old probe ran to make the cache: under the login's umask, here 002. */
const OLD_PROBE_MKDIR = 'mkdir -p "$HOME/.cache/labdeck/agent" "$HOME/.cache/labdeck/node"';
const GROUP_OR_OTHER_WRITE = 0o022;

describeWithParts(
  ['root', 'sshd', 'ssh-keygen'],
  'the agent cache on a host shared with other users (issue 6)',
  () => {
    let sshd: Sshd;
    let users: SharedGroupUsers;
    let work: string;
    let bundle: AgentBundle;
    let services: Services;
    let client: Client;
    let marker: string;
    /** A copy of the agent anyone may read, as a published release is. */
    let publicBundle: string;
    const steps: string[] = [];

    const cache = () => join(users.researcher.home, '.cache/labdeck');
    const agentFile = () => join(cache(), 'agent', bundle.fileName);
    /** JavaScript that leaves a file behind if it ever runs, as whoever runs it. */
    const payload = () => `\n;require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`;
    const connect = () => client.request('hosts:connect', { hostId: 'lab' });
    const disconnect = async () => {
      await client.request('hosts:disconnect', { hostId: 'lab' });
      await stopAgents(users.researcher.username);
    };
    // (Hashes, not toEqual: a deep comparison of a 1 MB Buffer takes seconds.)
    const sha256Of = async (path: string) =>
      createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
    const mode = async (path: string) => (await stat(path)).mode & 0o777;

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'labdeck-cache-test-'));
      bundle = await loadAgentBundle((await buildAgentBundles(work)).a);
      publicBundle = join(tmpdir(), `labdeck-public-${bundle.fileName}`);
      await writeFile(publicBundle, bundle.bytes, { mode: 0o644 });
      sshd = await startSshd();
      users = await createSharedGroupUsers('cache');
      ({ services, client } = testServices(join(work, 'home'), {
        agentBundlePath: join(work, 'labdeck-agent-a.cjs'),
      }));
      client.on('host:updated', (h) => {
        if (h.connection.phase === 'connecting') steps.push(h.connection.step);
      });
      const added = await client.request('hosts:add', {
        name: 'lab',
        user: users.researcher.username,
        hostname: sshd.host,
        port: sshd.port,
        identityFile: users.researcher.privateKeyPath,
      });
      if (!added.ok) throw new Error(added.error.message);
    });

    beforeEach(async () => {
      await client.request('hosts:disconnect', { hostId: 'lab' });
      await users.reset();
      marker = join(tmpdir(), `labdeck-payload-ran-${Date.now()}`);
      steps.length = 0;
    });

    afterAll(async () => {
      await services?.dispose();
      await sshd?.stop();
      await users?.reset();
      await users?.researcher.dispose();
      await users?.other.dispose();
      if (work) await rm(work, { recursive: true, force: true });
      if (publicBundle) await rm(publicBundle, { force: true });
    });

    it('creates the cache private although the login has umask 002', async () => {
      expect(await connect()).toMatchObject({ ok: true });
      for (const dir of ['', 'agent', 'node']) expect(await mode(join(cache(), dir))).toBe(0o700);
      expect(await mode(agentFile())).toBe(0o600);
      // The other user of the group cannot put anything into it.
      await expect(
        users.as(users.other, 'echo x > "$1"', [join(cache(), 'agent', 'x.cjs')]),
      ).rejects.toThrow(/Permission denied/);
    });

    it('refuses an agent another group member planted in an old group-writable cache, and never runs it', async () => {
      // The cache as LabDeck used to leave it under umask 002: the group may write agent/.
      await users.as(users.researcher, `umask 002; ${OLD_PROBE_MKDIR}`);
      expect((await mode(join(cache(), 'agent'))) & GROUP_OR_OTHER_WRITE).not.toBe(0);
      // The attack: the other user writes LabDeck's own (public) agent with a payload appended
      // under the exact name LabDeck would run, so that the connect would even work.
      const planted = agentFile();
      await users.as(
        users.other,
        `cat "$1" > "$2.tmp" && printf '%s' "$3" >> "$2.tmp" && chmod 644 "$2.tmp" && mv "$2.tmp" "$2"`,
        [publicBundle, planted, payload()],
      );
      expect((await stat(planted)).uid).toBe(users.other.uid);

      const refused = await connect();
      expect(existsSync(marker)).toBe(false);
      expect(refused).toMatchObject({
        ok: false,
        error: {
          code: 'agent-cache-unsafe',
          message: expect.stringContaining(
            `${planted}: it belongs to another user (uid ${users.other.uid})`,
          ),
          hint: expect.stringContaining(`rm -rf ${planted}`),
        },
      });
      // The directories were made private at once: the other user cannot plant anything more.
      expect((await mode(join(cache(), 'agent'))) & GROUP_OR_OTHER_WRITE).toBe(0);

      // The researcher follows the hint; LabDeck uploads its own agent and works.
      await users.as(users.researcher, 'rm -rf "$1"', [planted]);
      expect(await connect()).toMatchObject({
        ok: true,
        value: { connection: { phase: 'connected' } },
      });
      expect(existsSync(marker)).toBe(false);
      expect((await stat(planted)).uid).toBe(users.researcher.uid);
      expect(await sha256Of(planted)).toBe(bundle.sha256);
    });

    it('repairs an old group-writable cache and keeps the good agent in it', async () => {
      expect(await connect()).toMatchObject({ ok: true });
      await disconnect();
      await users.as(users.researcher, `chmod 775 "$1" "$1/agent" "$1/node"`, [cache()]);
      const before = await stat(agentFile());
      steps.length = 0;
      expect(await connect()).toMatchObject({ ok: true });
      expect(steps.some((s) => s.startsWith('uploading the agent'))).toBe(false);
      expect((await stat(agentFile())).ino).toBe(before.ino);
      for (const dir of ['', 'agent', 'node']) expect(await mode(join(cache(), dir))).toBe(0o755);
    });

    it('never runs code appended to the cached agent: it uploads the agent again', async () => {
      expect(await connect()).toMatchObject({ ok: true });
      await disconnect();
      await appendFile(agentFile(), payload());
      steps.length = 0;
      expect(await connect()).toMatchObject({
        ok: true,
        value: { connection: { phase: 'connected' } },
      });
      expect(steps).toContain('uploading the agent: 100 %');
      expect(existsSync(marker)).toBe(false);
      expect(await sha256Of(agentFile())).toBe(bundle.sha256);
      const agent = await (await services.hosts.get('lab')).agent();
      expect(agent.hello.bundleSha256).toBe(bundle.sha256);
    });

    it('uploads a truncated cached agent again instead of failing every connect', async () => {
      expect(await connect()).toMatchObject({ ok: true });
      await disconnect();
      await truncate(agentFile(), Math.floor(bundle.bytes.byteLength / 2));
      expect(await connect()).toMatchObject({
        ok: true,
        value: { connection: { phase: 'connected' } },
      });
      expect(await sha256Of(agentFile())).toBe(bundle.sha256);
    });

    it('keeps the agent socket private: directory 0700, socket 0600, another user gets EACCES', async () => {
      expect(await connect()).toMatchObject({ ok: true });
      const info = await socketInfo();
      expect(info.socketPath).toBe(
        `/tmp/labdeck-${users.researcher.uid}/agent-${bundle.sha256.slice(0, 12)}.sock`,
      );
      await expectPrivateSocket(info.socketPath);
    });

    it('works when another user has taken /tmp/labdeck-<uid> first (no XDG_RUNTIME_DIR)', async () => {
      const squatted = `/tmp/labdeck-${users.researcher.uid}`;
      await rm(squatted, { recursive: true, force: true });
      await users.as(users.other, 'mkdir -m 777 "$1"', [squatted]);
      try {
        const connected = await connect();
        expect(connected).toMatchObject({
          ok: true,
          value: { connection: { phase: 'connected' } },
        });
        const info = await socketInfo();
        expect(info.socketPath).toMatch(
          new RegExp(
            `^/tmp/labdeck-${users.researcher.uid}-[0-9a-f]{16}/agent-${bundle.sha256.slice(0, 12)}\\.sock$`,
          ),
        );
        await expectPrivateSocket(info.socketPath);
        expect(await readdir(squatted)).toEqual([]);
        // The next connect finds the same daemon there.
        await client.request('hosts:disconnect', { hostId: 'lab' });
        expect(await connect()).toMatchObject({ ok: true });
        expect((await socketInfo()).pid).toBe(info.pid);
      } finally {
        await rm(squatted, { recursive: true, force: true });
      }
    });

    async function socketInfo() {
      const agent = await (await services.hosts.get('lab')).agent();
      const info = await agent.call('agent.info', {});
      if (!info.ok || info.value.socketPath === undefined) throw new Error('no agent.info');
      return { socketPath: info.value.socketPath, pid: info.value.pid };
    }

    async function expectPrivateSocket(socketPath: string): Promise<void> {
      const dir = join(socketPath, '..');
      expect((await stat(dir)).uid).toBe(users.researcher.uid);
      expect(await mode(dir)).toBe(0o700);
      expect(await mode(socketPath)).toBe(0o600);
      const script = `require('net').connect(process.argv[1]).on('connect', () => { console.log('connected'); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(0); })`;
      const said = await users.as(users.other, `"$1" -e "$2" "$3"`, [
        process.execPath,
        script,
        socketPath,
      ]);
      expect(said.trim()).toBe('EACCES');
    }
  },
);
