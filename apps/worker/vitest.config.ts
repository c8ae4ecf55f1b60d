import { defineConfig } from 'vitest/config';

// The end-to-end test runs worker processes and a redis-server of its own: one file at a time.
export default defineConfig({ test: { fileParallelism: false, testTimeout: 60_000, hookTimeout: 300_000 } });
