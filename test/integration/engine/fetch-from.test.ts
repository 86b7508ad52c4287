// fetchFrom: a relation set or changed brings the related record's value into the field (on the
// record and in sub-table rows), read with the writer's access; bad settings are refused at publish.
import { type Actor, SYSTEM_ACTOR } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { role } from '../../support/access-fixtures.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { organisation } from '../../support/org.ts';

const ITEM = 'mod_ff_item';
const cny = (amount: number) => ({ amount, currency: 'CNY' });

const item = {
  id: ITEM,
  name: 'ff_item',
  label: { en: 'Item', 'zh-CN': '物品' },
  fields: [
    { id: 'ffi_name', name: 'name', type: 'text', label: { en: 'Name' }, required: true },
    { id: 'ffi_price', name: 'price', type: 'money', label: { en: 'Price' }, currency: 'CNY' },
    { id: 'ffi_cost', name: 'cost', type: 'decimal', label: { en: 'Cost' }, scale: 2 },
    { id: 'ffi_code', name: 'code', type: 'text', label: { en: 'Code' } },
  ],
};

const order = {
  id: 'mod_ff_order',
  name: 'ff_order',
  label: { en: 'Order', 'zh-CN': '订单' },
  fields: [
    { id: 'ffo_title', name: 'title', type: 'text', label: { en: 'Title' } },
    {
      id: 'ffo_item',
      name: 'item',
      type: 'relation',
      label: { en: 'Item' },
      target: ITEM,
      inverse: { name: 'ff_orders', label: { en: 'Orders' } },
    },
    {
      id: 'ffo_price',
      name: 'price',
      type: 'money',
      label: { en: 'Price' },
      currency: 'CNY',
      fetchFrom: 'item.price',
    },
    { id: 'ffo_code', name: 'code', type: 'text', label: { en: 'Code' }, fetchFrom: 'item.code' },
    {
      id: 'ffo_lines',
      name: 'lines',
      type: 'subtable',
      label: { en: 'Lines' },
      fields: [
        {
          id: 'ffl_item',
          name: 'item',
          type: 'relation',
          label: { en: 'Item' },
          target: ITEM,
          inverse: { name: 'ff_order_lines', label: { en: 'Order lines' } },
        },
        { id: 'ffl_qty', name: 'qty', type: 'integer', label: { en: 'Qty' } },
        {
          id: 'ffl_price',
          name: 'price',
          type: 'money',
          label: { en: 'Price' },
          currency: 'CNY',
          fetchFrom: 'item.price',
        },
        {
          id: 'ffl_cost',
          name: 'cost',
          type: 'money',
          label: { en: 'Cost' },
          currency: 'CNY',
          fetchFrom: 'item.cost',
        },
        {
          id: 'ffl_amount',
          name: 'amount',
          type: 'formula',
          label: { en: 'Amount' },
          expression: 'qty * price',
          resultType: 'decimal',
        },
      ],
    },
  ],
};

type Row = Record<string, unknown>;
const rowsOf = (record: Row) => (record.lines ?? []) as Row[];

