import { defineConfig } from 'vitest/config';

const ci = process.env.CI === 'true' || process.env.CI === '1';

export default defineConfig({
  test: {
    include: [
      'engine/src/**/*.test.ts',
      'runtime/src/**/*.test.ts',
      'packages/*/src/**/*.test.ts',
      'test/integration/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    globalSetup: ['test/setup/global-postgres.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    // Two cores: separate processes (native modules and PGlite's WASM behave best in forks), two at a time.
    pool: 'forks',
    maxWorkers: 2,
    // Under CI: plain, append-only output (no live-updating summary), plus annotations on GitHub.
    reporters: ci
      ? [['default', { summary: false }], ...(process.env.GITHUB_ACTIONS ? ['github-actions'] : [])]
      : ['default'],
  },
});
