import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '../common/contract/client';
import { createInProcessTransport } from '../main/bridge/in-process-transport';
import { MemorySecretStore } from '../main/secrets/secret-store';
import { createServices, type Services } from '../main/services';
import { startSshd } from '../test/harness/sshd';
import { createGpuTestUser } from '../test/harness/gpu-host';
import { type Contender, type FigureResult, measure } from './bench-harness';
import { openSshOneShot } from './ssh-one-shot';

/** The telemetry period main asks for (main/gpus), waited out twice before measuring. */
const TELEMETRY_PERIOD_MS = 1_000;

/** Everything both GPU figures share: a real sshd, a user whose PATH has the replaying nvidia-smi. */
export interface GpuBench {
  readonly warm: { subject: Contender; baseline: Contender };
  readonly cold: { subject: Contender; baseline: Contender };
  /** The warm refresh again, measured while the host's telemetry loop runs; call it last. */
  measureWhileWatched(): Promise<FigureResult & { subjectName: string; baselineName: string }>;
  close(): Promise<void>;
}

/**
 * GPU inventory over a real OpenSSH server on loopback. Baseline for both figures: what a
 * researcher types today, a one-shot `ssh host nvidia-smi --query-gpu=…` (a fresh OpenSSH
 * handshake each time). Subjects: a warm refresh on LabDeck's open connection (agent already
 * running), and a cold start (new services, SSH handshake, probe, agent hello, inventory) with
 * the agent bundle already cached on the host.
 */
export async function gpuInventoryBench(agentBundlePath: string): Promise<GpuBench> {
  const sshd = await startSshd();
  const user = await createGpuTestUser('bench');
  const dir = await mkdtemp(join(tmpdir(), 'labdeck-bench-gpu-'));
  const knownHosts = join(dir, 'known_hosts');
  await writeFile(knownHosts, `[${sshd.host}]:${sshd.port} ${sshd.hostPublicKey}\n`);

  const servicesFor = (home: string): { services: Services; client: Client } => {
    const services = createServices({
      home,
      mode: 'cli',
      secrets: new MemorySecretStore(),
      env: { PATH: process.env.PATH },
      userHome: dir,
      agentBundlePath,
      prompt: async (r) =>
        r.kind === 'host-key-unknown' ? { kind: 'trust', trust: true } : { kind: 'cancelled' },
    });
    return { services, client: createClient(createInProcessTransport(services).transport) };
  };
  const addHost = async (client: Client): Promise<void> => {
    const added = await client.request('hosts:add', {
      name: 'bench',
      user: user.username,
      hostname: sshd.host,
      port: sshd.port,
      identityFile: user.privateKeyPath,
    });
    if (!added.ok) throw new Error(added.error.message);
  };
  const inventory = async (client: Client): Promise<void> => {
    const result = await client.request('gpus:list', { hostId: 'bench' });
    if (!result.ok || result.value.gpus.length === 0) throw new Error('inventory failed');
  };

  const warmHome = join(dir, 'warm');
  const warm = servicesFor(warmHome);
  await addHost(warm.client);
  await inventory(warm.client); // connects, uploads the agent once, starts its daemon

  const oneShot = openSshOneShot({
    host: sshd.host,
    port: sshd.port,
    username: user.username,
    privateKeyPath: user.privateKeyPath,
    knownHosts,
  });
  let coldRun = 0;
  return {
    warm: {
      subject: { name: 'gpus:list on an open connection', run: () => inventory(warm.client) },
      baseline: oneShot,
    },
    cold: {
      subject: {
        name: 'new LabDeck: connect, probe, agent hello, gpus:list (agent cached)',
        run: async () => {
          const home = join(dir, `cold-${coldRun++}`);
          await mkdir(home);
          await writeFile(
            join(home, 'known_hosts'),
            `[${sshd.host}]:${sshd.port} ${sshd.hostPublicKey}\n`,
          );
          const cold = servicesFor(home);
          try {
            await addHost(cold.client);
            await inventory(cold.client);
          } finally {
            await cold.services.dispose();
          }
        },
      },
      baseline: oneShot,
    },
    async measureWhileWatched() {
      // The host's one agent serves every LabDeck, so this loop warms all later figures too.
      let ticked: () => void = () => undefined;
      const firstTick = new Promise<void>((resolve) => (ticked = resolve));
      const unlisten = warm.client.listen('gpus:telemetry', { hostId: 'bench' }, { event: ticked });
      try {
        await firstTick;
        await inventory(warm.client); // someone asks: compute apps are now sampled per tick
        await new Promise((resolve) => setTimeout(resolve, 2 * TELEMETRY_PERIOD_MS));
        const subject: Contender = {
          name: 'gpus:list on an open connection, telemetry loop running',
          run: () => inventory(warm.client),
        };
        const figure = {
          name: 'Warm GPU inventory while the telemetry loop runs (SSH host)',
          subject,
          baseline: oneShot,
        };
        const result = await measure({ ...figure, iterations: 60, target: 0.05 });
        return { ...result, subjectName: subject.name, baselineName: oneShot.name };
      } finally {
        unlisten();
      }
    },
    async close() {
      await warm.services.dispose();
      await sshd.stop();
      await user.cleanUp();
      await user.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
