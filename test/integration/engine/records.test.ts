// The record service: validation of every field type, defaults, formulas, rules, exact money,
// history, relations and concurrent writers.
import { type EngineError, type StoredRecord, SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { organisation } from '../../support/org.ts';

const options = (values: string[]) => values.map((value) => ({ value, label: { en: value } }));

const account = {
  id: 'mod_rec_account',
  name: 'account',
  label: { en: 'Account' },
  fields: [{ id: 'a_name', name: 'name', type: 'text', label: { en: 'Name' }, required: true, unique: true }],
};

/** Every field type, with the settings validation checks. */
const ticket = {
  id: 'mod_rec_ticket',
  name: 'ticket',
  label: { en: 'Ticket', 'zh-CN': '工单' },
  fields: [
    {
      id: 't_title',
      name: 'title',
      type: 'text',
      label: { en: 'Title' },
      required: true,
      minLength: 2,
      maxLength: 20,
      pattern: '^[A-Z]',
    },
    { id: 't_body', name: 'body', type: 'longText', label: { en: 'Body' }, maxLength: 50 },
    { id: 't_qty', name: 'qty', type: 'integer', label: { en: 'Quantity' }, min: 1, max: 10 },
    { id: 't_price', name: 'price', type: 'decimal', label: { en: 'Price' }, scale: 2, min: 0, max: 1000 },
    { id: 't_amount', name: 'amount', type: 'money', label: { en: 'Amount' }, currencies: ['CNY', 'USD'] },
    { id: 't_fee', name: 'fee', type: 'money', label: { en: 'Fee' }, currency: 'USD' },
    { id: 't_rate', name: 'rate', type: 'percent', label: { en: 'Rate' }, scale: 1, max: 100 },
    { id: 't_due', name: 'due', type: 'date', label: { en: 'Due' } },
    { id: 't_at', name: 'at', type: 'datetime', label: { en: 'At' } },
    { id: 't_ok', name: 'ok', type: 'boolean', label: { en: 'OK' } },
    {
      id: 't_stage',
      name: 'stage',
      type: 'select',
      label: { en: 'Stage' },
      options: options(['new', 'won', 'lost']),
    },
    {
      id: 't_tags',
      name: 'tags',
      type: 'multiSelect',
      label: { en: 'Tags' },
      options: options(['red', 'green', 'blue']),
      maxItems: 2,
    },
    { id: 't_email', name: 'email', type: 'email', label: { en: 'Email' } },
    { id: 't_phone', name: 'phone', type: 'phone', label: { en: 'Phone' } },
    { id: 't_site', name: 'site', type: 'url', label: { en: 'Site' } },
    { id: 't_assignee', name: 'assignee', type: 'user', label: { en: 'Assignee' } },
    { id: 't_dept', name: 'dept', type: 'department', label: { en: 'Department' } },
    {
      id: 't_account',
      name: 'account',
      type: 'relation',
      label: { en: 'Account' },
      target: 'mod_rec_account',
    },
    {
      id: 't_sponsor',
      name: 'sponsor',
      type: 'relation',
      label: { en: 'Sponsor' },
      target: 'mod_rec_account',
      onDelete: 'setNull',
    },
    // formulas, the one reading another placed first: order comes from the references
    {
      id: 't_total',
      name: 'total',
      type: 'formula',
      label: { en: 'Total' },
      expression: 'subtotal + tax',
      resultType: 'decimal',
      scale: 2,
    },
    {
      id: 't_tax',
      name: 'tax',
      type: 'formula',
      label: { en: 'Tax' },
      expression: 'subtotal * 0.1',
      resultType: 'decimal',
      scale: 2,
    },
    {
      id: 't_subtotal',
      name: 'subtotal',
      type: 'formula',
      label: { en: 'Subtotal' },
      expression: 'qty * price',
      resultType: 'decimal',
      scale: 2,
    },
    {
      id: 't_sum',
      name: 'money_sum',
      type: 'formula',
      label: { en: 'Amount + fee' },
      expression: 'amount + fee',
      resultType: 'decimal',
      scale: 2,
    },
    {
      id: 't_days',
      name: 'days_left',
      type: 'formula',
      label: { en: 'Days left' },
      expression: '(due - today()).days',
      resultType: 'integer',
    },
    {
      id: 't_late',
      name: 'late',
      type: 'formula',
      label: { en: 'Late' },
      expression: 'due < today()',
      resultType: 'boolean',
    },
    {
      id: 't_day',
      name: 'created_day',
      type: 'formula',
      label: { en: 'Created on' },
      expression: 'date(created_at)',
      resultType: 'date',
    },
    // defaults: FEEL, on create only
    {
      id: 't_priority',
      name: 'priority',
      type: 'select',
      label: { en: 'Priority' },
      options: options(['low', 'normal', 'high']),
      defaultValue: 'if qty > 5 then "high" else "normal"',
    },
    { id: 't_opened', name: 'opened', type: 'date', label: { en: 'Opened' }, defaultValue: 'today()' },
    { id: 't_budget', name: 'budget', type: 'money', label: { en: 'Budget' }, defaultValue: '100' },
  ],
  rules: [
    {
      id: 'r_won_amount',
      when: 'stage = "won"',
      expression: 'amount != null',
      message: { en: 'A won ticket needs an amount', 'zh-CN': '赢单需要金额' },
      fields: ['amount'],
    },
    {
      id: 'r_fee',
      expression: 'fee <= amount',
      message: { en: 'The fee cannot exceed the amount' },
    },
  ],
};

/** A module pointing at itself. */
const node = {
  id: 'mod_rec_node',
  name: 'node',
  label: { en: 'Node' },
  fields: [
    { id: 'n_name', name: 'name', type: 'text', label: { en: 'Name' } },
    { id: 'n_parent', name: 'parent', type: 'relation', label: { en: 'Parent' }, target: 'mod_rec_node' },
  ],
};

const MISSING = '01900000-0000-7000-8000-000000000000';
let USER = '';
let ALICE = { userId: USER };

/** Today in FEEL's calendar (the local one), shifted by `days`. */
function isoDay(days = 0): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

forEachDatabase('records', (handle) => {
  let workspace: Workspace;
  let acme: StoredRecord;
  let globex: StoredRecord;
  const create = (values: Record<string, unknown>, actor = SYSTEM_ACTOR) =>
    workspace.records.create('ticket', { title: 'Ticket', ...values }, actor);

  beforeAll(async () => {
    workspace = handle().workspace;
    USER = (await organisation(handle()).user('alice', { admin: true })).id;
    ALICE = { userId: USER };
    for (const definition of [account, ticket, node]) await workspace.definitions.saveDraft(definition);
    await workspace.definitions.publish();
    [acme, globex] = await Promise.all(
      ['Acme', 'Globex'].map((name) => workspace.records.create('account', { name }, SYSTEM_ACTOR)),
    );
  });

  async function invalid(values: Record<string, unknown>): Promise<EngineError> {
    const before = (await workspace.records.list('ticket', SYSTEM_ACTOR, { count: true, limit: 1 })).total;
    const error = await engineError(create(values));
    expect(error.kind).toBe('invalid-record');
    expect((await workspace.records.list('ticket', SYSTEM_ACTOR, { count: true, limit: 1 })).total).toBe(
      before,
    );
    return error;
  }

  describe('validation', () => {
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['required', { title: undefined }, '/title', 'required'],
      ['required, null', { title: null }, '/title', 'required'],
      ['text too short', { title: 'A' }, '/title', 'minLength'],
      ['text too long', { title: `A${'x'.repeat(20)}` }, '/title', 'maxLength'],
      ['text pattern', { title: 'lower case' }, '/title', 'pattern'],
      ['text type', { title: 42 }, '/title', 'type'],
      ['long text too long', { body: 'x'.repeat(51) }, '/body', 'maxLength'],
      ['integer below min', { qty: 0 }, '/qty', 'minimum'],
      ['integer above max', { qty: 11 }, '/qty', 'maximum'],
      ['integer fraction', { qty: 1.5 }, '/qty', 'type'],
      ['integer as text', { qty: '5' }, '/qty', 'type'],
      ['decimal scale', { price: 1.234 }, '/price', 'multipleOf'],
      ['decimal scale, half a cent', { price: 1.005 }, '/price', 'multipleOf'],
      ['decimal below min', { price: -0.01 }, '/price', 'minimum'],
      ['decimal above max', { price: 1000.01 }, '/price', 'maximum'],
      ['money currency not allowed', { amount: { amount: 1, currency: 'EUR' } }, '/amount/currency', 'enum'],
      ['money currency not the one', { fee: { amount: 1, currency: 'CNY' } }, '/fee/currency', 'enum'],
      ['money scale', { amount: { amount: 1.001 } }, '/amount/amount', 'multipleOf'],
      ['money without amount', { amount: { currency: 'CNY' } }, '/amount/amount', 'required'],
      ['money as number', { amount: 5 }, '/amount', 'type'],
      ['money extra key', { amount: { amount: 1, rate: 2 } }, '/amount/rate', 'additionalProperties'],
      ['money too large', { amount: { amount: 1e13 } }, '/amount/amount', 'maximum'],
      ['percent scale', { rate: 1.25 }, '/rate', 'multipleOf'],
      ['percent max', { rate: 100.1 }, '/rate', 'maximum'],
      ['date that does not exist', { due: '2026-02-30' }, '/due', 'format'],
      ['date format', { due: '2026/01/01' }, '/due', 'format'],
      ['date as date-time', { due: '2026-01-01T00:00:00Z' }, '/due', 'format'],
      ['date-time words', { at: 'yesterday' }, '/at', 'format'],
      ['date-time without time', { at: '2026-01-01' }, '/at', 'format'],
      ['boolean as text', { ok: 'yes' }, '/ok', 'type'],
      ['select option', { stage: 'maybe' }, '/stage', 'enum'],
      ['multi option', { tags: ['red', 'pink'] }, '/tags/1', 'enum'],
      ['multi repeated', { tags: ['red', 'red'] }, '/tags', 'uniqueItems'],
      ['multi too many', { tags: ['red', 'green', 'blue'] }, '/tags', 'maxItems'],
      ['multi not a list', { tags: 'red' }, '/tags', 'type'],
      ['email', { email: 'not-an-email' }, '/email', 'format'],
      ['phone', { phone: 'call me' }, '/phone', 'pattern'],
      ['url scheme', { site: 'ftp://example.com' }, '/site', 'pattern'],
      ['url', { site: 'https://exa mple.com' }, '/site', 'format'],
      ['user uuid', { assignee: 'bob' }, '/assignee', 'format'],
      ['department uuid', { dept: '42' }, '/dept', 'format'],
      ['relation uuid', { account: 'acme' }, '/account', 'format'],
      ['unknown field', { nope: 1 }, '/nope', 'additionalProperties'],
      [
        'hostile unknown field',
        { 'title; DROP TABLE ticket': 'x' },
        '/title; DROP TABLE ticket',
        'additionalProperties',
      ],
      ['owner not a uuid', { owner: 'bob' }, '/owner', 'format'],
    ];
    it.each(cases)('%s', async (_title, values, pointer, code) => {
      const error = await invalid(values);
      expect(error.problems).toEqual([expect.objectContaining({ pointer, code })]);
      expect(error.problems[0].message.length).toBeGreaterThan(3);
    });

    it('lists every problem of a record at once, with messages in both languages', async () => {
      const error = await invalid({ title: 'x', qty: 0, stage: 'maybe', nope: true });
      expect(error.problems.map((p) => `${p.pointer} ${p.code}`).sort()).toEqual([
        '/nope additionalProperties',
        '/qty minimum',
        '/stage enum',
        '/title minLength',
        '/title pattern',
      ]);
      for (const problem of error.problems)
        expect(Object.keys(problem.messages ?? {})).toEqual(['en', 'zh-CN']);
    });

    it('takes values at the edges of what is allowed', async () => {
      const record = await create({
        title: `A${'x'.repeat(19)}`,
        body: 'x'.repeat(50),
        qty: 10,
        price: 1000,
        amount: { amount: 999999999999.99, currency: 'USD' },
        rate: 100,
        due: '2024-02-29',
        at: '2026-01-01T23:59:59.999+08:00',
        tags: ['blue', 'red'],
        phone: '+86 (010) 1234-5678',
        site: 'https://example.com/a/b?q=1&r=%E4%BD%A0#top',
        email: 'user@example.com',
      });
      expect(record).toMatchObject({
        qty: 10,
        price: 1000,
        amount: { amount: 999999999999.99, currency: 'USD' },
        due: '2024-02-29',
        at: '2026-01-01T15:59:59.999Z',
        tags: ['blue', 'red'],
      });
    });

    it('takes every amount with two decimals, however large, and stores it exactly', async () => {
      // float division makes 1234567.89 / 0.01 = 123456788.99999999: not a reason to refuse it
      const amounts = [1234567.89, 1001999.94, 10001999.96, 1000001999.81, 1000000001999.94, 0.07, 1.13];
      const records = await Promise.all(
        amounts.map((amount) => create({ amount: { amount }, price: amount < 1000 ? amount : undefined })),
      );
      expect(records.map((r) => (r.amount as { amount: number }).amount)).toEqual(amounts);
      const error = await invalid({ amount: { amount: 1234567.891 } });
      expect(error.problems).toMatchObject([{ pointer: '/amount/amount', code: 'multipleOf' }]);
      expect(error.problems[0].message).toBe('must have at most 2 decimal places');
    });

    it('refuses a record that is not an object', async () => {
      for (const input of [null, 'x', [1], 5]) {
        const error = await engineError(workspace.records.create('ticket', input, SYSTEM_ACTOR));
        expect(error.kind).toBe('invalid-record');
        expect(error.problems).toMatchObject([{ pointer: '', code: 'type' }]);
      }
    });
  });

  describe('input handling', () => {
    it('ignores system and computed fields in the input', async () => {
      const record = await create({
        id: MISSING,
        version: 99,
        created_at: '2000-01-01T00:00:00Z',
        updated_by: USER,
        qty: 2,
        price: 3,
        subtotal: 1000,
        total: 1,
        late: true,
      });
      expect(record.id).not.toBe(MISSING);
      expect(record).toMatchObject({ version: 1, subtotal: 6, total: 6.6, late: null, updated_by: null });
      expect(record.created_at > '2020').toBe(true);
      const updated = await workspace.records.update(
        'ticket',
        record.id,
        { version: 50, id: MISSING, tax: 99, qty: 3 },
        SYSTEM_ACTOR,
      );
      expect(updated).toMatchObject({ id: record.id, version: 2, subtotal: 9, tax: 0.9, total: 9.9 });
    });

    it('takes null as "clear the field", on create and on update', async () => {
      const record = await create({ body: null, qty: 4, price: 2.5, tags: ['red'], amount: { amount: 5 } });
      expect(record).toMatchObject({ body: null, subtotal: 10 });
      const updated = await workspace.records.update(
        'ticket',
        record.id,
        { qty: null, tags: null, amount: null },
        SYSTEM_ACTOR,
      );
      expect(updated).toMatchObject({ qty: null, tags: null, amount: null, subtotal: null, total: null });
      expect(updated.price).toBe(2.5);
      const error = await engineError(
        workspace.records.update('ticket', record.id, { title: null }, SYSTEM_ACTOR),
      );
      expect(error.problems).toMatchObject([{ pointer: '/title', code: 'required' }]);
    });

    it('applies FEEL defaults on create only, never over a given value', async () => {
      const plain = await create({});
      expect(plain).toMatchObject({
        priority: 'normal',
        opened: isoDay(),
        budget: { amount: 100, currency: 'CNY' },
      });
      const big = await create({ qty: 8, price: 1 });
      expect(big.priority).toBe('high');
      const given = await create({
        qty: 8,
        price: 1,
        priority: 'low',
        opened: '2020-01-01',
        budget: { amount: 5 },
      });
      expect(given).toMatchObject({ priority: 'low', opened: '2020-01-01', budget: { amount: 5 } });
      const cleared = await workspace.records.update(
        'ticket',
        plain.id,
        { priority: null, opened: null, qty: 9 },
        SYSTEM_ACTOR,
      );
      expect(cleared).toMatchObject({ priority: null, opened: null, qty: 9 });
    });

    it('sets the owner from the input or the actor', async () => {
      expect((await create({}, ALICE)).owner).toBe(USER);
      expect((await create({ owner: MISSING })).owner).toBe(MISSING);
      const record = await create({}, ALICE);
      expect(record).toMatchObject({ created_by: USER, updated_by: USER, owner: USER });
    });
  });

  describe('formulas and rules', () => {
    it('recomputes formulas on every save, in dependency order', async () => {
      const record = await create({ qty: 3, price: 19.99 });
      expect(record).toMatchObject({ subtotal: 59.97, tax: 6, total: 65.97 });
      const updated = await workspace.records.update('ticket', record.id, { price: 0.1 }, SYSTEM_ACTOR);
      expect(updated).toMatchObject({ subtotal: 0.3, tax: 0.03, total: 0.33 });
      expect(await workspace.records.get('ticket', record.id, SYSTEM_ACTOR)).toMatchObject({
        subtotal: 0.3,
        total: 0.33,
      });
    });

    it('computes money exactly to the scale', async () => {
      const record = await create({ amount: { amount: 0.2 }, fee: { amount: 0.1, currency: 'USD' } });
      expect(record.money_sum).toBe(0.3);
      const cents = await create({ qty: 3, price: 19.99, amount: { amount: 0.1 + 0.2 } });
      expect(cents).toMatchObject({ subtotal: 59.97, amount: { amount: 0.3, currency: 'CNY' } });
      const round = await create({ qty: 1, price: 0.05 });
      expect(round).toMatchObject({ tax: 0.01, total: 0.06 }); // 0.005 rounds half up
      const many = await create({
        qty: 7,
        price: 0.1,
        amount: { amount: 1234567.89 },
        fee: { amount: 0.01 },
      });
      expect(many).toMatchObject({ subtotal: 0.7, money_sum: 1234567.9 });
    });

    it('computes date formulas against today', async () => {
      const record = await create({ due: isoDay(10) });
      expect(record).toMatchObject({ days_left: 10, late: false });
      const late = await workspace.records.update('ticket', record.id, { due: isoDay(-3) }, SYSTEM_ACTOR);
      expect(late).toMatchObject({ days_left: -3, late: true });
      expect((await create({})).days_left).toBeNull();
    });

    it('lets formulas read the system fields', async () => {
      const record = await create({});
      expect(record.created_day).toBe(record.created_at.slice(0, 10));
      const updated = await workspace.records.update('ticket', record.id, { qty: 2 }, SYSTEM_ACTOR);
      expect(updated.created_day).toBe(record.created_at.slice(0, 10));
    });

    it('checks rules, with `when` deciding whether a rule applies', async () => {
      const noAmount = await invalid({ stage: 'won' });
      expect(noAmount.problems).toEqual([
        {
          pointer: '/amount',
          code: 'rule',
          message: 'A won ticket needs an amount',
          messages: { en: 'A won ticket needs an amount', 'zh-CN': '赢单需要金额' },
        },
      ]);
      expect((await create({ stage: 'lost' })).stage).toBe('lost');
      expect((await create({ stage: 'won', amount: { amount: 1 } })).stage).toBe('won');
      const fee = await invalid({ amount: { amount: 1 }, fee: { amount: 2 } });
      expect(fee.problems).toMatchObject([{ pointer: '', code: 'rule' }]);
      // a rule over an empty field holds (null is not false)
      expect((await create({ fee: { amount: 2 } })).fee).toEqual({ amount: 2, currency: 'USD' });
      const record = await create({ stage: 'won', amount: { amount: 1 } });
      const error = await engineError(
        workspace.records.update('ticket', record.id, { amount: null }, SYSTEM_ACTOR),
      );
      expect(error.problems).toMatchObject([{ pointer: '/amount', code: 'rule' }]);
      expect((await workspace.records.get('ticket', record.id, SYSTEM_ACTOR)).version).toBe(1);
    });
  });

  describe('history', () => {
    it('keeps one entry per write with field-level changes, none for a no-op, and one for the delete', async () => {
      const record = await create(
        { qty: 2, price: 1.5, tags: ['red'], amount: { amount: 10 }, at: '2026-01-01T08:00:00+08:00' },
        ALICE,
      );
      const first = await workspace.records.history('ticket', record.id, SYSTEM_ACTOR);
      expect(first).toHaveLength(1);
      expect(first[0]).toMatchObject({ version: 1, op: 'create', actor: USER });
      expect(first[0].changes).toMatchObject({
        title: { to: 'Ticket' },
        qty: { to: 2 },
        subtotal: { to: 3 },
        amount: { to: { amount: 10, currency: 'CNY' } },
        at: { to: '2026-01-01T00:00:00.000Z' },
        priority: { to: 'normal' },
      });
      expect(first[0].changes.qty).not.toHaveProperty('from');
      expect(first[0].changes).not.toHaveProperty('body');

      await workspace.records.update('ticket', record.id, { qty: 3, body: 'Hello' }, SYSTEM_ACTOR);
      // the same values again, spelled differently: nothing changes
      const same = await workspace.records.update(
        'ticket',
        record.id,
        {
          qty: 3,
          body: 'Hello',
          amount: { amount: 10 },
          at: '2026-01-01T00:00:00Z',
          tags: ['red'],
          price: 1.5,
        },
        SYSTEM_ACTOR,
      );
      expect(same.version).toBe(2);
      await workspace.records.update('ticket', record.id, {}, SYSTEM_ACTOR);
      const history = await workspace.records.history('ticket', record.id, SYSTEM_ACTOR);
      expect(history.map((h) => [h.version, h.op])).toEqual([
        [2, 'update'],
        [1, 'create'],
      ]);
      expect(history[0].changes).toEqual({
        qty: { from: 2, to: 3 },
        body: { from: null, to: 'Hello' },
        subtotal: { from: 3, to: 4.5 },
        tax: { from: 0.3, to: 0.45 },
        total: { from: 3.3, to: 4.95 },
      });
      expect(history[0].actor).toBeNull();

      await workspace.records.delete('ticket', record.id, ALICE);
      const after = await workspace.records.history('ticket', record.id, SYSTEM_ACTOR);
      expect(after.map((h) => [h.version, h.op, h.actor])).toEqual([
        [3, 'delete', USER],
        [2, 'update', null],
        [1, 'create', USER],
      ]);
      expect(after[0].changes).toEqual({});
      expect((await engineError(workspace.records.get('ticket', record.id, SYSTEM_ACTOR))).kind).toBe(
        'not-found',
      );
      expect((await engineError(workspace.records.delete('ticket', record.id, ALICE))).kind).toBe(
        'not-found',
      );
    });

    it('pages history with beforeVersion and limit', async () => {
      const record = await create({ qty: 1 });
      for (let qty = 2; qty <= 6; qty++)
        await workspace.records.update('ticket', record.id, { qty }, SYSTEM_ACTOR);
      const page = await workspace.records.history('ticket', record.id, SYSTEM_ACTOR, {
        beforeVersion: 5,
        limit: 2,
      });
      expect(page.map((h) => h.version)).toEqual([4, 3]);
      expect(page[0].changes.qty).toEqual({ from: 3, to: 4 });
      expect((await engineError(workspace.records.history('ticket', MISSING, SYSTEM_ACTOR))).kind).toBe(
        'not-found',
      );
    });
  });

  describe('relations', () => {
    it('refuses a relation to a record that does not exist, naming the field', async () => {
      const error = await invalid({ account: MISSING });
      expect(error.problems).toMatchObject([{ pointer: '/account', code: 'relation' }]);
      const record = await create({ account: acme.id });
      const update = await engineError(
        workspace.records.update('ticket', record.id, { sponsor: MISSING }, SYSTEM_ACTOR),
      );
      expect(update.kind).toBe('invalid-record');
      expect(update.problems).toMatchObject([{ pointer: '/sponsor', code: 'relation' }]);
      expect((await workspace.records.get('ticket', record.id, SYSTEM_ACTOR)).version).toBe(1);
    });

    it('refuses to delete a referenced record and deletes nothing', async () => {
      const target = await workspace.records.create('account', { name: 'Initech' }, SYSTEM_ACTOR);
      const record = await create({ account: target.id });
      const error = await engineError(workspace.records.delete('account', target.id, SYSTEM_ACTOR));
      expect(error.kind).toBe('conflict');
      expect(error.problems).toMatchObject([{ code: 'referenced' }]);
      expect(error.message).toContain('ticket.account');
      expect((await workspace.records.get('account', target.id, SYSTEM_ACTOR)).name).toBe('Initech');
      expect((await workspace.records.history('account', target.id, SYSTEM_ACTOR)).map((h) => h.op)).toEqual([
        'create',
      ]);
      await workspace.records.update('ticket', record.id, { account: null }, SYSTEM_ACTOR);
      await workspace.records.delete('account', target.id, SYSTEM_ACTOR);
      expect((await engineError(workspace.records.get('account', target.id, SYSTEM_ACTOR))).kind).toBe(
        'not-found',
      );
    });

    it('clears a setNull reference when its target is deleted', async () => {
      const sponsor = await workspace.records.create('account', { name: 'Umbrella' }, SYSTEM_ACTOR);
      const record = await create({ sponsor: sponsor.id, account: globex.id });
      await workspace.records.delete('account', sponsor.id, SYSTEM_ACTOR);
      const after = await workspace.records.get('ticket', record.id, SYSTEM_ACTOR);
      expect(after.sponsor).toBeNull();
      expect(after.account).toBe(globex.id);
    });

    it('handles a module related to itself', async () => {
      const root = await workspace.records.create('node', { name: 'root' }, SYSTEM_ACTOR);
      const child = await workspace.records.create('node', { name: 'child', parent: root.id }, SYSTEM_ACTOR);
      const missing = await engineError(workspace.records.create('node', { parent: MISSING }, SYSTEM_ACTOR));
      expect(missing.kind).toBe('invalid-record');
      expect(missing.problems).toMatchObject([{ pointer: '/parent', code: 'relation' }]);
      const referenced = await engineError(workspace.records.delete('node', root.id, SYSTEM_ACTOR));
      expect(referenced.kind).toBe('conflict');
      expect(referenced.problems).toMatchObject([{ code: 'referenced' }]);
      expect((await workspace.records.get('node', root.id, SYSTEM_ACTOR)).name).toBe('root');
      await workspace.records.delete('node', child.id, SYSTEM_ACTOR);
      await workspace.records.delete('node', root.id, SYSTEM_ACTOR);
    });
  });

  describe('concurrency', () => {
    it('lets exactly one of 10 writers with the same expected version win', async () => {
      const record = await create({ qty: 1 });
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          workspace.records.update('ticket', record.id, { body: `writer ${i}` }, SYSTEM_ACTOR, {
            expectedVersion: 1,
          }),
        ),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as EngineError] : []));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(9);
      for (const error of lost) {
        expect(error.kind).toBe('conflict');
        expect(error.problems).toMatchObject([{ pointer: '/version', code: 'stale' }]);
      }
      const after = await workspace.records.get('ticket', record.id, SYSTEM_ACTOR);
      expect(after.version).toBe(2);
      expect(after.body).toBe((won[0] as PromiseFulfilledResult<StoredRecord>).value.body);
      expect(await workspace.records.history('ticket', record.id, SYSTEM_ACTOR)).toHaveLength(2);
      // a stale version is refused before anything is written
      const stale = await engineError(
        workspace.records.update('ticket', record.id, { qty: 5 }, SYSTEM_ACTOR, { expectedVersion: 1 }),
      );
      expect(stale.kind).toBe('conflict');
      const staleDelete = await engineError(
        workspace.records.delete('ticket', record.id, SYSTEM_ACTOR, { expectedVersion: 1 }),
      );
      expect(staleDelete.kind).toBe('conflict');
      expect((await workspace.records.get('ticket', record.id, SYSTEM_ACTOR)).version).toBe(2);
    });

    it('applies every one of 10 concurrent writers without an expected version', async () => {
      const record = await create({ qty: 1 });
      const writers = 10;
      const results = await Promise.allSettled(
        Array.from({ length: writers }, (_, i) =>
          workspace.records.update('ticket', record.id, { body: `writer ${i}` }, SYSTEM_ACTOR),
        ),
      );
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const after = await workspace.records.get('ticket', record.id, SYSTEM_ACTOR);
      expect(after.version).toBe(1 + writers);
      const history = await workspace.records.history('ticket', record.id, SYSTEM_ACTOR);
      expect(history).toHaveLength(1 + writers);
      expect(history.map((h) => h.version)).toEqual(
        Array.from({ length: writers + 1 }, (_, i) => writers + 1 - i),
      );
      const written = history.filter((h) => h.op === 'update').map((h) => h.changes.body?.to);
      expect([...written].sort()).toEqual(Array.from({ length: writers }, (_, i) => `writer ${i}`).sort());
      expect(after.body).toBe(history[0].changes.body?.to);
      // each entry starts where the one before ended
      const chain = [...history].reverse().slice(1);
      for (let i = 1; i < chain.length; i++)
        expect(chain[i].changes.body?.from).toBe(chain[i - 1].changes.body?.to);
    });
  });
});
