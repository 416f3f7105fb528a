import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type Dockerode from 'dockerode';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { AppFailure } from '../../../common/contract/result';
import {
  dockerSocketPath,
  startContainerShell,
} from '../../../agent-bundle/terminals/container-shell';
import type { TerminalProcess } from '../../../agent-bundle/terminals/terminal-process';
import {
  describeWithParts,
  ensureTestImage,
  execInContainer,
  sharedDockerd,
  TEST_IMAGE,
  until,
  type DockerEngine,
} from '../../harness';

/** How long a shell may take to answer a typed line. */
const ANSWER_TIMEOUT_MS = 10_000;
/** The size the shells are opened at: not 80×24, so a default cannot pass for it. */
const OPEN_COLS = 91;
const OPEN_ROWS = 27;
/** The session's user and working directory, as the container was created with them. */
const SESSION_UID = 65534;
const SESSION_DIR = '/tmp';
/** Output the backpressure test makes: far more than any buffer on the way holds. */
const FLOOD_BYTES = 8_000_000;
/** What may pile up in the output while nobody reads it: buffers, not the flood. */
const PAUSED_MAX_BUFFERED_BYTES = 1024 * 1024;

/** What a user sees of a terminal: its output so far, and a way to wait for a line. */
class Screen {
  text = '';
  bytes = 0;
  readonly ended: Promise<void>;

  constructor(readonly shell: TerminalProcess) {
    shell.output.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
      this.text += chunk.toString('latin1');
    });
    this.ended = new Promise((resolve) => shell.output.once('end', () => resolve()));
  }

  type(line: string): void {
    this.shell.input.write(`${line}\r`);
  }

  /** Waits until the output after offset `from` matches `pattern`; returns the match. */
  async waitFor(pattern: RegExp, from = 0): Promise<RegExpExecArray> {
    const end = Date.now() + ANSWER_TIMEOUT_MS;
    for (;;) {
      const match = pattern.exec(this.text.slice(from));
      if (match) return match;
      if (Date.now() > end) {
        throw new Error(`no ${pattern} in the terminal's output:\n${this.text.slice(-2000)}`);
      }
      await sleep(20);
    }
  }
}

