import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSessionHost } from '../test/harness/session-host';
import { TEST_IMAGE } from '../test/harness/test-image';
import type { FigureResult } from './bench-harness';
import { dockerCli } from './docker-cli';
import { quietLogin } from './session-host-login';

/** Timed launches per side; each is followed by an untimed removal. */
const ITERATIONS = 20;
/** Untimed launches per side first: the engine's and sshd's caches, the JIT. */
const WARMUP = 2;
/** The GPU share LabDeck asks for, so allocation, lease and labels are all on the path. */
const SESSION_GPUS = '0.5';
/**
 * Issue 9's goal: half the CLI's time, since the open connection saves the SSH handshake, the
 * login shell and the remote CLI's start that every `docker -H ssh://` pays.
 */
const TARGET_RATIO = 0.5;
/** What the Docker CLI's containers run: alive until removed, as a session is. */
const CLI_COMMAND = ['sh', '-c', 'sleep 3600'];

type Row = FigureResult & { subjectName: string; baselineName: string };

/** One side: a timed launch returning what to remove, and the untimed removal. */
interface Launcher {
  readonly name: string;
  launch(): Promise<string>;
  remove(id: string): Promise<void>;
}

/** Milliseconds of each timed launch, the removal after it untimed. */
async function timeLaunch(side: Launcher, into: number[]): Promise<void> {
  const start = performance.now();
  const id = await side.launch();
  into.push(performance.now() - start);
  await side.remove(id);
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
}

/** "min 100 / max 140 ms", so a run disturbed by the machine's load shows. */
function spread(values: readonly number[]): string {
  return `min ${Math.min(...values).toFixed(0)} / max ${Math.max(...values).toFixed(0)} ms`;
}

/** A figure from launches timed here, its spread beside the ratio (the harness prints medians). */
function figureRow(
  name: string,
  subjectName: string,
  baselineName: string,
  subjectMs: readonly number[],
  baselineMs: readonly number[],
  target?: number,
): Row {
  const subjectMedianMs = median(subjectMs);
  const baselineMedianMs = median(baselineMs);
  return {
    name,
    subjectName,
    baselineName,
    subjectMedianMs,
    baselineMedianMs,
    ratio: subjectMedianMs / baselineMedianMs,
    ...(target === undefined ? {} : { target }),
    ratioNote: `${subjectMs.length} each; subject ${spread(subjectMs)}, baseline ${spread(baselineMs)}`,
  };
}

/**
 * Session launch over SSH: LabDeck's `sessions:start` for 0.5 GPU on an open connection (image
 * check, GPU inventory, host-wide lease, label read, allocation, create, start, list) against
 * `docker -H ssh://USER@HOST run -d --gpus device=UUID` of the same image, with the local
 * `docker -H unix://SOCKET run -d` on the same engine as the floor. Sides alternate every round.
 */
export async function sessionLaunchBench(): Promise<Row[]> {
  const host = await startSessionHost(2);
  const dir = await mkdtemp(join(tmpdir(), 'labdeck-bench-launch-'));
  try {
    const { user, client } = await host.addUser('benchlaunch');
    await quietLogin(user.home);
    const { sshd, dockerd } = host;
    const login = { ...sshd, privateKeyPath: user.privateKeyPath };
    const gpuOption = ['--gpus', `device=${host.uuids[0]!}`];
    const overSshRun = await dockerCli(
      join(dir, 'ssh'),
      `ssh://${user.username}@${sshd.host}:${sshd.port}`,
      login,
    );
    const localRun = await dockerCli(join(dir, 'local'), dockerd.dockerHost);
    const removeContainer = (id: string) => dockerd.docker.getContainer(id).remove({ force: true });
    const overSsh: Launcher = {
      name: '`docker -H ssh://USER@HOST run -d --gpus device=UUID IMAGE`',
      launch: () => overSshRun(TEST_IMAGE, gpuOption, CLI_COMMAND),
      remove: removeContainer,
    };
    const floor: Launcher = {
      name: 'local `docker -H unix://SOCKET run -d --gpus device=UUID IMAGE`',
      launch: () => localRun(TEST_IMAGE, gpuOption, CLI_COMMAND),
      remove: removeContainer,
    };
    const labdeck: Launcher = {
      name: `sessions:start (${SESSION_GPUS} GPU) on an open connection, until running`,
      launch: async () => {
        const input = { hostId: 'lab', image: TEST_IMAGE, gpus: SESSION_GPUS };
        const started = await client.request('sessions:start', input);
        if (!started.ok) throw new Error(`sessions:start failed: ${started.error.message}`);
        if (started.value.status !== 'running')
          throw new Error(`sessions:start returned a ${started.value.status} session`);
        return started.value.id;
      },
      remove: async (id) => {
        const removed = await client.request('sessions:remove', { session: id, hostId: 'lab' });
        if (!removed.ok) throw new Error(`sessions:remove failed: ${removed.error.message}`);
      },
    };
    const connected = await client.request('hosts:connect', { hostId: 'lab' });
    if (!connected.ok) throw new Error(`could not connect to the host: ${connected.error.message}`);
    const sides = [overSsh, floor, labdeck] as const;
    const times = new Map<Launcher, number[]>(sides.map((side) => [side, []]));
    for (let i = 0; i < WARMUP; i++) for (const side of sides) await timeLaunch(side, []);
    for (let i = 0; i < ITERATIONS; i++)
      for (const side of sides) await timeLaunch(side, times.get(side)!);
    const against = (name: string, subject: Launcher, target?: number): Row =>
      figureRow(name, subject.name, overSsh.name, times.get(subject)!, times.get(overSsh)!, target);
    return [
      against('Floor for a session launch: the same engine, no SSH', floor),
      against(`Session launch to running (SSH host, ${SESSION_GPUS} GPU)`, labdeck, TARGET_RATIO),
    ];
  } finally {
    await host.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
