import { defineConfig } from 'vitest/config';

const ci = process.env.CI === 'true' || process.env.CI === '1';
const CRASH_TEST = 'test/integration/workflow/crash.test.ts';

export default defineConfig({
  test: {
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
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: [
            'engine/src/**/*.test.ts',
            'runtime/src/**/*.test.ts',
            'packages/*/src/**/*.test.ts',
            'test/integration/**/*.test.ts',
          ],
          exclude: [CRASH_TEST],
        },
      },
      {
        // Server processes killed and restarted: alone, after the others, so no browser test or
        // database-heavy suite starves its workers of the two cores.
        extends: true,
        test: {
          name: 'crash',
          include: [CRASH_TEST],
          sequence: { groupOrder: 1 },
        },
      },
      {
        // Headless Chromium against the real server; the setup builds the web apps when stale.
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // a browser test walks through many pages; two cores shared with the database and the bundle
          testTimeout: 120_000,
          // expect.poll waits as long as a browser step may (its default, 1 s, is one slow refetch under load)
          expect: { poll: { timeout: 45_000 } },
          globalSetup: ['test/setup/global-postgres.ts', 'test/setup/global-web.ts'],
        },
      },
    ],
  },
});
