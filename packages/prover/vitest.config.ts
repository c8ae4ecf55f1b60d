import { defineConfig } from 'vitest/config';

// Real proofs take about a second each on 2 cores; several run per test.
export default defineConfig({
  test: { pool: 'forks', testTimeout: 60_000, hookTimeout: 120_000 },
});
