// Fresh, isolated PostgreSQL databases for tests, on the server started by test/setup/global-postgres.ts.
//
//   import { createTestDatabase } from '../support/postgres.ts';
//   const db = await createTestDatabase('records');   // { url, drop }
//   ...connect to db.url...
//   await db.drop();                                 // WITH (FORCE): closes leftover connections
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';

export interface TestDatabase {
  /** Connection URL of the new database (superuser, trust auth). */
  url: string;
  /** The database name. */
  name: string;
  /** Drops the database, terminating any connections still open to it. Safe to call twice. */
  drop(): Promise<void>;
}

/** Admin URL (database `postgres`) of the test server. */
export function testPostgresUrl(): string {
  let url: string | undefined;
  try {
    url = inject('postgresUrl');
  } catch {
    // Not inside a Vitest worker (e.g. a bench script): fall back to the environment.
  }
  url ||= process.env.CRM_TEST_POSTGRES_URL || process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      'No test PostgreSQL server: run the tests through vitest (globalSetup test/setup/global-postgres.ts) ' +
        'or set CRM_TEST_POSTGRES_URL.',
    );
  }
  return url;
}

function adminClient(url: string) {
  return postgres(url, { max: 1, onnotice: () => {}, idle_timeout: 1, connect_timeout: 10 });
}

/** Creates a uniquely named, empty database on the test server. */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const adminUrl = testPostgresUrl();
  const safePrefix =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 30) || 'test';
  const name = `${safePrefix}_${process.pid}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;

  const sql = adminClient(adminUrl);
  try {
    await sql.unsafe(`create database "${name}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }

  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${name}`;

  let dropped = false;
  return {
    url: dbUrl.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      const admin = adminClient(adminUrl);
      try {
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await admin.end({ timeout: 5 });
      }
    },
  };
}
