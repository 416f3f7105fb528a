import { spawn } from 'node:child_process';
import type { AgentRegistry } from '../rpc/agent-registry';
import { sharedTopic } from '../rpc/shared-topic';
import { classifyDriverFailure } from './classify-driver-failure';
import { type InventorySources } from './gpu-inventory';
import { telemetryArgv } from './nvidia-smi-query';
import { TelemetryLineParser } from './telemetry-lines';
import { WarmInventory } from './warm-inventory';

/** Most stderr kept from the telemetry process, for the error it ends with. */
const STDERR_TAIL_CHARS = 4_000;

/**
 * Registers `gpu.inventory` and the `gpu.telemetry` topic. Telemetry is ONE long-running
 * `nvidia-smi --query-gpu=… -lms N` per period, shared by every subscriber and killed when the
 * last one leaves — not a process per tick.
 */
export function registerGpuMethods(registry: AgentRegistry, sources: InventorySources): void {
  const warm = new WarmInventory(sources);
  registry.handle('gpu.inventory', () => warm.inventory());

  registry.publish(
    'gpu.telemetry',
    sharedTopic({
      key: ({ intervalMs }) => String(intervalMs),
      replayLatest: true,
      start: ({ intervalMs }, sink) => {
        const child = spawn(sources.nvidiaSmi, [...telemetryArgv(intervalMs)], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const loop = warm.startLoop(intervalMs);
        const parser = new TelemetryLineParser({ intervalMs, learnGpuCount: true });
        let stderr = '';
        let spawnError: string | null = null;
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => {
          for (const tick of parser.push(chunk)) {
            if (!tick.ok) continue;
            loop.tick(tick.value);
            sink.emit(tick.value);
          }
        });
        child.stderr.setEncoding('utf8');
        child.stderr.on(
          'data',
          (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS)),
        );
        child.on('error', (error: NodeJS.ErrnoException) => (spawnError = error.code ?? 'EFAULT'));
        child.on('close', (exitCode) => {
          loop.stop();
          const failure = classifyDriverFailure({
            exitCode,
            stdout: '',
            stderr,
            spawnErrorCode: spawnError,
          });
          sink.end(
            failure ?? {
              code: 'gpu-telemetry-ended',
              message: `nvidia-smi stopped sending telemetry (exit ${exitCode}).`,
              hint: 'Watch the GPUs again; if it repeats, run `nvidia-smi -lms 1000` on the host to see why.',
            },
          );
        });
        return () => {
          loop.stop();
          child.removeAllListeners('close');
          child.kill('SIGTERM');
        };
      },
    }),
  );
}
