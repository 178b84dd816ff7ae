/** The domain's tests alone: pure, no DynamoDB Local. Used by mutation testing (npm run mutation). */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/domain/**/*.test.ts'],
    pool: 'forks',
  },
});
