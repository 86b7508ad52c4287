import { Engine, openPostgres } from '@crm/engine';
import postgres from 'postgres';
import { expect, it } from 'vitest';
import { createTestDatabase } from '../../support/postgres.ts';

it('servers starting together migrate a workspace once, with its organisation and access tables', async () => {
  const database = await createTestDatabase('ws_migrations');
  const engines = await Promise.all(
    [1, 2, 3].map(async () => Engine.open({ db: await openPostgres(database.url) })),
  );
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    await Promise.all(engines.map((engine) => engine.workspace('acme')));
    const applied = await sql`SELECT id FROM ws_acme._migrations ORDER BY id`;
    expect(applied.map((r) => r.id)).toEqual([1, 2, 3]);
    const tables =
      await sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'ws_acme' ORDER BY 1`;
    expect(tables.map((t) => t.table_name)).toEqual([
      '_api_tokens',
      '_department_roles',
      '_departments',
      '_history',
      '_login_history',
      '_migrations',
      '_operation_log',
      '_positions',
      '_roles',
      '_sessions',
      '_settings',
      '_shares',
      '_user_roles',
      '_users',
    ]);
  } finally {
    await sql.end();
    for (const engine of engines) await engine.close();
    await database.drop();
  }
});
