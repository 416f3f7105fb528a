import { bridgeRoundTrip } from './bridge-round-trip';
import { measure, report } from './bench-harness';

/**
 * `npm run bench`: every figure is printed as a ratio to a baseline measured in the same run on
 * the same machine, so numbers compare across machines and over time.
 */
async function main(): Promise<void> {
  const results = [];
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
  process.stdout.write(
    `LabDeck benchmarks (Node ${process.version}, ${process.platform}/${process.arch})\n\n`,
  );
  process.stdout.write(report(results));
}

await main();
