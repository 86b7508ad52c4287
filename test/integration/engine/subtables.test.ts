// Sub-table fields: rows saved with their record in one transaction, validated as a whole, with
// their own rules and formulas, row-level changes, history, lists and the migrations of their tables.
import { type StoredRecord, SYSTEM_ACTOR, subtableName, type Workspace } from '@crm/engine';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { schemaSteps } from '../../support/plan.ts';
import { SUBTABLE_MODULES } from '../../support/subtable-fixtures.ts';

type Row = Record<string, unknown>;
const rowsOf = (record: StoredRecord) => record.lines as Row[];

forEachDatabase('sub-tables', (handle) => {
  let workspace: Workspace;
  let widget: StoredRecord;
  const create = (values: Row) => workspace.records.create('quote', { title: 'Q', ...values }, SYSTEM_ACTOR);
  const line = (item: string, quantity: number, price = 10) => ({
    item,
    quantity,
    unit_price: { amount: price, currency: 'CNY' },
  });
  const childRows = async () => {
    const [{ n }] = await handle().engine.db.query<{ n: number | string }>(
      sql.raw(`SELECT count(*) AS n FROM "${workspace.schema}"."${subtableName('mod_st_quote', 'q_lines')}"`),
    );
    return Number(n);
  };

  beforeAll(async () => {
    workspace = handle().workspace;
    for (const definition of SUBTABLE_MODULES) await workspace.definitions.saveDraft(definition);
    await workspace.definitions.publish();
    widget = await workspace.records.create('product', { name: 'Widget' }, SYSTEM_ACTOR);
  });

  describe('create and read', () => {
    it('stores the rows with the record, computes row formulas, defaults and the totals', async () => {
      const quote = await create({ lines: [line('a', 2, 10.5), line('b', 1, 0.1)], discount: 1 });
      const rows = rowsOf(quote);
      expect(rows.map((r) => [r.item, r.quantity, r.amount, r.taxable])).toEqual([
        ['a', 2, 21, true],
        ['b', 1, 0.1, true],
      ]);
      for (const row of rows) expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(quote.total).toBe(20.1);
      expect(quote.rolled_total).toBe(21.1);
      expect(quote.taxed_lines).toBe(2);
      expect(quote.with_tax).toBe(23.21);
      const read = await workspace.records.get('quote', quote.id, SYSTEM_ACTOR);
      expect(read).toEqual(quote);
    });

    it('leaves the rows out of lists unless asked for by name', async () => {
      const quote = await create({ title: 'Listed', lines: [line('x', 3)] });
      const plain = await workspace.records.list('quote', SYSTEM_ACTOR, {
        filter: { field: 'title', op: 'eq', value: 'Listed' },
      });
      expect(plain.data[0]).not.toHaveProperty('lines');
      expect(plain.data[0].rolled_total).toBe(30);
      const asked = await workspace.records.list('quote', SYSTEM_ACTOR, {
        filter: { field: 'title', op: 'eq', value: 'Listed' },
        fields: ['title', 'lines'],
      });
      expect(asked.data[0].lines).toEqual(quote.lines);
    });

    it('sorts and filters by rollups like numbers', async () => {
      await create({ title: 'Big', lines: [line('x', 100)] });
      const page = await workspace.records.list('quote', SYSTEM_ACTOR, {
        filter: { field: 'rolled_total', op: 'gte', value: 1000 },
        sort: '-rolled_total',
      });
      expect(page.data.map((r) => r.title)).toEqual(['Big']);
    });
  });

  describe('bad input', () => {
    it('points at the bad row and field, and writes nothing', async () => {
      const before = await childRows();
      const error = await engineError(
        create({ lines: [line('a', 1), { item: 'b', quantity: 'many' }, line('c', 2000), line('a', 3)] }),
      );
      expect(error.kind).toBe('invalid-record');
      expect(error.problems.map((p) => [p.pointer, p.code])).toEqual([['/lines/1/quantity', 'type']]);
      const rules = await engineError(create({ lines: [line('a', 1), line('c', 2000), line('a', 3)] }));
      expect(rules.problems.map((p) => [p.pointer, p.code])).toEqual([
        ['/lines/1/quantity', 'rule'],
        ['/lines/2/item', 'unique'],
      ]);
      expect(rules.problems[0].messages?.['zh-CN']).toBe('每行最多 1000');
      expect(await childRows()).toBe(before);
    });

    it('refuses unknown row fields, rows given twice, ids of other records and too many rows', async () => {
      const other = await create({ lines: [line('o', 1)] });
      const unknown = await engineError(create({ lines: [{ ...line('a', 1), colour: 'red' }] }));
      expect(unknown.problems.map((p) => p.pointer)).toEqual(['/lines/0/colour']);
      const quote = await create({ lines: [line('a', 1)] });
      const [row] = rowsOf(quote);
      const twice = await engineError(
        workspace.records.update('quote', quote.id, { lines: [row, { ...row, item: 'b' }] }, SYSTEM_ACTOR),
      );
      expect(twice.problems.map((p) => [p.pointer, p.code])).toEqual([['/lines/1/id', 'row']]);
      const foreign = await engineError(
        workspace.records.update('quote', quote.id, { lines: [rowsOf(other)[0]] }, SYSTEM_ACTOR),
      );
      expect(foreign.problems.map((p) => p.pointer)).toEqual(['/lines/0/id']);
      const many = await engineError(
        create({ lines: Array.from({ length: 51 }, (_, i) => line(`i${i}`, 1)) }),
      );
      expect(many.problems.map((p) => [p.pointer, p.code])).toEqual([['/lines', 'maxItems']]);
      const limit = await engineError(
        create({ lines: Array.from({ length: 21 }, (_, i) => line(`i${i}`, 1)) }),
      );
      expect(limit.problems.map((p) => [p.pointer, p.code])).toEqual([['/lines', 'rule']]);
    });

    it('names the row whose relation points at no record', async () => {
      const error = await engineError(
        create({
          lines: [line('a', 1), { ...line('b', 1), product: '00000000-0000-4000-8000-000000000000' }],
        }),
      );
      expect(error.problems.map((p) => [p.pointer, p.code])).toEqual([['/lines/1/product', 'relation']]);
      const ok = await create({ lines: [{ ...line('a', 1), product: widget.id }] });
      expect(rowsOf(ok)[0].product).toBe(widget.id);
    });
  });

  describe('changes', () => {
    it('updates known rows, adds new ones, deletes missing ones, in the order given', async () => {
      const quote = await create({ lines: [line('a', 1), line('b', 2), line('c', 3)] });
      const [a, b, c] = rowsOf(quote);
      const updated = await workspace.records.update(
        'quote',
        quote.id,
        { lines: [{ ...c, quantity: 4 }, line('d', 5), a] },
        SYSTEM_ACTOR,
      );
      const rows = rowsOf(updated);
      expect(rows.map((r) => [r.item, r.quantity])).toEqual([
        ['c', 4],
        ['d', 5],
        ['a', 1],
      ]);
      expect(rows[0].id).toBe(c.id);
      expect(rows[2].id).toBe(a.id);
      expect(rows.some((r) => r.id === b.id)).toBe(false);
      expect(updated.version).toBe(2);
      expect(updated.rolled_total).toBe(100);

      const [entry] = await workspace.records.history('quote', quote.id, SYSTEM_ACTOR, { limit: 1 });
      const change = entry.changes.lines.rows;
      expect(change?.added.map((r) => r.item)).toEqual(['d']);
      expect(change?.removed.map((r) => r.item)).toEqual(['b']);
      expect(change?.changed).toEqual([
        {
          id: c.id,
          position: { from: 2, to: 0 },
          fields: { quantity: { from: 3, to: 4 }, amount: { from: 30, to: 40 } },
        },
        { id: a.id, position: { from: 0, to: 2 }, fields: {} },
      ]);
      // derived values are not the record's own changes
      expect(entry.changes).not.toHaveProperty('rolled_total');
      expect(entry.changes.total).toEqual({ from: 60, to: 100 });
    });

    it('keeps the rows when a change does not name the sub-table; [] or null removes them all', async () => {
      const quote = await create({ lines: [line('a', 1)] });
      const renamed = await workspace.records.update('quote', quote.id, { title: 'Renamed' }, SYSTEM_ACTOR);
      expect(rowsOf(renamed)).toEqual(rowsOf(quote));
      const emptied = await workspace.records.update('quote', quote.id, { lines: [] }, SYSTEM_ACTOR);
      expect(emptied.lines).toEqual([]);
      expect(emptied.rolled_total).toBe(0);
      expect(emptied.total).toBeNull();
    });

    it('changes single rows through the row operations, each one a change of the record', async () => {
      const quote = await create({ lines: [line('a', 1)] });
      const appended = await workspace.records.appendRow(
        'quote',
        quote.id,
        'lines',
        line('b', 2),
        SYSTEM_ACTOR,
      );
      expect(rowsOf(appended).map((r) => r.item)).toEqual(['a', 'b']);
      expect(appended.version).toBe(2);
      const b = rowsOf(appended)[1];
      const changed = await workspace.records.updateRow(
        'quote',
        quote.id,
        'lines',
        String(b.id),
        { quantity: 7 },
        SYSTEM_ACTOR,
      );
      expect(rowsOf(changed)[1]).toMatchObject({ id: b.id, item: 'b', quantity: 7, amount: 70 });
      expect(changed.rolled_total).toBe(80);
      const bad = await engineError(
        workspace.records.updateRow('quote', quote.id, 'lines', String(b.id), { quantity: 0 }, SYSTEM_ACTOR),
      );
      expect(bad.problems.map((p) => p.pointer)).toEqual(['/lines/1/quantity']);
      const deleted = await workspace.records.deleteRow(
        'quote',
        quote.id,
        'lines',
        String(b.id),
        SYSTEM_ACTOR,
      );
      expect(rowsOf(deleted).map((r) => r.item)).toEqual(['a']);
      expect(deleted.version).toBe(4);
      const missing = await engineError(
        workspace.records.deleteRow('quote', quote.id, 'lines', String(b.id), SYSTEM_ACTOR),
      );
      expect(missing.kind).toBe('not-found');
      const stale = await engineError(
        workspace.records.appendRow('quote', quote.id, 'lines', line('c', 1), SYSTEM_ACTOR, {
          expectedVersion: 1,
        }),
      );
      expect(stale.kind).toBe('conflict');
      const history = await workspace.records.history('quote', quote.id, SYSTEM_ACTOR);
      expect(history.map((h) => h.version)).toEqual([4, 3, 2, 1]);
    });

    it('keeps the rows of a record in the recycle bin, restores them with it, purges them with it', async () => {
      const before = await childRows();
      const quote = await create({ lines: [line('a', 1), line('b', 1)] });
      expect(await childRows()).toBe(before + 2);
      await workspace.records.delete('quote', quote.id, SYSTEM_ACTOR);
      expect(await childRows()).toBe(before + 2);
      const restored = await workspace.records.restore('quote', quote.id, SYSTEM_ACTOR);
      expect(rowsOf(restored)).toEqual(rowsOf(quote));
      expect(restored.rolled_total).toBe(20);
      await workspace.records.delete('quote', quote.id, SYSTEM_ACTOR);
      expect(await workspace.records.purge('quote', SYSTEM_ACTOR, { id: quote.id })).toBe(1);
      expect(await childRows()).toBe(before);
    });
  });

  describe('revert', () => {
    it('sets the rows back to an earlier version: values, order and removed rows', async () => {
      const quote = await create({ lines: [line('a', 1), line('b', 2), line('c', 3)] });
      const [a, b, c] = rowsOf(quote);
      await workspace.records.update(
        'quote',
        quote.id,
        { lines: [{ ...c, quantity: 9 }, line('d', 4), a] },
        SYSTEM_ACTOR,
      );
      await workspace.records.appendRow('quote', quote.id, 'lines', line('e', 5), SYSTEM_ACTOR);
      const reverted = await workspace.records.revert('quote', quote.id, 1, SYSTEM_ACTOR);
      const rows = rowsOf(reverted);
      expect(rows.map((r) => [r.item, r.quantity])).toEqual([
        ['a', 1],
        ['b', 2],
        ['c', 3],
      ]);
      expect([rows[0].id, rows[2].id]).toEqual([a.id, c.id]);
      expect(rows[1].id).not.toBe(b.id);
      expect(reverted).toMatchObject({ version: 4, rolled_total: 60 });
    });
  });

  describe('definitions', () => {
    it('checks row fields at publish with pointers into the sub-table', async () => {
      const draft = structuredClone(SUBTABLE_MODULES[2]) as { fields: Row[] };
      const lines = draft.fields[2] as { fields: Row[]; rules: Row[] };
      lines.fields.push(
        { id: 'ql_bad', name: 'position', type: 'text', label: { en: 'P' } },
        { id: 'ql_nest', name: 'nested', type: 'subtable', label: { en: 'N' }, fields: [] },
      );
      lines.rules.push({ id: 'ql_typo', expression: 'quantityy > 1', message: { en: 'x' } });
      const shape = await engineError(workspace.definitions.saveDraft(draft));
      expect(shape.problems.map((p) => p.pointer)).toContain('/fields/2/fields/7/type');
      lines.fields.pop();
      await workspace.definitions.saveDraft(draft);
      const error = await engineError(workspace.definitions.publish(['quote']));
      expect(error.problems.map((p) => p.pointer)).toEqual([
        '/modules/quote/fields/2/fields/6/name',
        '/modules/quote/fields/2/rules/1/expression',
      ]);
      await workspace.definitions.discardDraft('quote');
    });

    it('adds, renames and archives row columns, and keeps the table across renames', async () => {
      const draft = structuredClone(SUBTABLE_MODULES[2]) as { fields: Row[]; name: string };
      const lines = draft.fields[2] as { fields: Row[]; name: string };
      lines.name = 'items';
      (lines.fields[0] as Row).name = 'label';
      lines.fields.push({ id: 'ql_note', name: 'note', type: 'text', label: { en: 'Note' } });
      lines.fields = lines.fields.filter((f) => f.id !== 'ql_tax');
      const state = draft as unknown as { rules: Row[]; fields: Row[] };
      state.rules = [];
      state.fields = state.fields.map((f) =>
        f.id === 'q_total'
          ? { ...f, expression: 'sum(for l in items return l.amount)' }
          : f.id === 'q_rolled' || f.id === 'q_taxed'
            ? { ...f, over: 'items', ...(f.id === 'q_taxed' ? { filter: 'quantity > 1' } : {}) }
            : f,
      );
      const quote = await create({ title: 'Before rename', lines: [line('kept', 2)] });
      await workspace.definitions.saveDraft(draft);
      const preview = await workspace.definitions.preview(['quote']);
      expect(preview.problems).toEqual([]);
      expect(
        schemaSteps(preview.steps)
          .map((s) => s.kind)
          .sort(),
      ).toEqual(['addColumn', 'archiveColumn', 'renameColumn']);
      await workspace.definitions.publish(['quote']);
      const read = await workspace.records.get('quote', quote.id, SYSTEM_ACTOR);
      expect((read.items as Row[]).map((r) => [r.label, r.quantity, r.note])).toEqual([['kept', 2, null]]);
      // the changed filter was backfilled for existing records
      expect(read.taxed_lines).toBe(1);
      const added = await workspace.records.appendRow(
        'quote',
        quote.id,
        'items',
        { label: 'new', quantity: 1, note: 'n' },
        SYSTEM_ACTOR,
      );
      expect((added.items as Row[]).map((r) => r.note)).toEqual([null, 'n']);
      // the removed row field's data is archived in the sub-table's own table, counted and purgeable there
      const rowColumns = async () =>
        (
          await handle().engine.db.query<{ column_name: string }>(
            sql`SELECT column_name FROM information_schema.columns
                WHERE table_schema = ${workspace.schema} AND table_name = ${subtableName('mod_st_quote', 'q_lines')}`,
          )
        ).map((c) => c.column_name);
      const archived = (await workspace.definitions.archived.list('quote')).find(
        (a) => a.field.id === 'ql_tax',
      );
      expect(archived).toMatchObject({ reason: 'removed' });
      expect(archived?.values).toBeGreaterThanOrEqual(1);
      const [archivedColumn] = archived?.columns ?? [];
      expect(await rowColumns()).toContain(archivedColumn);
      await workspace.definitions.archived.purge('quote', archivedColumn, SYSTEM_ACTOR);
      expect(await rowColumns()).not.toContain(archivedColumn);
      // back to the shared definition for the other tests
      await workspace.definitions.saveDraft(SUBTABLE_MODULES[2]);
      await workspace.definitions.publish(['quote']);
    });
  });
});
