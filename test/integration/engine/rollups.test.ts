// Rollups: count/sum/min/max/avg over related records and sub-table rows, filtered in SQL, kept
// current in the writing transaction (create, change, move, delete, rows), cascading, checked and
// backfilled at publish. A seeded random sequence compares every rollup with a recomputation.
import { type StoredRecord, SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { compareRollups } from '../../support/rollup-oracle.ts';
import { account, opportunity, SUBTABLE_MODULES } from '../../support/subtable-fixtures.ts';

type Row = Record<string, unknown>;
const cny = (amount: number) => ({ amount, currency: 'CNY' });

/** mulberry32: a small seeded generator, so a failing sequence can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

forEachDatabase('rollups', (handle) => {
  let workspace: Workspace;
  const create = (module: string, values: Row) => workspace.records.create(module, values, SYSTEM_ACTOR);
  const update = (module: string, id: string, values: Row) =>
    workspace.records.update(module, id, values, SYSTEM_ACTOR);
  const get = (module: string, id: string) => workspace.records.get(module, id, SYSTEM_ACTOR);

  beforeAll(async () => {
    workspace = handle().workspace;
    for (const definition of SUBTABLE_MODULES) await workspace.definitions.saveDraft(definition);
    await workspace.definitions.publish();
  });

  describe('over related records', () => {
    it('follows creates, changes, filter outcomes, moves and deletes, and the formulas reading them', async () => {
      const north = await create('region', { name: 'North' });
      const acme = await create('account', { name: 'Acme', region: north.id });
      const globex = await create('account', { name: 'Globex', region: north.id });
      expect(acme).toMatchObject({
        open_amount: cny(0),
        opportunity_count: 0,
        biggest: null,
        open_share: null,
      });

      const a = await create('opportunity', {
        name: 'A',
        account: acme.id,
        amount: cny(100),
        stage: 'new',
        close_date: '2026-03-01',
      });
      const b = await create('opportunity', {
        name: 'B',
        account: acme.id,
        amount: cny(50.5),
        stage: 'lost',
        close_date: '2026-01-01',
      });
      expect(await get('account', acme.id)).toMatchObject({
        open_amount: cny(100),
        opportunity_count: 2,
        biggest: cny(100),
        average: cny(75.25),
        first_close: '2026-03-01',
        open_share: 50,
        version: 1,
      });
      expect((await get('region', north.id)).open_total).toEqual(cny(100));

      await update('opportunity', b.id, { stage: 'won' });
      expect(await get('account', acme.id)).toMatchObject({
        open_amount: cny(150.5),
        first_close: '2026-01-01',
      });
      await update('opportunity', a.id, { amount: cny(-10) });
      expect(await get('account', acme.id)).toMatchObject({ open_amount: cny(50.5), biggest: cny(50.5) });
      expect((await get('region', north.id)).open_total).toEqual(cny(50.5));

      await update('opportunity', b.id, { account: globex.id });
      expect(await get('account', acme.id)).toMatchObject({ open_amount: cny(0), opportunity_count: 1 });
      expect(await get('account', globex.id)).toMatchObject({ open_amount: cny(50.5), opportunity_count: 1 });

      await workspace.records.delete('opportunity', b.id, SYSTEM_ACTOR);
      expect(await get('account', globex.id)).toMatchObject({ open_amount: cny(0), opportunity_count: 0 });
      // back from the recycle bin it counts again; in the bin, and purged, it does not
      await workspace.records.restore('opportunity', b.id, SYSTEM_ACTOR);
      expect(await get('account', globex.id)).toMatchObject({ open_amount: cny(50.5), opportunity_count: 1 });
      await workspace.records.delete('opportunity', b.id, SYSTEM_ACTOR);
      await workspace.records.purge('opportunity', SYSTEM_ACTOR, { id: b.id });
      const after = await get('account', globex.id);
      expect(after).toMatchObject({
        open_amount: cny(0),
        opportunity_count: 0,
        biggest: null,
        average: null,
      });
      // derived values: no new version, no history entry
      expect(after.version).toBe(1);
      expect(await workspace.records.history('account', globex.id, SYSTEM_ACTOR)).toHaveLength(1);

      // a region move carries the account's rollup to the other region
      const south = await create('region', { name: 'South' });
      await update('opportunity', a.id, { amount: cny(30) });
      await update('account', acme.id, { region: south.id });
      expect((await get('region', north.id)).open_total).toEqual(cny(0));
      expect((await get('region', south.id)).open_total).toEqual(cny(30));
    });

    it('filters and sorts by rollups', async () => {
      const big = await create('account', { name: 'Big spender' });
      await create('opportunity', { name: 'Huge', account: big.id, amount: cny(99999), stage: 'won' });
      const page = await workspace.records.list('account', SYSTEM_ACTOR, {
        filter: { field: 'open_amount', op: 'gte', value: 99999 },
        sort: '-open_amount',
      });
      expect(page.data.map((r) => r.name)).toEqual(['Big spender']);
      const dates = await workspace.records.list('account', SYSTEM_ACTOR, {
        filter: { field: 'first_close', op: 'empty' },
        limit: 1,
      });
      expect(dates.data).toHaveLength(1);
    });
  });

  describe('over sub-table rows', () => {
    it('sums rows of other records pointing here, and of the record itself', async () => {
      const bolt = await create('product', { name: 'Bolt' });
      const nut = await create('product', { name: 'Nut' });
      expect(bolt).toMatchObject({ stock: 0, receipts: 0, low_stock: true });
      const receipt = await create('stock_movement', {
        ref: 'R1',
        lines: [
          { product: bolt.id, quantity: 20 },
          { product: nut.id, quantity: 5 },
          { product: bolt.id, quantity: 3 },
        ],
      });
      expect(receipt.units).toBe(28);
      expect(await get('product', bolt.id)).toMatchObject({ stock: 23, receipts: 2, low_stock: false });
      const issue = await create('stock_movement', {
        ref: 'I1',
        lines: [{ product: bolt.id, quantity: -15 }],
      });
      expect(await get('product', bolt.id)).toMatchObject({ stock: 8, receipts: 2, low_stock: true });
      // a line moved to another product changes both
      const [line] = issue.lines as Row[];
      await workspace.records.updateRow(
        'stock_movement',
        issue.id,
        'lines',
        String(line.id),
        { product: nut.id },
        SYSTEM_ACTOR,
      );
      expect((await get('product', bolt.id)).stock).toBe(23);
      expect((await get('product', nut.id)).stock).toBe(-10);
      await workspace.records.delete('stock_movement', receipt.id, SYSTEM_ACTOR);
      expect(await get('product', bolt.id)).toMatchObject({ stock: 0, receipts: 0 });
      expect(await get('product', nut.id)).toMatchObject({ stock: -15, receipts: 0 });
      // the lines of a movement in the recycle bin count again once it is restored
      await workspace.records.restore('stock_movement', receipt.id, SYSTEM_ACTOR);
      expect(await get('product', bolt.id)).toMatchObject({ stock: 23, receipts: 2 });
      await workspace.records.delete('stock_movement', receipt.id, SYSTEM_ACTOR);
      // a product still on lines cannot be deleted
      const refused = await engineError(workspace.records.delete('product', nut.id, SYSTEM_ACTOR));
      expect(refused.kind).toBe('conflict');
      expect(refused.message).toContain('stock_movement.lines.product');
    });
  });

  describe('definitions', () => {
    const withField = (field: Row) => ({ ...account, fields: [...account.fields, field] });
    const rollup = (extra: Row) => ({
      id: 'a_test',
      name: 'test_rollup',
      type: 'rollup',
      label: { en: 'Test' },
      over: 'opportunities',
      aggregate: 'sum',
      field: 'amount',
      currency: 'CNY',
      ...extra,
    });
    const problems = async (field: Row, modules: Row[] = []) => {
      await workspace.definitions.saveDraft(withField(field));
      for (const module of modules) await workspace.definitions.saveDraft(module);
      try {
        const error = await engineError(workspace.definitions.publish());
        return error.problems.map((p) => `${p.pointer}: ${p.message}`);
      } finally {
        await workspace.definitions.discardDraft('account');
        for (const module of modules) await workspace.definitions.discardDraft(String(module.name));
      }
    };

    it('refuses filters outside the SQL subset, naming the expression and the reason', async () => {
      expect(await problems(rollup({ filter: 'string length(name) > 3' }))).toEqual([
        `/modules/account/fields/8/filter: filter 'string length(name) > 3': 'string length(name)' is not supported in a rollup filter (fields, literals and comparisons only)`,
      ]);
      expect(await problems(rollup({ filter: 'stage > 3' }))).toEqual([
        `/modules/account/fields/8/filter: filter 'stage > 3': 'stage > 3' compares a text with a number`,
      ]);
      expect(await problems(rollup({ filter: 'colour = "red"' }))).toEqual([
        `/modules/account/fields/8/filter: filter 'colour = "red"': 'colour' is not a field of the source rows`,
      ]);
    });

    it('refuses unknown sources and fields, money without its currency, and mixed currencies', async () => {
      expect(await problems(rollup({ over: 'nothing' }))).toEqual([
        `/modules/account/fields/8/over: module 'account' has no related list or sub-table named 'nothing'`,
      ]);
      expect(await problems(rollup({ field: 'stage' }))).toEqual([
        `/modules/account/fields/8/field: field 'stage' is a select field, not a number or a date`,
      ]);
      expect(await problems(rollup({ currency: undefined }))).toEqual([
        `/modules/account/fields/8/currency: field 'amount' is money in CNY: set currency 'CNY'`,
      ]);
      const multi = {
        ...opportunity,
        fields: opportunity.fields.map((f) =>
          f.name === 'amount' ? { ...f, currencies: ['CNY', 'USD'] } : f,
        ),
      };
      expect(await problems(rollup({}), [multi])).toContain(
        `/modules/account/fields/8/field: money field 'amount' allows several currencies (CNY, USD): amounts in different currencies cannot be added up`,
      );
    });

    it('refuses a cycle of rollups and formulas', async () => {
      // a real cycle: the opportunity's rollup over accounts' rollup over opportunities
      const back = {
        ...opportunity,
        fields: [
          ...opportunity.fields,
          {
            id: 'o_owner',
            name: 'holder',
            type: 'relation',
            label: { en: 'Holder' },
            target: 'mod_st_account',
            inverse: { name: 'held', label: { en: 'Held' } },
          },
          {
            id: 'o_sum',
            name: 'held_total',
            type: 'rollup',
            label: { en: 'Held total' },
            over: 'holding',
            aggregate: 'sum',
            field: 'test_rollup',
          },
        ],
      };
      const accountLink = {
        id: 'a_hold',
        name: 'holder_of',
        type: 'relation',
        label: { en: 'Holder of' },
        target: 'mod_st_opportunity',
        inverse: { name: 'holding', label: { en: 'Holding' } },
      };
      await workspace.definitions.saveDraft({
        ...account,
        fields: [...account.fields, accountLink, rollup({ field: 'held_total', currency: undefined })],
      });
      await workspace.definitions.saveDraft(back);
      const error = await engineError(workspace.definitions.publish());
      await workspace.definitions.discardDraft('account');
      await workspace.definitions.discardDraft('opportunity');
      expect(error.problems.map((p) => p.code)).toContain('cycle');
      expect(error.problems.find((p) => p.code === 'cycle')?.message).toContain(
        'account.test_rollup → opportunity.held_total → account.test_rollup',
      );
    });

    it('backfills a rollup added to records that exist', async () => {
      const acme = await create('account', { name: 'Backfilled' });
      await create('opportunity', { name: 'X', account: acme.id, amount: cny(7), stage: 'lost' });
      await create('opportunity', { name: 'Y', account: acme.id, amount: cny(8), stage: 'new' });
      await workspace.definitions.saveDraft(
        withField(rollup({ aggregate: 'sum', filter: 'stage = "lost"' })),
      );
      await workspace.definitions.publish(['account']);
      expect((await get('account', acme.id)).test_rollup).toEqual(cny(7));
      await workspace.definitions.saveDraft(account);
      await workspace.definitions.publish(['account']);
    });
  });

  it('equals a recomputation from scratch after every step of a random sequence of changes', async () => {
    const next = random(20261122);
    const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)];
    const regions = [await create('region', { name: 'R1' }), await create('region', { name: 'R2' })];
    const accounts: StoredRecord[] = [];
    for (const name of ['A1', 'A2', 'A3'])
      accounts.push(await create('account', { name, region: pick(regions).id }));
    const products = [await create('product', { name: 'P1' }), await create('product', { name: 'P2' })];
    const opportunities: StoredRecord[] = [];
    const binned: StoredRecord[] = [];
    const movements: StoredRecord[] = [];
    const quotes: StoredRecord[] = [];
    const amount = () => (next() < 0.1 ? null : cny(Math.round(next() * 60000 - 5000) / 100));
    const stage = () => pick(['new', 'won', 'lost']);
    const date = () =>
      next() < 0.3 ? null : `2026-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`;
    const lines = () =>
      Array.from({ length: 1 + Math.floor(next() * 3) }, () => ({
        product: pick(products).id,
        quantity: pick([-3, -1, 1, 2, 5, 12]),
      }));
    const quoteLines = () =>
      Array.from({ length: Math.floor(next() * 4) }, (_, i) => ({
        item: `i${i}`,
        quantity: 1 + Math.floor(next() * 9),
        unit_price: cny(Math.round(next() * 10000) / 100),
        taxable: next() < 0.5,
      }));
    const steps: [string, () => Promise<unknown>][] = [
      [
        'create opportunity',
        async () => {
          opportunities.push(
            await create('opportunity', {
              name: 'O',
              account: next() < 0.9 ? pick(accounts).id : null,
              amount: amount(),
              stage: stage(),
              close_date: date(),
            }),
          );
        },
      ],
      [
        'change amount',
        async () =>
          opportunities.length && update('opportunity', pick(opportunities).id, { amount: amount() }),
      ],
      [
        'change stage',
        async () =>
          opportunities.length &&
          update('opportunity', pick(opportunities).id, { stage: stage(), close_date: date() }),
      ],
      [
        'move opportunity',
        async () =>
          opportunities.length &&
          update('opportunity', pick(opportunities).id, { account: next() < 0.8 ? pick(accounts).id : null }),
      ],
      [
        'delete opportunity',
        async () => {
          if (opportunities.length === 0) return;
          const [gone] = opportunities.splice(Math.floor(next() * opportunities.length), 1);
          await workspace.records.delete('opportunity', gone.id, SYSTEM_ACTOR);
          binned.push(gone);
        },
      ],
      [
        'restore opportunity',
        async () => {
          if (binned.length === 0) return;
          const [back] = binned.splice(Math.floor(next() * binned.length), 1);
          await workspace.records.restore('opportunity', back.id, SYSTEM_ACTOR);
          opportunities.push(back);
        },
      ],
      [
        'move account',
        async () => update('account', pick(accounts).id, { region: next() < 0.8 ? pick(regions).id : null }),
      ],
      [
        'create movement',
        async () => movements.push(await create('stock_movement', { ref: 'M', lines: lines() })),
      ],
      [
        'change movement lines',
        async () => {
          if (movements.length === 0) return;
          const movement = await get('stock_movement', pick(movements).id);
          const kept = (movement.lines as Row[])
            .filter(() => next() < 0.7)
            .map((l) => (next() < 0.5 ? { ...l, quantity: pick([-2, 4, 7]) } : l));
          await update('stock_movement', movement.id, { lines: [...kept, ...lines()] });
        },
      ],
      [
        'delete movement',
        async () => {
          if (movements.length === 0) return;
          const [gone] = movements.splice(Math.floor(next() * movements.length), 1);
          await workspace.records.delete('stock_movement', gone.id, SYSTEM_ACTOR);
          if (next() < 0.4) {
            await workspace.records.restore('stock_movement', gone.id, SYSTEM_ACTOR);
            movements.push(gone);
          } else if (next() < 0.5) {
            await workspace.records.purge('stock_movement', SYSTEM_ACTOR, { id: gone.id });
          }
        },
      ],
      ['create quote', async () => quotes.push(await create('quote', { title: 'Q', lines: quoteLines() }))],
      [
        'change quote rows',
        async () => {
          if (quotes.length === 0) return;
          const quote = pick(quotes);
          const rows = ((await get('quote', quote.id)).lines as Row[]).filter(() => next() < 0.6);
          if (next() < 0.5)
            await update('quote', quote.id, {
              lines: [...rows, ...quoteLines().map((l) => ({ ...l, item: `n${next()}` }))],
            });
          else
            await workspace.records.appendRow(
              'quote',
              quote.id,
              'lines',
              { item: `a${next()}`, quantity: 2, unit_price: cny(1.5) },
              SYSTEM_ACTOR,
            );
        },
      ],
    ];
    for (let i = 0; i < 80; i++) {
      const [name, step] = pick(steps);
      await step();
      const { expected, stored } = await compareRollups(workspace);
      expect(stored, `after step ${i} (${name})`).toEqual(expected);
    }
  });
});
