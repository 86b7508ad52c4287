// 16 concurrent writers on one record's sub-table and on one record's related records: no write is
// lost, and every rollup ends equal to its recomputation from scratch.
import { SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { forEachDatabase } from '../../support/engines.ts';
import { compareRollups } from '../../support/rollup-oracle.ts';
import { SUBTABLE_MODULES } from '../../support/subtable-fixtures.ts';

type Row = Record<string, unknown>;
const WRITERS = 16;
const cny = (amount: number) => ({ amount, currency: 'CNY' });
const writers = <T>(work: (i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: WRITERS }, (_, i) => work(i)));

forEachDatabase('rollups under concurrent writers', (handle) => {
  let workspace: Workspace;

  beforeAll(async () => {
    workspace = handle().workspace;
    for (const definition of SUBTABLE_MODULES) await workspace.definitions.saveDraft(definition);
    await workspace.definitions.publish();
  });

  it('16 writers adding and changing rows of one record: every row and change kept, rollup exact', async () => {
    const { records } = workspace;
    const quote = await records.create(
      'quote',
      { title: 'Busy', lines: [{ item: 'base', quantity: 1, unit_price: cny(1) }] },
      SYSTEM_ACTOR,
    );
    await writers(async (i) => {
      const appended = await records.appendRow(
        'quote',
        quote.id,
        'lines',
        { item: `w${i}`, quantity: 1, unit_price: cny(i + 0.25) },
        SYSTEM_ACTOR,
      );
      const mine = (appended.lines as Row[]).find((row) => row.item === `w${i}`);
      await records.updateRow(
        'quote',
        quote.id,
        'lines',
        String(mine?.id),
        { quantity: i + 2 },
        SYSTEM_ACTOR,
      );
    });
    const final = await records.get('quote', quote.id, SYSTEM_ACTOR);
    const rows = final.lines as Row[];
    expect(rows).toHaveLength(WRITERS + 1);
    for (let i = 0; i < WRITERS; i++) {
      expect(rows.find((row) => row.item === `w${i}`)).toMatchObject({ quantity: i + 2 });
    }
    expect(final.version).toBe(1 + 2 * WRITERS);
    const history = await records.history('quote', quote.id, SYSTEM_ACTOR, { limit: 100 });
    expect(history).toHaveLength(1 + 2 * WRITERS);
    const { expected, stored } = await compareRollups(workspace);
    expect(stored[quote.id]).toEqual(expected[quote.id]);
  });

  it('16 writers creating, changing and moving records related to one record: rollups exact', async () => {
    const { records } = workspace;
    const region = await records.create('region', { name: 'Contended' }, SYSTEM_ACTOR);
    const [hot, cold] = await Promise.all(
      ['Hot', 'Cold'].map((name) => records.create('account', { name, region: region.id }, SYSTEM_ACTOR)),
    );
    const product = await records.create('product', { name: 'Contended product' }, SYSTEM_ACTOR);
    await writers(async (i) => {
      const opportunity = await records.create(
        'opportunity',
        { name: `o${i}`, account: hot.id, amount: cny(10 + i), stage: 'new' },
        SYSTEM_ACTOR,
      );
      await records.update('opportunity', opportunity.id, { amount: cny(100 + i) }, SYSTEM_ACTOR);
      if (i % 4 === 0)
        await records.update('opportunity', opportunity.id, { account: cold.id }, SYSTEM_ACTOR);
      if (i % 4 === 1) await records.update('opportunity', opportunity.id, { stage: 'lost' }, SYSTEM_ACTOR);
      const movement = await records.create(
        'stock_movement',
        { ref: `m${i}`, lines: [{ product: product.id, quantity: 5 }] },
        SYSTEM_ACTOR,
      );
      await records.appendRow(
        'stock_movement',
        movement.id,
        'lines',
        { product: product.id, quantity: -2 },
        SYSTEM_ACTOR,
      );
    });
    const account = await records.get('account', hot.id, SYSTEM_ACTOR);
    expect(account.opportunity_count).toBe(12);
    expect((await records.get('product', product.id, SYSTEM_ACTOR)).stock).toBe(3 * WRITERS);
    const { expected, stored } = await compareRollups(workspace);
    for (const id of [hot.id, cold.id, region.id, product.id]) expect(stored[id]).toEqual(expected[id]);
    expect(stored).toEqual(expected);
  });
});
