import { defineConfig } from 'vitest/config';

/**
 * Three projects, run in this order by `npm test`:
 * - unit: pure logic and services against the real filesystem; fast, no daemons;
 * - integration: real parts (OpenSSH server, Docker engine, users, XFS), started by test/harness;
 * - e2e: the browser-mode server driven in real Chromium through playwright-core.
 * With CI=true a missing real part fails its test instead of skipping it (test/harness/require-part.ts).
 */
export default defineConfig({
  test: {
    // The JSON report lets .ci/run print a plain "N passed, N failed" line at the end.
    reporters: ['default', 'json'],
    outputFile: { json: 'out/test-results.json' },
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/integration/**', 'test/e2e/**', 'node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          environment: 'node',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
