// Vitest global setup: one real PostgreSQL server for the whole test run.
//
// - If CRM_TEST_POSTGRES_URL or DATABASE_URL is set, that server is used and nothing is started.
// - Otherwise a throwaway cluster is created with initdb in a fresh temp dir and started with pg_ctl on a free
//   port, tuned for tests (no fsync). As root it runs as the `postgres` user, since PostgreSQL refuses root.
// - Tests get the admin URL through `inject('postgresUrl')` (or process.env.CRM_TEST_POSTGRES_URL); use
//   `createTestDatabase()` from test/support/postgres.ts to get an isolated database.
// - The server is stopped and the dir removed on teardown, when setup fails halfway, and on process exit.
import type { TestProject } from 'vitest/node';
import { startCluster } from '../support/postgres-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin connection URL (superuser, database `postgres`) of the test PostgreSQL server. */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const external = process.env.CRM_TEST_POSTGRES_URL || process.env.DATABASE_URL;
  if (external) {
    const from = process.env.CRM_TEST_POSTGRES_URL ? 'CRM_TEST_POSTGRES_URL' : 'DATABASE_URL';
    process.env.CRM_TEST_POSTGRES_URL = external;
    project.provide('postgresUrl', external);
    console.log(`[postgres] using the existing server from ${from}`);
    return undefined;
  }

  const t0 = performance.now();
  const cluster = await startCluster();
  process.env.CRM_TEST_POSTGRES_URL = cluster.url;
  project.provide('postgresUrl', cluster.url);
  console.log(
    `[postgres] test server on 127.0.0.1:${cluster.port} started in ${Math.round(performance.now() - t0)} ms`,
  );

  return async () => {
    cluster.stop();
    delete process.env.CRM_TEST_POSTGRES_URL;
  };
}
