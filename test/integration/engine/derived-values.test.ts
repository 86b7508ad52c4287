// Derived values as the example packages need them: counts and sums start at 0, rollup filters read
// the record a sub-table row belongs to (and follow its changes), publish checks of such filters.
import { SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { DERIVED_MODULES, item } from '../../support/derived-fixtures.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';

type Row = Record<string, unknown>;

forEachDatabase('derived values', (handle) => {
  let workspace: Workspace;
  const create = (module: string, values: Row) => workspace.records.create(module, values, SYSTEM_ACTOR);
  const update = (module: string, id: string, values: Row) =>
    workspace.records.update(module, id, values, SYSTEM_ACTOR);
  const get = (module: string, id: string) => workspace.records.get(module, id, SYSTEM_ACTOR);

  beforeAll(async () => {
    workspace = handle().workspace;
    for (const definition of DERIVED_MODULES) await workspace.definitions.saveDraft(definition);
    await workspace.definitions.publish();
  });

  describe('counts and sums over nothing', () => {
    it('are 0 on a new record, for its rules and formulas too, and again when the last row goes', async () => {
      // the rule `lines_seen = 0 or safety != null` holds for a new item only if it sees 0 lines
      const bolt = await create('item', { name: 'Bolt' });
      expect(bolt).toMatchObject({ on_hand: 0, lines_seen: 0, last_quantity: null, low: false });
      expect(await get('item', bolt.id)).toMatchObject({ on_hand: 0, lines_seen: 0, last_quantity: null });

      const receipt = await create('batch', {
        ref: 'B1',
        status: 'approved',
        lines: [{ item: bolt.id, quantity: 4 }],
      });
      expect(await get('item', bolt.id)).toMatchObject({ on_hand: 4, lines_seen: 1, last_quantity: 4 });
      expect(receipt.approved_units).toBe(4);
      await update('batch', receipt.id, { lines: [] });
      expect(await get('item', bolt.id)).toMatchObject({ on_hand: 0, lines_seen: 0, last_quantity: null });
      expect((await get('batch', receipt.id)).approved_units).toBe(0);
    });
  });

  describe('filters reading the parent of a sub-table row', () => {
    it('count lines only while their record qualifies: draft, approved, back to draft, deleted', async () => {
      const nut = await create('item', { name: 'Nut', safety: 5 });
      const washer = await create('item', { name: 'Washer', safety: 1 });
      const batch = await create('batch', {
        ref: 'B2',
        lines: [
          { item: nut.id, quantity: 10 },
          { item: washer.id, quantity: 3 },
          { item: nut.id, quantity: -4 },
        ],
      });
      expect(batch).toMatchObject({ status: 'draft', approved_units: 0 });
      expect(await get('item', nut.id)).toMatchObject({ on_hand: 0, lines_seen: 2, low: true });

      const approved = await update('batch', batch.id, { status: 'approved' });
      expect(approved.approved_units).toBe(9);
      expect(await get('item', nut.id)).toMatchObject({ on_hand: 6, low: false, version: 1 });
      expect((await get('item', washer.id)).on_hand).toBe(3);

      // a line changed under an approved batch counts at once
      const rows = approved.lines as Row[];
      await update('batch', batch.id, { lines: [{ ...rows[0], quantity: 2 }, rows[1], rows[2]] });
      expect((await get('item', nut.id)).on_hand).toBe(-2);

      await update('batch', batch.id, { status: 'draft' });
      expect(await get('item', nut.id)).toMatchObject({ on_hand: 0, lines_seen: 2 });
      expect((await get('item', washer.id)).on_hand).toBe(0);
      expect((await get('batch', batch.id)).approved_units).toBe(0);

      await update('batch', batch.id, { status: 'approved' });
      await workspace.records.delete('batch', batch.id, SYSTEM_ACTOR);
      expect(await get('item', nut.id)).toMatchObject({ on_hand: 0, lines_seen: 0 });
      await workspace.records.restore('batch', batch.id, SYSTEM_ACTOR);
      expect(await get('item', nut.id)).toMatchObject({ on_hand: -2, lines_seen: 2 });
    });

    it('are checked at publish: unknown parent fields, derived ones, and parents of what has none', async () => {
      const problems = async (filter: string, over = 'batch_lines') => {
        const fields = item.fields.map((f) => (f.name === 'on_hand' ? { ...f, over, filter } : f));
        await workspace.definitions.saveDraft({ ...item, fields });
        try {
          const error = await engineError(workspace.definitions.publish(['item']));
          return error.problems.map((p) => `${p.pointer}: ${p.message}`);
        } finally {
          await workspace.definitions.discardDraft('item');
        }
      };
      expect(await problems('parent.state = "approved"')).toEqual([
        `/modules/item/fields/2/filter: filter 'parent.state = "approved"': 'parent.state' is not a field of the parent batch record`,
      ]);
      expect(await problems('parent.approved_units > 0')).toEqual([
        `/modules/item/fields/2/filter: filter 'parent.approved_units > 0': 'parent.approved_units' is a rollup of the parent: a filter reads the parent's entered fields only`,
      ]);
      expect(await problems('parent.status > 3')).toEqual([
        `/modules/item/fields/2/filter: filter 'parent.status > 3': 'parent.status > 3' compares a text with a number`,
      ]);
    });
  });
});
