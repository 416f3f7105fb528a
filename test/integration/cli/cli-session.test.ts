import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  CLI_BUNDLE,
  describeWithParts,
  runLabdeck,
  startSessionHost,
  TEST_IMAGE,
  until,
  type SessionHost,
  type SessionUser,
} from '../../harness';

/** The documented keys of a session's `--json`, in order (keys are only ever added). */
const SESSION_JSON_KEYS = [
  'id',
  'name',
  'host',
  'owner',
  'image',
  'status',
  'gpuShares',
  'enforcement',
  'ports',
  'createdAt',
  'mine',
  'statusText',
  'containerId',
  'mounts',
];

const SERVE_PAGE =
  'mkdir -p /www && echo "served by busybox" > /www/index.html && echo started && exec httpd -f -p 8080 -h /www';

describeWithParts(
  ['root', 'sshd', 'dockerd', 'busybox'],
  '`labdeck session` against a real SSH host and Docker engine',
  () => {
    let host: SessionHost;
    let ada: SessionUser;
    let env: NodeJS.ProcessEnv;

    beforeAll(async () => {
      host = await startSessionHost(2);
      ada = await host.addUser('clisess');
      // Once through the services, so the host key is recorded as a first interactive connect does.
      const connected = await ada.client.request('hosts:connect', { hostId: 'lab' });
      expect(connected).toMatchObject({ ok: true });
      env = { PATH: process.env.PATH, LABDECK_HOME: ada.home, HOME: ada.home };
    });

    afterAll(async () => {
      await host?.stop();
    });

    it('starts a session with --json, lists it, forwards its service until Ctrl+C, and removes it', async () => {
      const started = await runLabdeck(
        [
          'session',
          'start',
          'lab',
          '--image',
          TEST_IMAGE,
          '--gpus',
          '0.3',
          '--port',
          'web:http:8080',
          '--env',
          'A=1',
          '--env',
          'B=two words',
          '--command',
          SERVE_PAGE,
          '--name',
          'clipage',
          '--json',
        ],
        env,
      );
      expect(started.stderr).toBe('');
      expect(started.code).toBe(0);
      const session = JSON.parse(started.stdout) as Record<string, unknown>;
      // `session start` adds what became of the dotfiles (issue 13); `session ls` has none.
      expect(Object.keys(session)).toEqual([...SESSION_JSON_KEYS, 'dotfiles']);
      expect(session.dotfiles).toEqual({ group: expect.any(String), written: 0, skipped: [] });
      expect(session).toMatchObject({
        name: 'clipage',
        host: 'lab',
        owner: ada.user.username,
        status: 'running',
        gpuShares: { [host.uuids[0]!]: '0.3' },
        enforcement: 'none',
        ports: [{ name: 'web', protocol: 'http', containerPort: 8080, localUrl: null }],
      });
      const inspected = await host.dockerd.docker
        .getContainer(session.containerId as string)
        .inspect();
      expect(inspected.Config.Env).toEqual(expect.arrayContaining(['A=1', 'B=two words']));

      const listed = await runLabdeck(['session', 'ls', 'lab', '--json'], env);
      expect(listed.code).toBe(0);
      const sessions = JSON.parse(listed.stdout) as Record<string, unknown>[];
      expect(sessions.map((s) => s.name)).toContain('clipage');
      for (const s of sessions) expect(Object.keys(s)).toEqual(SESSION_JSON_KEYS);

      const table = await runLabdeck(['session', 'ls'], env);
      expect(table.stdout).toMatch(/clipage\s+lab\s+.*shared, not enforced\s+web:8080/);

      const forward = spawn(
        process.execPath,
        [CLI_BUNDLE, 'session', 'forward', 'clipage', 'web'],
        {
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      forward.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const url = await until(
        'the local URL',
        async () => /^http:\/\/127\.0\.0\.1:\d+\/$/m.exec(out)?.[0],
        30_000,
      );
      const page = await until('the page through the forward', async () => {
        const response = await fetch(url).catch(() => undefined);
        return response?.ok ? response.text() : undefined;
      });
      expect(page).toBe('served by busybox\n');
      const exited = new Promise<number | null>((resolve) => forward.once('exit', resolve));
      forward.kill('SIGINT');
      expect(await exited).toBe(0);
      await expect(fetch(url)).rejects.toThrow();

      const logs = await runLabdeck(['session', 'logs', 'clipage'], env);
      expect(logs).toMatchObject({ code: 0, stdout: 'started\n' });

      const removed = await runLabdeck(['session', 'rm', 'clipage'], env);
      expect(removed).toMatchObject({ code: 0, stdout: 'Removed clipage.\n' });
      const after = await host.dockerd.docker.listContainers({
        all: true,
        filters: { label: ['labdeck.name=clipage'] },
      });
      expect(after).toEqual([]);
    });

    it('says which field is wrong and starts nothing', async () => {
      const refused = await runLabdeck(
        [
          'session',
          'start',
          'lab',
          '--image',
          TEST_IMAGE,
          '--port',
          'jupyter:http:80',
          '--gpus',
          'half',
        ],
        env,
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/gpus: "half" is not an amount of GPUs/);
      expect(refused.stderr).toMatch(/ports: entry 1: .*80/);
      expect(refused.stderr).toMatch(/\(code: invalid-session\)/);
    });

    it('names a missing session and how to list them', async () => {
      const missing = await runLabdeck(['session', 'stop', 'nope', '--host', 'lab'], env);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/There is no session "nope" on lab/);
      expect(missing.stderr).toMatch(/labdeck session ls/);
    });
  },
);
