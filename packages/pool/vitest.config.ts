import { defineConfig } from 'vitest/config';

// Redis-backed tests start their own redis-server and worker processes; one file at a time keeps them apart.
export default defineConfig({ test: { fileParallelism: false, testTimeout: 20_000, hookTimeout: 30_000 } });
