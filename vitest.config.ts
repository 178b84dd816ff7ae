import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/dynamodb-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: {
      // Handlers log through Powertools; tests that inspect logs turn them on themselves.
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      // Every local system of the run records the IAM grants its calls used, for `npm run iam-report` (emptied by the global set-up).
      BHXH_IAM_USAGE_DIR: fileURLToPath(new URL('.iam-usage', import.meta.url)),
    },
  },
});
