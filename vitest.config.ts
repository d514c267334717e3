import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests create network namespaces and spawn servers: keep files from stepping on each other.
    fileParallelism: true,
    pool: 'forks',
  },
});
