import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Property tests: a fixed seed in CI so a run is reproducible; a fresh one elsewhere to keep exploring.
    setupFiles: ['../../tooling/vitest/fast-check-seed.ts'],
  },
});
