import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';

describe('test PostgreSQL server', () => {
  const databases: TestDatabase[] = [];
  const clients: postgres.Sql[] = [];

  async function fresh(prefix: string) {
    const db = await createTestDatabase(prefix);
    databases.push(db);
    const sql = postgres(db.url, { max: 2, onnotice: () => {} });
    clients.push(sql);
    return { db, sql };
  }

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end({ timeout: 5 })));
    await Promise.all(databases.map((d) => d.drop()));
  });

  it('is provided to tests and is PostgreSQL 15', async () => {
    expect(inject('postgresUrl')).toMatch(/^postgres(ql)?:\/\//);
    expect(process.env.CRM_TEST_POSTGRES_URL).toBe(inject('postgresUrl'));
    const { sql } = await fresh('version');
    const [{ version }] = await sql<{ version: string }[]>`select version()`;
    expect(version).toMatch(/^PostgreSQL 15\./);
  });

  it('gives each caller its own isolated database', async () => {
    const a = await fresh('iso_a');
    const b = await fresh('iso_b');
    expect(a.db.url).not.toBe(b.db.url);
    expect(a.db.name).not.toBe(b.db.name);

    await a.sql`create table widget (id int primary key, name text not null)`;
    await a.sql`insert into widget values (1, 'one')`;

    const [{ current_database: nameA }] = await a.sql`select current_database()`;
    const [{ current_database: nameB }] = await b.sql`select current_database()`;
    expect(nameA).toBe(a.db.name);
    expect(nameB).toBe(b.db.name);

    const inA = await a.sql`select to_regclass('public.widget') as t`;
    const inB = await b.sql`select to_regclass('public.widget') as t`;
    expect(inA[0].t).toBe('widget');
    expect(inB[0].t).toBeNull();
    await expect(b.sql`select * from widget`).rejects.toThrow(/does not exist/);
  });

  it('drops the database, even with connections still open', async () => {
    const db = await createTestDatabase('drop me!');
    expect(db.name).toMatch(/^drop_me_/);
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    await sql`select 1`;
    await db.drop();
    await db.drop(); // idempotent

    const admin = postgres(inject('postgresUrl'), { max: 1 });
    try {
      const rows = await admin`select 1 from pg_database where datname = ${db.name}`;
      expect(rows).toHaveLength(0);
    } finally {
      await admin.end();
      await sql.end({ timeout: 1 }).catch(() => {});
    }
  });
});
