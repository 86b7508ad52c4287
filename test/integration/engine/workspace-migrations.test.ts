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
    expect(applied.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    const tables =
      await sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'ws_acme' ORDER BY 1`;
    expect(tables.map((t) => t.table_name)).toEqual([
      '_api_tokens',
      '_autonumber_counters',
      '_clock_formulas',
      '_department_roles',
      '_departments',
      '_file_chunks',
      '_files',
      '_history',
      '_login_history',
      '_migrations',
      '_notifications',
      '_operation_log',
      '_plugin_jobs',
      '_plugin_migrations',
      '_plugins',
      '_positions',
      '_roles',
      '_saved_views',
      '_sessions',
      '_settings',
      '_shares',
      '_user_roles',
      '_users',
      '_wf_approval_actions',
      '_wf_approval_cc',
      '_wf_approval_steps',
      '_wf_definitions',
      '_wf_history',
      '_wf_incidents',
      '_wf_instances',
      '_wf_jobs',
      '_wf_record_locks',
      '_wf_subscriptions',
      '_wf_tasks',
      '_wf_tokens',
    ]);
  } finally {
    await sql.end();
    for (const engine of engines) await engine.close();
    await database.drop();
  }
});

it('gives tables published before soft delete their recycle-bin columns and live-only unique indexes', async () => {
  const database = await createTestDatabase('ws_soft_delete');
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  let engine = await Engine.open({ db: await openPostgres(database.url) });
  try {
    const workspace = await engine.workspace('acme');
    await workspace.definitions.saveDraft({
      id: 'mod_old',
      name: 'old',
      label: { en: 'Old' },
      fields: [{ id: 'o_code', name: 'code', type: 'text', label: { en: 'Code' }, unique: true }],
    });
    await workspace.definitions.publish();
    // the table as it was before migration 4 (dropping the column drops the partial index)
    const [index] =
      await sql`SELECT indexname FROM pg_indexes WHERE schemaname = 'ws_acme' AND tablename = 'old'
      AND indexname LIKE 'uq%'`;
    await sql.unsafe(
      `ALTER TABLE ws_acme.old DROP COLUMN deleted_at, DROP COLUMN deleted_by, DROP COLUMN owner__path`,
    );
    await sql.unsafe(`CREATE UNIQUE INDEX "${index.indexname}" ON ws_acme.old (code)`);
    await sql.unsafe(`ALTER TABLE ws_acme._history DROP COLUMN reverted_to`);
    await sql`DELETE FROM ws_acme._migrations WHERE id = 4`;
    await engine.close();

    engine = await Engine.open({ db: await openPostgres(database.url) });
    const upgraded = await engine.workspace('acme');
    const [definition] = await sql`SELECT indexdef FROM pg_indexes WHERE schemaname = 'ws_acme'
      AND indexname = ${index.indexname}`;
    expect(definition.indexdef).toContain('WHERE (deleted_at IS NULL)');
    const columns = await sql`SELECT column_name FROM information_schema.columns
      WHERE table_schema = 'ws_acme' AND table_name = 'old' AND column_name IN ('deleted_at', 'deleted_by', 'owner__path')`;
    expect(columns.map((c) => c.column_name).sort()).toEqual(['deleted_at', 'deleted_by', 'owner__path']);
    const first = await upgraded.records.create('old', { code: 'X' }, { userId: null });
    await upgraded.records.delete('old', first.id, { userId: null });
    await upgraded.records.create('old', { code: 'X' }, { userId: null });
    expect((await upgraded.records.listDeleted('old', { userId: null })).data.map((r) => r.id)).toEqual([
      first.id,
    ]);
  } finally {
    await sql.end();
    await engine.close();
    await database.drop();
  }
});

it('stores 0 for the empty counts and sums of records written before they were 0', async () => {
  const database = await createTestDatabase('ws_empty_rollups');
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  let engine = await Engine.open({ db: await openPostgres(database.url) });
  const label = (en: string) => ({ en });
  try {
    const workspace = await engine.workspace('acme');
    await workspace.definitions.saveDraft({
      id: 'mod_team',
      name: 'team',
      label: label('Team'),
      fields: [
        { id: 't_name', name: 'name', type: 'text', label: label('Name') },
        {
          id: 't_n',
          name: 'members',
          type: 'rollup',
          label: label('Members'),
          over: 'people',
          aggregate: 'count',
        },
        {
          id: 't_age',
          name: 'ages',
          type: 'rollup',
          label: label('Ages'),
          over: 'people',
          aggregate: 'sum',
          field: 'age',
        },
        {
          id: 't_old',
          name: 'oldest',
          type: 'rollup',
          label: label('Oldest'),
          over: 'people',
          aggregate: 'max',
          field: 'age',
        },
      ],
    });
    await workspace.definitions.saveDraft({
      id: 'mod_person',
      name: 'person',
      label: label('Person'),
      fields: [
        { id: 'pe_age', name: 'age', type: 'integer', label: label('Age') },
        {
          id: 'pe_team',
          name: 'team',
          type: 'relation',
          label: label('Team'),
          target: 'mod_team',
          inverse: { name: 'people', label: label('People') },
        },
      ],
    });
    await workspace.definitions.publish();
    const team = await workspace.records.create('team', { name: 'A' }, { userId: null });
    // as an older version stored them
    await sql.unsafe('UPDATE ws_acme.team SET members = NULL, ages = NULL');
    await sql`DELETE FROM ws_acme._migrations WHERE id = 12`;
    await engine.close();

    engine = await Engine.open({ db: await openPostgres(database.url) });
    const upgraded = await engine.workspace('acme');
    expect(await upgraded.records.get('team', team.id, { userId: null })).toMatchObject({
      members: 0,
      ages: 0,
      oldest: null,
    });
  } finally {
    await sql.end();
    await engine.close();
    await database.drop();
  }
});
