import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allocatorFigures } from './allocator';
import { bridgeRoundTrip } from './bridge-round-trip';
import { cliGpusBench } from './cli-gpus';
import { cliStartup } from './cli-startup';
import { measure, report, type FigureResult } from './bench-harness';
import { gpuInventoryBench } from './gpu-inventory';
import { sessionLaunchBench } from './session-launch';
import { terminalBench } from './terminal-bench';

/** The agent bundle built next to this benchmark (out/bench → out/agent). */
const AGENT_BUNDLE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'agent',
  'labdeck-agent.cjs',
);

/** The CLI built next to this benchmark (out/bench → out/cli). */
const CLI_BUNDLE = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'labdeck.js');

type Row = FigureResult & { subjectName: string; baselineName: string };

/**
 * `npm run bench`: every figure is printed as a ratio to a baseline measured in the same run on
 * the same machine, so numbers compare across machines and over time.
 */
async function main(): Promise<void> {
  const results: Row[] = [];
  const cli = cliStartup(CLI_BUNDLE);
  const startup = await measure({
    name: 'CLI start: labdeck version',
    ...cli,
    iterations: 40,
    target: 1.5,
  });
  results.push({ ...startup, subjectName: cli.subject.name, baselineName: cli.baseline.name });
  const bridge = await bridgeRoundTrip();
  try {
    const result = await measure({
      name: 'Empty request round trip (browser mode)',
      ...bridge,
      iterations: 4000,
    });
    results.push({
      ...result,
      subjectName: bridge.subject.name,
      baselineName: bridge.baseline.name,
    });
  } finally {
    await bridge.close();
  }
  for (const figure of allocatorFigures()) {
    const result = await measure(figure);
    results.push({
      ...result,
      subjectName: figure.subject.name,
      baselineName: figure.baseline.name,
    });
  }
  if (process.getuid?.() === 0) {
    const gpu = await gpuInventoryBench(AGENT_BUNDLE);
    try {
      const warm = await measure({
        name: 'Warm GPU inventory refresh (SSH host)',
        ...gpu.warm,
        iterations: 60,
        target: 0.2,
      });
      results.push({
        ...warm,
        subjectName: gpu.warm.subject.name,
        baselineName: gpu.warm.baseline.name,
      });
      const cold = await measure({
        name: 'Cold connect to first GPU inventory (SSH host)',
        ...gpu.cold,
        iterations: 12,
        target: 1.5,
      });
      results.push({
        ...cold,
        subjectName: gpu.cold.subject.name,
        baselineName: gpu.cold.baseline.name,
      });
      results.push(await gpu.measureWhileWatched());
      results.push(...(await cliGpusBench(CLI_BUNDLE, AGENT_BUNDLE)));
    } finally {
      await gpu.close();
    }
    results.push(...(await sessionLaunchBench()));
    results.push(...(await terminalBench()));
  } else {
    process.stdout.write(
      '(GPU figures skipped: they start their own sshd and test user, which needs root)\n',
    );
  }
  process.stdout.write(
    `LabDeck benchmarks (Node ${process.version}, ${process.platform}/${process.arch})\n\n`,
  );
  process.stdout.write(report(results));
}

await main();
