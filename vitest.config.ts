import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one on this 2-core machine. The files are I/O-bound on
    // DynamoDB Local (its own process), so two run side by side: 289 s against 336 s for the whole suite.
    maxWorkers: 2,
    env: {
      // Handlers log through Powertools; tests that inspect logs turn them on themselves.
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      // Every local system of the run records the IAM grants its calls used, for `npm run iam-report` (emptied by the global set-up).
      BHXH_IAM_USAGE_DIR: fileURLToPath(new URL('.iam-usage', import.meta.url)),
    },
  },
});
