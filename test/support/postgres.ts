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

/** Creates a uniquely named database on the test server: empty, or a copy of `template`. */
export async function createTestDatabase(prefix = 'test', template?: string): Promise<TestDatabase> {
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
    await sql.unsafe(`create database "${name}"${template ? ` template "${template}"` : ''}`);
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

/**
 * A template database filled once per test run by `fill` (given its URL), for test files that all
 * need the same large starting data: the first caller fills it (other processes wait on an advisory
 * lock), every caller then copies it with `createTestDatabase(prefix, name)` in about a second.
 */
export async function templateDatabase(name: string, fill: (url: string) => Promise<void>): Promise<string> {
  const adminUrl = testPostgresUrl();
  const template = `tpl_${name.toLowerCase().replace(/[^a-z0-9_]+/g, '_')}`;
  // no idle timeout: the session holds the advisory lock while another connection fills the template
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await admin.unsafe(`select pg_advisory_lock(hashtext('${template}'))`);
    const [found] = await admin`select 1 from pg_database where datname = ${template}`;
    if (!found) {
      const building = `${template}_building`;
      await admin.unsafe(`drop database if exists "${building}" with (force)`);
      await admin.unsafe(`create database "${building}"`);
      const url = new URL(adminUrl);
      url.pathname = `/${building}`;
      await fill(url.toString());
      await admin.unsafe(`alter database "${building}" rename to "${template}"`);
    }
    await admin.unsafe(`select pg_advisory_unlock(hashtext('${template}'))`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  return template;
}