forEachDatabase('fetchFrom', (handle) => {
  let pen: Row;
  let ink: Row;
  let secret: Row;
  let noPrice: Actor;
  let noItems: Actor;

  beforeAll(async () => {
    const { definitions, records } = handle().workspace;
    await definitions.saveDraft(item);
    await definitions.saveDraft(order);
    await definitions.publish();
    pen = await records.create(
      'ff_item',
      { name: 'Pen', price: cny(12.5), cost: 4.2, code: 'P-1' },
      SYSTEM_ACTOR,
    );
    ink = await records.create(
      'ff_item',
      { name: 'Ink', price: cny(30), cost: 11, code: 'I-9' },
      SYSTEM_ACTOR,
    );
    secret = await records.create('ff_item', { name: 'Secret', price: cny(99), code: 'S-0' }, SYSTEM_ACTOR);

    const org = organisation(handle());
    const all = { read: 'all', create: 'all', update: 'all' } as const;
    await org.role(role('ff_no_price', ITEM, { read: 'all', fields: { price: 'none', cost: 'none' } }));
    await org.role(role('ff_orders', 'mod_ff_order', all));
    const clerk = await org.user('ff_clerk');
    await org.grant(clerk, 'ff_no_price');
    await org.grant(clerk, 'ff_orders');
    const stranger = await org.user('ff_stranger');
    await org.grant(stranger, 'ff_orders');
    noPrice = { userId: clerk.id };
    noItems = { userId: stranger.id };
  });

  it('fills the fields of a relation set on create, the values given winning', async () => {
    const { records } = handle().workspace;
    const fetched = await records.create('ff_order', { title: 'A', item: pen.id }, SYSTEM_ACTOR);
    expect([fetched.price, fetched.code]).toEqual([cny(12.5), 'P-1']);
    const given = await records.create(
      'ff_order',
      { title: 'B', item: pen.id, price: cny(10), code: null },
      SYSTEM_ACTOR,
    );
    expect([given.price, given.code]).toEqual([cny(10), null]);
    const none = await records.create('ff_order', { title: 'C' }, SYSTEM_ACTOR);
    expect([none.price, none.code]).toEqual([null, null]);
  });

  it('fetches again when the relation changes, and keeps an overwritten value while it does not', async () => {
    const { records } = handle().workspace;
    const created = await records.create('ff_order', { title: 'D', item: pen.id }, SYSTEM_ACTOR);
    const overwritten = await records.update(
      'ff_order',
      String(created.id),
      { price: cny(11) },
      SYSTEM_ACTOR,
    );
    expect(overwritten.price).toEqual(cny(11));
    // the same relation sent again (a whole form) changes nothing
    const same = await records.update(
      'ff_order',
      String(created.id),
      { title: 'D2', item: String(pen.id).toUpperCase() },
      SYSTEM_ACTOR,
    );
    expect([same.title, same.price]).toEqual(['D2', cny(11)]);
    const moved = await records.update('ff_order', String(created.id), { item: ink.id }, SYSTEM_ACTOR);
    expect([moved.price, moved.code]).toEqual([cny(30), 'I-9']);
    const movedWithPrice = await records.update(
      'ff_order',
      String(created.id),
      { item: pen.id, price: cny(9) },
      SYSTEM_ACTOR,
    );
    expect([movedWithPrice.price, movedWithPrice.code]).toEqual([cny(9), 'P-1']);
  });

  it('fills new rows and rows whose relation changes, number into money too, before the row formulas', async () => {
    const { records } = handle().workspace;
    const created = await records.create(
      'ff_order',
      {
        title: 'Lines',
        lines: [{ item: pen.id, qty: 2 }, { item: ink.id, qty: 1, price: cny(25) }, { qty: 3 }],
      },
      SYSTEM_ACTOR,
    );
    expect(rowsOf(created).map((r) => [r.price, r.cost, r.amount])).toEqual([
      [cny(12.5), cny(4.2), 25],
      [cny(25), cny(11), 25],
      [null, null, null],
    ]);
    const [first, second, third] = rowsOf(created);
    const updated = await records.update(
      'ff_order',
      String(created.id),
      {
        lines: [
          { ...first, price: cny(12) }, // overwritten, relation unchanged: stays
          { id: second.id, item: pen.id, qty: 1 }, // another item: fetched again
          { id: third.id, item: ink.id, qty: 3 }, // a relation set now
        ],
      },
      SYSTEM_ACTOR,
    );
    expect(rowsOf(updated).map((r) => [r.price, r.amount])).toEqual([
      [cny(12), 24],
      [cny(12.5), 12.5],
      [cny(30), 90],
    ]);
    const appended = await records.appendRow(
      'ff_order',
      String(created.id),
      'lines',
      { item: ink.id, qty: 2 },
      SYSTEM_ACTOR,
    );
    expect(rowsOf(appended).map((r) => r.price)).toEqual([cny(12), cny(12.5), cny(30), cny(30)]);
  });

  it("reads the related record with the writer's access: nothing fetched that they may not read", async () => {
    const { records } = handle().workspace;
    const clerks = await records.create(
      'ff_order',
      { title: 'Clerk', item: pen.id, lines: [{ item: ink.id, qty: 1 }] },
      noPrice,
    );
    // the code is readable, the price not
    expect([clerks.price, clerks.code, rowsOf(clerks)[0].price]).toEqual([null, 'P-1', null]);
    const strangers = await records.create('ff_order', { title: 'Stranger', item: secret.id }, noItems);
    expect([strangers.price, strangers.code]).toEqual([null, null]);
    // an id that is not a record (or not an id) fetches nothing, and the relation's own check speaks
    const error = await engineError(records.create('ff_order', { title: 'Bad', item: 'nope' }, SYSTEM_ACTOR));
    expect(error.problems.map((p) => p.pointer)).toEqual(['/item']);
  });

  it('refuses bad settings at publish, naming the field and why, and publishes nothing', async () => {
    const { definitions, records } = handle().workspace;
    const base = {
      id: 'mod_ff_bad',
      name: 'ff_bad',
      label: { en: 'Bad' },
      fields: [
        {
          id: 'ffb_item',
          name: 'item',
          type: 'relation',
          label: { en: 'Item' },
          target: ITEM,
        },
        { id: 'ffb_title', name: 'title', type: 'text', label: { en: 'Title' } },
        { id: 'ffb_n', name: 'n', type: 'integer', label: { en: 'N' } },
      ],
    };
    const withSetting = (fields: Row[]) => ({ ...base, fields: [...base.fields, ...fields] });
    const cases: [Row[], string, RegExp, RegExp][] = [
      [
        [
          {
            id: 'ffb_x',
            name: 'x',
            type: 'money',
            label: { en: 'X' },
            currency: 'CNY',
            fetchFrom: 'itm.price',
          },
        ],
        '/fields/3/fetchFrom',
        /no relation field 'itm' beside x/,
        /没有关联字段“itm”/,
      ],
      [
        [{ id: 'ffb_x', name: 'x', type: 'text', label: { en: 'X' }, fetchFrom: 'title.name' }],
        '/fields/3/fetchFrom',
        /'title' is a text field, not a relation/,
        /不是单条记录的关联字段/,
      ],
      [
        [{ id: 'ffb_x', name: 'x', type: 'text', label: { en: 'X' }, fetchFrom: 'item.colour' }],
        '/fields/3/fetchFrom',
        /module ff_item has no field 'colour'/,
        /没有字段“colour”/,
      ],
      [
        [{ id: 'ffb_x', name: 'x', type: 'text', label: { en: 'X' }, fetchFrom: 'item.price' }],
        '/fields/3/fetchFrom',
        /ff_item.price \(money\) does not fit x \(text\)/,
        /类型不兼容/,
      ],
      [
        [{ id: 'ffb_x', name: 'x', type: 'integer', label: { en: 'X' }, fetchFrom: 'item.cost' }],
        '/fields/3/fetchFrom',
        /ff_item.cost \(decimal\) does not fit x \(integer\)/,
        /类型不兼容/,
      ],
      [
        [
          {
            id: 'ffb_x',
            name: 'x',
            type: 'formula',
            label: { en: 'X' },
            expression: 'n',
            resultType: 'number',
            fetchFrom: 'item.cost',
          },
        ],
        '/fields/3/fetchFrom',
        /x is computed, so nothing is fetched into it/,
        /计算字段/,
      ],
      [
        [{ id: 'ffb_x', name: 'x', type: 'text', label: { en: 'X' }, fetchFrom: 'item' }],
        '/fields/3/fetchFrom',
        /'item' is not a relation field name and a field name joined by a dot/,
        /以点相连/,
      ],
      [
        [
          {
            id: 'ffb_rows',
            name: 'rows',
            type: 'subtable',
            label: { en: 'Rows' },
            // the module's relation is not the row's: a row field fetches through a row relation
            fields: [
              {
                id: 'ffbr_p',
                name: 'p',
                type: 'money',
                label: { en: 'P' },
                currency: 'CNY',
                fetchFrom: 'item.price',
              },
            ],
          },
        ],
        '/fields/3/fields/0/fetchFrom',
        /no relation field 'item' beside p/,
        /没有关联字段“item”/,
      ],
    ];
    for (const [fields, pointer, en, zh] of cases) {
      await definitions.saveDraft(withSetting(fields));
      const error = await engineError(definitions.publish());
      // the only problem, at the setting, in both languages
      expect(error.problems).toEqual([
        {
          pointer: `/modules/ff_bad${pointer}`,
          code: 'fetchFrom',
          message: expect.stringMatching(en),
          messages: { en: expect.stringMatching(en), 'zh-CN': expect.stringMatching(zh) },
        },
      ]);
      await definitions.discardDraft('mod_ff_bad');
    }
    await expect(records.list('ff_bad', SYSTEM_ACTOR)).rejects.toThrow(/ff_bad/);
    // a good one: a row relation's field, number into money
    await definitions.saveDraft(
      withSetting([
        {
          id: 'ffb_rows',
          name: 'rows',
          type: 'subtable',
          label: { en: 'Rows' },
          fields: [
            { id: 'ffbr_i', name: 'it', type: 'relation', label: { en: 'It' }, target: ITEM },
            {
              id: 'ffbr_p',
              name: 'p',
              type: 'money',
              label: { en: 'P' },
              currency: 'CNY',
              fetchFrom: 'it.cost',
            },
          ],
        },
      ]),
    );
    await definitions.publish();
    const saved = await records.create('ff_bad', { rows: [{ it: pen.id }] }, SYSTEM_ACTOR);
    expect(rowsOf({ lines: saved.rows }).map((r) => r.p)).toEqual([cny(4.2)]);
  });
});
