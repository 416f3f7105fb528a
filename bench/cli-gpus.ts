import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gpuQueryArgv } from '../agent-bundle/gpu/nvidia-smi-query';
import { commandLine } from '../common/shell/shell-quote';
import { startLocalSocketServer } from '../main/local-socket/local-socket-server';
import { MemorySecretStore } from '../main/secrets/secret-store';
import { createServices } from '../main/services';
import { createGpuTestUser } from '../test/harness/gpu-host';
import { startSshd } from '../test/harness/sshd';
import { type Contender, type FigureResult, measure } from './bench-harness';
import { openSshOneShot } from './ssh-one-shot';

const run = promisify(execFile);

/** Where `import 'ssh2'` in {@link NODE_SSH_FLOOR} resolves: the repository's node_modules. */
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The least a Node program can do for `gpus HOST`: load ssh2, log in with a key (Nagle off, as
 * LabDeck's own connections), exec the query, print. No host-key check, probe or agent: a floor,
 * not something LabDeck should ship.
 */
const NODE_SSH_FLOOR = `
import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
const [host, port, username, key, command] = process.argv.slice(1);
const client = new ssh2.Client();
client.on('ready', () => client.exec(command, (error, stream) => {
  if (error) throw error;
  stream.on('data', (d) => process.stdout.write(d)).on('close', () => client.end());
  stream.stderr.resume();
}));
client.connect({ host, port: Number(port), username, privateKey: readFileSync(key) });
client.setNoDelay(true);
`;

/**
 * A whole `labdeck gpus HOST --json` process, as a researcher's script calls it in a loop, over a
 * real sshd on loopback, against the OpenSSH one-shot `ssh HOST nvidia-smi --query-gpu=…`: once
 * with a running LabDeck for the same settings folder (its local socket and open SSH connection
 * answer), once with LABDECK_NO_APP=1 (connect, probe, agent hello in the process).
 */
export async function cliGpusBench(
  cliBundle: string,
  agentBundlePath: string,
): Promise<(FigureResult & { subjectName: string; baselineName: string })[]> {
  const sshd = await startSshd();
  const user = await createGpuTestUser('benchcli');
  const home = await mkdtemp(join(tmpdir(), 'labdeck-bench-cli-'));
  const runtime = await mkdtemp(join(tmpdir(), 'labdeck-bench-xdg-'));
  const knownHosts = join(home, 'known_hosts');
  await writeFile(knownHosts, `[${sshd.host}]:${sshd.port} ${sshd.hostPublicKey}\n`);
  const env = { PATH: process.env.PATH, HOME: home, LABDECK_HOME: home, XDG_RUNTIME_DIR: runtime };
  const services = createServices({
    home,
    mode: 'browser',
    secrets: new MemorySecretStore(),
    env,
    userHome: home,
    agentBundlePath,
  });
  const server = await startLocalSocketServer({ services, home, env });
  try {
    if (!server) throw new Error('the local socket server did not start');
    const cli = (viaApp: boolean): Contender => ({
      name: viaApp
        ? '`labdeck gpus HOST --json` with a running LabDeck'
        : '`labdeck gpus HOST --json`, none running (LABDECK_NO_APP=1)',
      run: async () => {
        const { stdout } = await run(process.execPath, [cliBundle, 'gpus', 'bench', '--json'], {
          env: viaApp ? env : { ...env, LABDECK_NO_APP: '1' },
        });
        if (!stdout.includes('GPU-')) throw new Error('labdeck gpus printed no GPU');
      },
    });
    const oneShot = openSshOneShot({
      host: sshd.host,
      port: sshd.port,
      username: user.username,
      privateKeyPath: user.privateKeyPath,
      knownHosts,
    });
    const added = await services.dispatcher.request(
      'hosts:add',
      {
        name: 'bench',
        user: user.username,
        hostname: sshd.host,
        port: sshd.port,
        identityFile: user.privateKeyPath,
      },
      { peerId: 'bench' },
    );
    if (!added.ok) throw new Error(added.error.message);
    await cli(true).run(); // the running LabDeck connects once, uploads and starts the agent
    const floor: Contender = {
      name: 'a bare Node process: load ssh2, log in with the key, exec the same nvidia-smi',
      run: async () => {
        const { stdout } = await run(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            NODE_SSH_FLOOR,
            sshd.host,
            String(sshd.port),
            user.username,
            user.privateKeyPath,
            commandLine(['nvidia-smi', ...gpuQueryArgv()]),
          ],
          { cwd: REPO_ROOT },
        );
        if (!stdout.includes('GPU-')) throw new Error('the bare ssh2 process printed no GPU');
      },
    };
    const rows = [];
    // Informs the no-app target: what any fresh Node process pays before LabDeck adds anything.
    const floorResult = await measure({
      name: 'Floor for a fresh CLI process (SSH host)',
      subject: floor,
      baseline: oneShot,
      iterations: 20,
    });
    rows.push({ ...floorResult, subjectName: floor.name, baselineName: oneShot.name });
    for (const [viaApp, target] of [
      [true, 0.5],
      [false, 1.5],
    ] as const) {
      const subject = cli(viaApp);
      const name = viaApp
        ? 'CLI `gpus --json` through a running LabDeck (SSH host)'
        : 'CLI `gpus --json` with no LabDeck running (SSH host)';
      const result = await measure({ name, subject, baseline: oneShot, iterations: 20, target });
      rows.push({ ...result, subjectName: subject.name, baselineName: oneShot.name });
    }
    return rows;
  } finally {
    await server?.close();
    await services.dispose();
    await sshd.stop();
    await user.cleanUp();
    await user.dispose();
    await rm(home, { recursive: true, force: true });
    await rm(runtime, { recursive: true, force: true });
  }
}
