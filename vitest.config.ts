import { defineConfig } from 'vitest/config';

export default defineConfig({
  // As the build bundles it: the SSH transport's remote program (a .sh file) is imported as its text.
  plugins: [{ name: 'sh-as-text', transform: (code, id) => (id.endsWith('.sh') ? { code: `export default ${JSON.stringify(code)};`, map: null } : undefined) }],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests create network namespaces and spawn servers: keep files from stepping on each other.
    fileParallelism: true,
    pool: 'forks',
  },
});
