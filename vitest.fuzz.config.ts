/** The domain's properties, each run FUZZ_FACTOR (default 100) times longer: `npm run fuzz` (test/support/fast-check-fuzz.ts). */
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import domain from './vitest.domain.config.ts';

export default mergeConfig(
  domain,
  defineConfig({
    resolve: { alias: [{ find: /^fast-check$/, replacement: fileURLToPath(new URL('test/support/fast-check-fuzz.ts', import.meta.url)) }] },
    test: { testTimeout: 1_800_000 },
  }),
);
