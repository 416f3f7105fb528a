import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { commandLine } from '../../../common/shell/shell-quote';
import {
  CLI_BUNDLE,
  describeWithParts,
  runLabdeck,
  startBrowserMode,
  startSessionHost,
  TEST_IMAGE,
  until,
  type SessionHost,
  type SessionUser,
  cutSshConnections,
} from '../../harness';

/** How long a CLI may take to show what a test waits for: a login, the agent, a shell. */
const ANSWER_TIMEOUT_MS = 30_000;
/** Output of the flood test: far more than any buffer on the way holds. */
const FLOOD_BYTES = 100_000_000;
/** How long the flood runs into a stdout nobody reads. */
const FLOOD_PAUSE_MS = 4000;
/** What the CLI may grow by meanwhile: buffers on the way, not the flood. */
const PAUSED_MAX_GROWTH_BYTES = 48 * 1024 * 1024;

/** A process's resident memory, as the kernel counts it. */
function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) * 1024;
}

/** The keys `terminal ls --json` documents (more may be added, none removed). */
const TERMINAL_JSON_KEYS = ['id', 'target', 'state', 'createdAt', 'attached'];
/** What `labdeck terminal` says on detaching, with the terminal's id. */
const DETACHED =
  /Detached from terminal ([0-9a-f]{12}); it keeps running\. Reattach with: labdeck terminal attach \1/;

/** A `labdeck` process the test types into and reads, as a user at a shell would. */
class Cli {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  /** stdout and stderr as they came: what a user sees. */
  output = '';
  readonly exited: Promise<number | null>;