describeWithParts(
  ['root', 'dockerd', 'busybox'],
  'a shell in a container over the exec API',
  () => {
    let engine: DockerEngine;
    let container: Dockerode.Container;
    let stopped: Dockerode.Container;
    /** Runs as root, so a test can give its image a bash. */
    let rooted: Dockerode.Container;
    let dir: string;
    const open: TerminalProcess[] = [];

    const startShell = async (container: string): Promise<Screen> => {
      const shell = await startContainerShell({
        socketPath: engine.socketPath,
        container,
        cols: OPEN_COLS,
        rows: OPEN_ROWS,
      });
      open.push(shell);
      const screen = new Screen(shell);
      screen.type('echo READY-$((2+3))');
      await screen.waitFor(/READY-5/);
      return screen;
    };

    /** The code startContainerShell fails with, or 'opened'. */
    const failureCode = async (socketPath: string, id: string): Promise<string> => {
      try {
        const shell = await startContainerShell({ socketPath, container: id, cols: 80, rows: 24 });
        shell.kill();
        return 'opened';
      } catch (error) {
        expect(error).toBeInstanceOf(AppFailure);
        expect((error as AppFailure).hint).toBeTruthy();
        return `${(error as AppFailure).code}: ${(error as AppFailure).message}`;
      }
    };

    beforeAll(async () => {
      engine = await sharedDockerd();
      await ensureTestImage(engine.docker);
      const create = (name: string, user = String(SESSION_UID)) =>
        engine.docker.createContainer({
          Image: TEST_IMAGE,
          name: `labdeck-shell-${name}-${process.pid}`,
          Cmd: ['sleep', '3600'],
          User: user,
          WorkingDir: SESSION_DIR,
          HostConfig: { NetworkMode: 'none' },
        });
      [container, stopped, rooted] = await Promise.all([
        create('running'),
        create('stopped'),
        create('root', 'root'),
      ]);
      await Promise.all([container.start(), rooted.start()]);
      dir = await mkdtemp(join(tmpdir(), 'labdeck-shell-'));
    });
    afterEach(() => {
      for (const shell of open.splice(0)) shell.kill();
    });
    afterAll(async () => {
      await Promise.all([container, stopped, rooted].map((each) => each?.remove({ force: true })));
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('runs what is typed, as the container user in its working directory, with TERM set', async () => {
      const screen = await startShell(container.id);
      screen.type('echo $((6*7))');
      await screen.waitFor(/\r\n42\r\n/);
      screen.type('echo "who=$(id -u) dir=$(pwd) term=$TERM color=$COLORTERM"');
      const match = await screen.waitFor(/\r\nwho=(\d+) dir=(\S+) term=(\S+) color=(\S+)\r\n/);
      expect(match.slice(1)).toEqual([
        String(SESSION_UID),
        SESSION_DIR,
        'xterm-256color',
        'truecolor',
      ]);
    });

    it('starts bash as a login shell where the image has /bin/bash', async () => {
      // A stand-in bash that says how it was started, then is the busybox shell.
      const fakeBash = '#!/bin/sh\necho "bash-args:$*"\nexec /bin/sh\n';
      const install = ['sh', '-c', `printf '%s' '${fakeBash}' > /bin/bash && chmod 755 /bin/bash`];
      expect((await execInContainer(engine.docker, rooted, install)).exitCode).toBe(0);
      const screen = await startShell(rooted.id);
      expect(screen.text).toMatch(/bash-args:-l\r\n/);
    });

    it('opens at the requested size and follows a resize', async () => {
      const screen = await startShell(container.id);
      screen.type('stty size');
      await screen.waitFor(new RegExp(`\\r\\n${OPEN_ROWS} ${OPEN_COLS}\\r\\n`));
      const from = screen.text.length;
      await screen.shell.resize(100, 30);
      screen.type('stty size');
      await screen.waitFor(/\r\n30 100\r\n/, from);
    });

    it('reports the exit code of `exit 3` and ends the output', async () => {
      const screen = await startShell(container.id);
      screen.type('exit 3');
      await screen.ended;
      expect(await screen.shell.exited).toBe(3);
      await expect(screen.shell.resize(80, 24)).rejects.toThrow(/resize the terminal to 80×24/);
    });

    it('kill() hangs up: the shell and what runs in its foreground are gone', async () => {
      const screen = await startShell(container.id);
      screen.type('echo "pid=$$"; cat');
      const pid = (await screen.waitFor(/\r\npid=(\d+)\r\n/))[1]!;
      const running = async (cmd: string[]) =>
        (await execInContainer(engine.docker, container, cmd)).exitCode === 0;
      await until('cat to start', async () =>
        (await running(['pidof', 'cat'])) ? true : undefined,
      );
      expect(await running(['kill', '-0', pid])).toBe(true);
      screen.shell.kill();
      await screen.ended;
      expect(await screen.shell.exited).toBeNull();
      expect(await running(['kill', '-0', pid])).toBe(false);
      expect(await running(['pidof', 'cat'])).toBe(false);
    });

    it('stops the shell while nobody reads its output, and loses nothing', async () => {
      const screen = await startShell(container.id);
      screen.shell.output.pause();
      screen.type(`head -c ${FLOOD_BYTES} /dev/zero | tr '\\0' x; echo; echo FLOOD-$((1+1))`);
      await sleep(1_000);
      expect(screen.shell.output.readableLength).toBeLessThan(PAUSED_MAX_BUFFERED_BYTES);
      // The writer inside the container is blocked on the full pty, not finished.
      expect((await execInContainer(engine.docker, container, ['pidof', 'tr'])).exitCode).toBe(0);
      const before = screen.bytes;
      screen.shell.output.resume();
      await screen.waitFor(/\r\nFLOOD-2\r\n/);
      expect(screen.bytes - before).toBeGreaterThan(FLOOD_BYTES);
    });

    it('fails with container-not-found, session-not-running or docker-unreachable', async () => {
      const missing = 'deadbeef'.repeat(8);
      expect(await failureCode(engine.socketPath, missing)).toMatch(
        /^container-not-found: Container deadbeefdead does not exist/,
      );
      expect(await failureCode(engine.socketPath, stopped.id)).toMatch(
        new RegExp(`^session-not-running: Container ${stopped.id.slice(0, 12)} is not running`),
      );
      expect(await failureCode(join(dir, 'no-docker.sock'), container.id)).toMatch(
        /^docker-unreachable: Could not reach Docker at .*no-docker\.sock: ENOENT/,
      );
    });

    it('finds the socket in DOCKER_HOST, and refuses one that is not a Unix socket', () => {
      expect(dockerSocketPath({})).toBe('/var/run/docker.sock');
      expect(dockerSocketPath({ DOCKER_HOST: engine.dockerHost })).toBe(engine.socketPath);
      expect(dockerSocketPath({ DOCKER_HOST: 'tcp://127.0.0.1:2375' })).toBeUndefined();
    });
  },
);
