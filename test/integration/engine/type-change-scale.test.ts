// A type change on 100,000 records, 100 of which do not convert: the preview counts them exactly,
// the unconfirmed publish changes nothing, the confirmed one converts the rest and keeps every old
// value in the archived column. The rows are inserted with one set-based statement.
import type { ConversionReport, Workspace } from '@crm/engine';
import { SYSTEM_ACTOR } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { type EngineHandle, forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { rawRows, tableColumns } from '../../support/sql.ts';

const SCHEMA = 'ws_default';
const ROWS = 100_000;
/** Every 1000th row holds text that is no number. */
const EVERY = 1000;
const SLOW = 300_000;

forEachDatabase('type change of 100,000 records', (handle) => {
  let workspace: Workspace;
  let engine: EngineHandle['engine'];
  const table = `"${SCHEMA}".bulk`;

  const totals = async () =>
    (
      await rawRows(
        engine,
        `SELECT count(*)::int AS n, count(amount)::int AS present, sum(length(amount::text))::int AS chars FROM ${table}`,
      )
    )[0];

  beforeAll(async () => {
    ({ workspace, engine } = handle());
    await workspace.definitions.saveDraft({
      id: 'mod_bulk',
      name: 'bulk',
      label: { en: 'Bulk' },
      fields: [{ id: 'b_amount', name: 'amount', type: 'text', label: { en: 'Amount' } }],
    });
    await workspace.definitions.publish(['bulk']);
    await engine.db.drizzle.execute(
      `INSERT INTO ${table} (id, amount, created_at)
       SELECT gen_random_uuid(),
              CASE WHEN i % ${EVERY} = 0 THEN 'n/a ' || i ELSE ' ' || (i * 3)::text || ' ' END,
              timestamptz '2026-01-01' + i * interval '1 millisecond'
       FROM generate_series(1, ${ROWS}) AS i`,
    );
  }, SLOW);

  it(
    'previews the exact count and the first samples, and refuses without confirmation',
    async () => {
      const draft = structuredClone((await workspace.definitions.get('bulk')).published);
      if (!draft) throw new Error('bulk is not published');
      draft.fields[0] = { ...draft.fields[0], type: 'integer' };
      await workspace.definitions.saveDraft(draft);
      const preview = await workspace.definitions.preview(['bulk']);
      const report = preview.steps.find((s) => s.conversion)?.conversion as ConversionReport;
      expect(report).toMatchObject({
        values: ROWS,
        unconvertible: ROWS / EVERY,
        lossy: 0,
        samples: [1, 2, 3, 4, 5].map((k) => ({
          value: `n/a ${k * EVERY}`,
          converted: null,
          problem: 'unconvertible',
        })),
      });
      expect(preview.problems).toMatchObject([{ code: 'data-loss', pointer: '/modules/bulk/fields/0/type' }]);

      const before = { totals: await totals(), columns: await tableColumns(engine, SCHEMA, 'bulk') };
      const refused = await engineError(workspace.definitions.publish(['bulk']));
      expect(refused.kind).toBe('migration-refused');
      expect({ totals: await totals(), columns: await tableColumns(engine, SCHEMA, 'bulk') }).toEqual(before);
      expect((await workspace.definitions.get('bulk')).publishedVersion).toBe(1);
    },
    SLOW,
  );

  it(
    'converts the rest when confirmed, keeping every old value archived',
    async () => {
      const result = await workspace.definitions.publish(['bulk'], SYSTEM_ACTOR, { confirmDataLoss: true });
      expect(result.steps.find((s) => s.conversion)?.conversion?.unconvertible).toBe(ROWS / EVERY);
      const [after] = await rawRows(
        engine,
        `SELECT count(*)::int AS n, count(amount)::int AS converted, sum(amount)::text AS total,
                count(*) FILTER (WHERE "_arch_v2_amount" LIKE 'n/a %')::int AS kept_lost,
                count(*) FILTER (WHERE amount IS NULL AND "_arch_v2_amount" NOT LIKE 'n/a %')::int AS wrong
         FROM ${table}`,
      );
      // 3 × (1 + … + 100000) without the multiples of 1000
      const all = (ROWS * (ROWS + 1)) / 2;
      const thousands = EVERY * (((ROWS / EVERY) * (ROWS / EVERY + 1)) / 2);
      expect(after).toEqual({
        n: ROWS,
        converted: ROWS - ROWS / EVERY,
        total: String(3 * (all - thousands)),
        kept_lost: ROWS / EVERY,
        wrong: 0,
      });
      const page = await workspace.records.list('bulk', SYSTEM_ACTOR, {
        filter: { field: 'amount', op: 'empty' },
        limit: 200,
      });
      expect(page.data).toHaveLength(ROWS / EVERY);
      const [archived] = await workspace.definitions.archived.list('bulk');
      expect(archived).toMatchObject({ columns: ['_arch_v2_amount'], values: ROWS, reason: 'typeChange' });
    },
    SLOW,
  );
});