  constructor(argv: readonly string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(argv[0]!, argv.slice(1), { env, stdio: 'pipe', detached: true });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString();
      this.output += chunk.toString();
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
      this.output += chunk.toString();
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  type(text: string): void {
    this.child.stdin.write(text);
  }

  /** Waits until what the user sees matches `pattern`; returns the match. */
  waitFor(pattern: RegExp, from = 0): Promise<RegExpExecArray> {
    return until(
      `${pattern} in:\n${this.output.slice(-2000)}`,
      async () => pattern.exec(this.output.slice(from)) ?? undefined,
      ANSWER_TIMEOUT_MS,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- output:\n${this.output.slice(-3000)}`);
    });
  }

  /** The exit status, failing the test if it does not come in time. */
  async exit(): Promise<number | null> {
    const timeout = sleep(ANSWER_TIMEOUT_MS).then(() => 'timeout' as const);
    const code = await Promise.race([this.exited, timeout]);
    if (code === 'timeout') throw new Error(`labdeck did not exit:\n${this.output.slice(-3000)}`);
    return code;
  }

  /** Ends the process and everything it started, if a failed test left it running. */
  kill(): void {
    if (this.child.exitCode === null && this.child.pid)
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
  }
}

describeWithParts(
  ['root', 'sshd', 'dockerd', 'busybox', 'script'],
  '`labdeck terminal` against a real SSH host and Docker engine',
  () => {
    let host: SessionHost;
    let ada: SessionUser;
    let env: NodeJS.ProcessEnv;
    let scratch: string;
    const started: Cli[] = [];
    const labdeck = (...args: string[]): Cli => {
      const cli = new Cli([process.execPath, CLI_BUNDLE, ...args], env);
      started.push(cli);
      return cli;
    };
    /** `labdeck ARGS` in a real pseudo-terminal (util-linux script), run by `sh -c` as `shell`. */
    const inTerminal = (shell: (cli: string) => string, ...args: string[]): Cli => {
      const line = shell(commandLine([process.execPath, CLI_BUNDLE, ...args]));
      const cli = new Cli(['script', '-qfec', line, '/dev/null'], env);
      started.push(cli);
      return cli;
    };
    const listed = async (): Promise<Record<string, unknown>[]> => {
      const ls = await runLabdeck(['terminal', 'ls', '--json'], env);
      expect(ls.stderr).toBe('');
      expect(ls.code).toBe(0);
      return JSON.parse(ls.stdout) as Record<string, unknown>[];
    };

    beforeAll(async () => {
      host = await startSessionHost(1);
      ada = await host.addUser('cliterm');
      // Once through the services, so the host key is recorded as a first interactive connect does.
      const connected = await ada.client.request('hosts:connect', { hostId: 'lab' });
      expect(connected).toMatchObject({ ok: true });
      env = { PATH: process.env.PATH, LABDECK_HOME: ada.home, HOME: ada.home, LABDECK_NO_APP: '1' };
      scratch = await mkdtemp(join(tmpdir(), 'labdeck-cli-terminal-'));
    });

    afterAll(async () => {
      for (const cli of started) cli.kill();
      await host?.stop();
      if (scratch) await rm(scratch, { recursive: true, force: true });
    });

    it('runs what a pipe types in a login shell on the host, detaches at its end, and closes', async () => {
      const cli = labdeck('terminal', '--host', 'lab');
      cli.type('echo "piped $((6 * 7)) as $(id -un)"\n');
      await cli.waitFor(new RegExp(`piped 42 as ${ada.user.username}`));
      cli.child.stdin.end();
      expect(await cli.exit()).toBe(0);
      const id = DETACHED.exec(cli.stderr)?.[1];
      expect(id, cli.stderr).toBeDefined();

      const terminal = (await listed()).find((t) => t.id === id);
      expect(terminal).toMatchObject({ target: 'host:lab', state: 'running' });
      expect(Object.keys(terminal!)).toEqual(expect.arrayContaining(TERMINAL_JSON_KEYS));
      expect(Date.parse(terminal!.createdAt as string)).toBeGreaterThan(Date.now() - 120_000);

      // Closed while a CLI is attached: that one says it ended, and exits.
      const watching = labdeck('terminal', 'attach', id!, '--host', 'lab');
      await watching.waitFor(/piped 42/);
      const closed = await runLabdeck(['terminal', 'close', id!], env);
      expect(closed).toMatchObject({ code: 0, stdout: `Closed terminal ${id}.\n` });
      const code = await watching.exit();
      // The shell was hung up: its status says so (129 for SIGHUP), and is the CLI's.
      expect(watching.stderr).toMatch(/\[terminal ended: exit (\d+)\]\n$/);
      expect(code).toBe(Number(/exit (\d+)\]/.exec(watching.stderr)![1]));
      expect(code).not.toBe(0);
      const after = (await listed()).find((t) => t.id === id);
      expect(after?.state ?? 'gone').not.toBe('running');
    });

    it('opens a shell inside a session: its container, and its exit code is the exit status', async () => {
      const session = await ada.client.request('sessions:start', {
        hostId: 'lab',
        image: TEST_IMAGE,
        name: 'termbox',
      });
      if (!session.ok) throw new Error(session.error.message);
      const inspected = await host.dockerd.docker.getContainer(session.value.containerId).inspect();
      const hostname = inspected.Config.Hostname;
      expect(hostname).not.toBe('');

      const cli = labdeck('terminal', 'termbox');
      cli.type('cat /etc/hostname; echo "in $(cat /etc/hostname)"\n');
      await cli.waitFor(new RegExp(`in ${hostname}`));
      cli.type('exit 3\n');
      expect(await cli.exit()).toBe(3);
      expect(cli.stderr).toMatch(/\[terminal ended: exit 3\]\n$/);
    });

    it('on a terminal: raw mode, ~. detaches and restores it, a resize reaches the pty, and a new CLI sees the replay', async () => {
      const flag = join(scratch, 'resize-now');
      // The window starts at 120×40; once the flag exists it is resized to 90×30 (the kernel
      // sends the CLI SIGWINCH); after the CLI, `stty -a` shows the modes it left behind.
      const cli = inTerminal(
        (labdeckLine) =>
          `stty cols 120 rows 40; (while [ ! -e ${flag} ]; do sleep 0.1; done; stty cols 90 rows 30) </dev/tty & ${labdeckLine}; echo "after: $(stty -a)"`,
        'terminal',
        '--host',
        'lab',
      );
      const id = (
        await cli.waitFor(/Terminal ([0-9a-f]{12}) on host:lab; type ~\. at the start/)
      )[1]!;
      cli.type('echo hi-$((1 + 1)); stty size\r');
      await cli.waitFor(/hi-2\r*\n40 120/);

      // Ctrl+C reaches the shell (stopping its sleep), not the CLI: stdin is raw.
      cli.type('sleep 30\r');
      await cli.waitFor(/sleep 30/);
      cli.type('\u0003');
      cli.type('echo after-$((2 + 2))\r');
      await cli.waitFor(/after-4/);

      await writeFile(flag, '');
      const mark = cli.output.length;
      await until(
        'the new size inside the terminal',
        async () => {
          cli.type('stty size\r');
          await sleep(300);
          return /30 90/.test(cli.output.slice(mark)) ? true : undefined;
        },
        ANSWER_TIMEOUT_MS,
      );

      cli.type('\r~.');
      const detached = await cli.waitFor(DETACHED);
      expect(detached[1]).toBe(id);
      expect(await cli.exit()).toBe(0);
      const modes = cli.output.slice(cli.output.indexOf('after: '));
      expect(modes).toMatch(/(^|\s)icanon(\s|$)/);
      expect(modes).toMatch(/(^|\s)echo(\s|$)/);

      const terminal = await until('no client attached', async () => {
        const found = (await listed()).find((t) => t.id === id);
        return found?.attached === 0 ? found : undefined;
      });
      expect(terminal).toMatchObject({ state: 'running', target: 'host:lab', cols: 90, rows: 30 });

      // A new CLI process joins it and is shown what it printed while nobody watched.
      const again = labdeck('terminal', 'attach', id);
      await again.waitFor(/hi-2/);
      await again.waitFor(/after-4/);
      again.type('exit 5\n');
      expect(await again.exit()).toBe(5);
      expect(again.stderr).toContain('[terminal ended: exit 5]');
    });

    it('reattaches by itself when the SSH connection is cut, saying so, every line once', async () => {
      const cli = labdeck('terminal', '--host', 'lab');
      cli.type(
        'for i in $(seq 1 200); do echo "line-$i."; sleep 0.01; done; echo "all-$((1+1))-done."\n',
      );
      await cli.waitFor(/^line-30\.\r?$/m);
      // Kill the server side of the connection, as a dropped Wi-Fi ends it.
      await cutSshConnections(ada.user.username);

      await cli.waitFor(/^all-2-done\.\r?$/m);
      expect(cli.stderr).toMatch(/^\[reattaching…[^\n]*\]\n(.*\n)*\[attached\]\n/m);
      const lines = cli.stdout.match(/^line-\d+\.\r?$/gm) ?? [];
      expect(lines.map((l) => l.trim())).toEqual(
        Array.from({ length: 200 }, (_, i) => `line-${i + 1}.`),
      );
      cli.type('exit 7\n');
      expect(await cli.exit()).toBe(7);
    });

    it('holds the terminal back while its stdout is not read, instead of buffering the flood', async () => {
      const child = spawn(process.execPath, [CLI_BUNDLE, 'terminal', '--host', 'lab'], {
        env,
        stdio: 'pipe',
        detached: true,
      });
      let received = 0;
      let tail = '';
      child.stdout.on('data', (chunk: Buffer) => {
        received += chunk.length;
        tail = (tail + chunk.toString('latin1')).slice(-4096);
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        await until('a prompt', async () => (received > 0 ? true : undefined), ANSWER_TIMEOUT_MS);
        await sleep(500);
        const before = rssBytes(child.pid!);
        child.stdout.pause();
        child.stdin.write(
          `head -c ${FLOOD_BYTES} /dev/zero | tr '\\0' x; echo; echo "flood-$((1+1))-done"\n`,
        );
        await sleep(FLOOD_PAUSE_MS);
        const paused = rssBytes(child.pid!);
        expect(paused - before).toBeLessThan(PAUSED_MAX_GROWTH_BYTES);
        expect(received).toBeLessThan(PAUSED_MAX_GROWTH_BYTES);

        child.stdout.resume();
        await until(
          'the end of the flood',
          async () => (/flood-2-done/.test(tail) ? true : undefined),
          120_000,
        );
        expect(received).toBeGreaterThan(FLOOD_BYTES);
        child.stdin.write('exit\n');
        await exited;
        expect(child.exitCode).toBe(0);
      } finally {
        if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
      }
    });

    it('works through a running LabDeck: open, detach, attach again from another CLI, exit code', async () => {
      const runtime = await mkdtemp(join(scratch, 'xdg-'));
      const viaApp = { ...env, LABDECK_NO_APP: undefined, XDG_RUNTIME_DIR: runtime };
      const serve = await startBrowserMode(viaApp);
      try {
        const first = new Cli([process.execPath, CLI_BUNDLE, 'terminal', '--host', 'lab'], {
          ...viaApp,
          LABDECK_DEBUG: '1',
        });
        started.push(first);
        first.type('echo "via-app $((20 + 1))"\n');
        await first.waitFor(/via-app 21/);
        expect(first.stderr).toContain('via running LabDeck');
        first.child.stdin.end();
        expect(await first.exit()).toBe(0);
        const id = DETACHED.exec(first.stderr)?.[1];
        expect(id, first.stderr).toBeDefined();

        const again = new Cli([process.execPath, CLI_BUNDLE, 'terminal', 'attach', id!], viaApp);
        started.push(again);
        await again.waitFor(/via-app 21/);
        again.type('exit 4\n');
        expect(await again.exit()).toBe(4);
        expect(again.stderr).toContain('[terminal ended: exit 4]');
      } finally {
        await serve.stop();
      }
    });

    it('says what an id looks like before connecting, and names a missing terminal', async () => {
      const typo = await runLabdeck(['terminal', 'attach', 'nope'], env);
      expect(typo.code).toBe(2);
      expect(typo.stderr).toContain('"nope" is not a terminal id (12 hex digits');
      const neither = await runLabdeck(['terminal'], env);
      expect(neither.code).toBe(2);
      expect(neither.stderr).toContain('terminal needs SESSION, or --host HOST');
      const missing = await runLabdeck(['terminal', 'attach', '000000000000'], env);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/^error: .*000000000000/m);
    });
  },
);
