import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Two end-to-end files each run real miners and a validator on 2 cores: one test file at a time.
    fileParallelism: false,
  },
});
