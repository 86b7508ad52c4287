// The filter language: every operator of every family against a known data set, nesting, relation
// paths, and bad filters refused with a pointer to the offending place.
import { type Filter, OPERATORS, SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';

const options = (values: string[]) => values.map((value) => ({ value, label: { en: value } }));

const company = {
  id: 'mod_flt_company',
  name: 'company',
  label: { en: 'Company' },
  fields: [
    { id: 'c_name', name: 'name', type: 'text', label: { en: 'Name' }, unique: true },
    {
      id: 'c_industry',
      name: 'industry',
      type: 'select',
      label: { en: 'Industry' },
      options: options(['tech', 'retail', 'finance']),
    },
    { id: 'c_size', name: 'size', type: 'integer', label: { en: 'Size' } },
  ],
};

const item = {
  id: 'mod_flt_item',
  name: 'item',
  label: { en: 'Item' },
  fields: [
    { id: 'i_key', name: 'key', type: 'text', label: { en: 'Key' }, required: true, unique: true },
    { id: 'i_name', name: 'name', type: 'text', label: { en: 'Name' } },
    { id: 'i_note', name: 'note', type: 'longText', label: { en: 'Note' } },
    { id: 'i_email', name: 'email', type: 'email', label: { en: 'Email' } },
    { id: 'i_site', name: 'site', type: 'url', label: { en: 'Site' } },
    { id: 'i_phone', name: 'phone', type: 'phone', label: { en: 'Phone' } },
    { id: 'i_qty', name: 'qty', type: 'integer', label: { en: 'Quantity' } },
    { id: 'i_price', name: 'price', type: 'decimal', label: { en: 'Price' }, scale: 2 },
    { id: 'i_cost', name: 'cost', type: 'money', label: { en: 'Cost' }, currencies: ['CNY', 'USD'] },
    { id: 'i_rate', name: 'rate', type: 'percent', label: { en: 'Rate' }, scale: 1 },
    { id: 'i_due', name: 'due', type: 'date', label: { en: 'Due' } },
    { id: 'i_at', name: 'at', type: 'datetime', label: { en: 'At' } },
    { id: 'i_active', name: 'active', type: 'boolean', label: { en: 'Active' } },
    {
      id: 'i_stage',
      name: 'stage',
      type: 'select',
      label: { en: 'Stage' },
      options: options(['new', 'open', 'won', 'lost']),
    },
    {
      id: 'i_tags',
      name: 'tags',
      type: 'multiSelect',
      label: { en: 'Tags' },
      options: options(['red', 'green', 'blue']),
    },
    { id: 'i_assignee', name: 'assignee', type: 'user', label: { en: 'Assignee' } },
    { id: 'i_dept', name: 'dept', type: 'department', label: { en: 'Department' } },
    {
      id: 'i_company',
      name: 'company',
      type: 'relation',
      label: { en: 'Company' },
      target: 'mod_flt_company',
      inverse: { name: 'items', label: { en: 'Items' } },
    },
    {
      id: 'i_total',
      name: 'total',
      type: 'formula',
      label: { en: 'Total' },
      expression: 'qty * price',
      resultType: 'decimal',
      scale: 2,
    },
    {
      id: 'i_shout',
      name: 'shout',
      type: 'formula',
      label: { en: 'Shout' },
      expression: 'upper case(name)',
      resultType: 'text',
    },
    {
      id: 'i_big',
      name: 'big',
      type: 'formula',
      label: { en: 'Big' },
      expression: 'qty > 4',
      resultType: 'boolean',
    },
    {
      id: 'i_next',
      name: 'next_day',
      type: 'formula',
      label: { en: 'Next day' },
      expression: 'due + duration("P1D")',
      resultType: 'date',
    },
    {
      id: 'i_seen',
      name: 'seen',
      type: 'formula',
      label: { en: 'Seen' },
      expression: 'at',
      resultType: 'datetime',
    },
  ],
};

const U1 = '11111111-1111-4111-8111-111111111111';
const U2 = '22222222-2222-4222-8222-222222222222';
const D1 = 'dddddddd-dddd-4ddd-8ddd-dddddddddddd';

const ALL = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const except = (...keys: string[]) => ALL.filter((k) => !keys.includes(k));

forEachDatabase('filters', (handle) => {
  let workspace: Workspace;
  const companies: Record<string, string> = {};

  beforeAll(async () => {
    workspace = handle().workspace;
    await workspace.definitions.saveDraft(company);
    await workspace.definitions.saveDraft(item);
    await workspace.definitions.publish();
    for (const [key, values] of Object.entries({
      c1: { name: 'Tencent', industry: 'tech', size: 1000 },
      c2: { name: 'Walmart', industry: 'retail', size: 50 },
      c3: { name: 'Nameless' },
    })) {
      companies[key] = (await workspace.records.create('company', values, SYSTEM_ACTOR)).id;
    }
    const records: Record<string, Record<string, unknown>> = {
      a: {
        name: 'Acme 上海分公司',
        note: 'a long note',
        email: 'a@example.com',
        site: 'https://acme.example.com',
        phone: '13812345678',
        qty: 1,
        price: 10.5,
        cost: { amount: 100, currency: 'CNY' },
        rate: 15,
        due: '2026-01-01',
        at: '2026-01-01T00:00:00Z',
        active: true,
        stage: 'new',
        tags: ['red'],
        assignee: U1,
        dept: D1,
        company: companies.c1,
      },
      b: {
        name: '100% pure',
        email: 'b@example.org',
        qty: 2,
        price: 20,
        cost: { amount: 200.5, currency: 'USD' },
        rate: 0,
        due: '2026-01-31',
        at: '2026-01-31T23:59:59Z',
        active: false,
        stage: 'open',
        tags: ['red', 'green'],
        assignee: U2,
        company: companies.c2,
      },
      c: {
        name: 'a_b underscore',
        qty: 5,
        price: 0.1,
        cost: { amount: 0.3, currency: 'CNY' },
        due: '2026-02-01',
        at: '2026-02-01T00:00:00Z',
        active: true,
        stage: 'won',
        tags: ['green', 'blue'],
        company: companies.c1,
      },
      d: {
        name: 'c\\d backslash',
        qty: -3,
        price: 99.99,
        due: '2025-12-31',
        at: '2025-12-31T12:00:00+08:00',
        stage: 'lost',
        tags: [],
        company: companies.c3,
      },
      e: { name: 'ACME north', email: 'e@example.org' },
      f: {
        qty: 5,
        price: 5,
        cost: { amount: 5, currency: 'USD' },
        rate: 50.5,
        due: '2026-03-15',
        active: true,
        stage: 'open',
        tags: ['blue'],
        assignee: U1,
      },
      g: {
        name: '上海 office',
        qty: 10,
        price: 1000,
        active: false,
        stage: 'won',
        tags: ['red', 'green', 'blue'],
        company: companies.c2,
      },
      h: { name: 'plain' },
    };
    await Promise.all(
      Object.entries(records).map(([key, values]) =>
        workspace.records.create('item', { key, ...values }, SYSTEM_ACTOR),
      ),
    );
  });

  /** The keys of the items matching `filter`, sorted. */
  const keys = async (filter: unknown): Promise<string[]> => {
    const page = await workspace.records.list('item', SYSTEM_ACTOR, { filter, limit: 500, sort: 'key' });
    return page.data.map((r) => String(r.key));
  };

  async function expectMatches(cases: [unknown, string[]][]) {
    for (const [filter, expected] of cases) {
      expect(await keys(filter), JSON.stringify(filter)).toEqual(expected);
    }
  }

  const c = (field: string, op: string, value?: unknown): Filter =>
    value === undefined ? { field, op } : { field, op, value };

  it('has the data set the tests rely on', async () => {
    expect(await keys(undefined)).toEqual(ALL);
    const d = (await workspace.records.list('item', SYSTEM_ACTOR, { filter: c('key', 'eq', 'd') })).data[0];
    expect(d).toMatchObject({
      tags: null,
      total: -299.97,
      at: '2025-12-31T04:00:00.000Z',
      next_day: '2026-01-01',
    });
  });

  it('text operators, on text, email, url, phone, long text and a text formula', async () => {
    await expectMatches([
      [c('name', 'eq', 'ACME north'), ['e']],
      [c('name', 'eq', 'acme north'), []],
      [c('name', 'ne', '100% pure'), except('b')],
      [c('name', 'in', ['ACME north', 'plain', 'nobody']), ['e', 'h']],
      [c('name', 'nin', ['ACME north', 'plain']), except('e', 'h')],
      [c('name', 'contains', 'acme'), ['a', 'e']],
      [c('name', 'contains', 'cMe'), ['a', 'e']],
      [c('name', 'notContains', 'acme'), except('a', 'e')],
      [c('name', 'startsWith', 'ACME'), ['a', 'e']],
      [c('name', 'startsWith', '上海'), ['g']],
      [c('name', 'endsWith', 'RE'), ['b', 'c']],
      [c('name', 'empty'), ['f']],
      [c('name', 'notEmpty'), except('f')],
      [c('email', 'endsWith', '.org'), ['b', 'e']],
      [c('email', 'eq', 'a@example.com'), ['a']],
      [c('site', 'contains', 'ACME.example'), ['a']],
      [c('phone', 'startsWith', '138'), ['a']],
      [c('note', 'contains', 'LONG'), ['a']],
      [c('note', 'empty'), except('a')],
      [c('shout', 'eq', 'ACME NORTH'), ['e']],
      [c('shout', 'contains', 'acme'), ['a', 'e']],
      [c('shout', 'empty'), ['f']],
    ]);
  });

  it('contains takes %, _ and \\ literally and ignores case, Chinese text included', async () => {
    await expectMatches([
      [c('name', 'contains', '%'), ['b']],
      [c('name', 'contains', '0%'), ['b']],
      [c('name', 'contains', '_'), ['c']],
      [c('name', 'contains', 'a_b'), ['c']],
      [c('name', 'contains', '\\'), ['d']],
      [c('name', 'contains', 'c\\d'), ['d']],
      [c('name', 'startsWith', '%'), []],
      [c('name', 'endsWith', '_'), []],
      [c('name', 'notContains', '%'), except('b')],
      [c('name', 'contains', '上海'), ['a', 'g']],
      [c('name', 'contains', 'acme 上海'), ['a']],
      [c('name', 'contains', '分公司'), ['a']],
      [c('name', 'contains', '上海 OFFICE'), ['g']],
      [c('name', 'contains', '北京'), []],
    ]);
  });

  it('number operators, on integer, decimal, money (its amount), percent and formulas', async () => {
    await expectMatches([
      [c('qty', 'eq', 5), ['c', 'f']],
      [c('qty', 'ne', 5), except('c', 'f')],
      [c('qty', 'gt', 2), ['c', 'f', 'g']],
      [c('qty', 'gte', 2), ['b', 'c', 'f', 'g']],
      [c('qty', 'lt', 2), ['a', 'd']],
      [c('qty', 'lte', 1), ['a', 'd']],
      [c('qty', 'between', [1, 5]), ['a', 'b', 'c', 'f']],
      [c('qty', 'in', [1, 10]), ['a', 'g']],
      [c('qty', 'nin', [1, 10]), except('a', 'g')],
      [c('qty', 'empty'), ['e', 'h']],
      [c('qty', 'notEmpty'), except('e', 'h')],
      [c('qty', 'gt', -4), ['a', 'b', 'c', 'd', 'f', 'g']],
      [c('price', 'gt', 10.5), ['b', 'd', 'g']],
      [c('price', 'eq', 0.1), ['c']],
      [c('price', 'between', [0.1, 10.5]), ['a', 'c', 'f']],
      [c('price', 'lt', 0.11), ['c']],
      [c('cost', 'gt', 100), ['b']],
      [c('cost', 'gte', 100), ['a', 'b']],
      [c('cost', 'lt', 6), ['c', 'f']],
      [c('cost', 'eq', 0.3), ['c']],
      [c('cost', 'ne', 0.3), except('c')],
      [c('cost', 'in', [5, 200.5]), ['b', 'f']],
      [c('cost', 'empty'), ['d', 'e', 'g', 'h']],
      [c('rate', 'eq', 0), ['b']],
      [c('rate', 'gt', 10), ['a', 'f']],
      [c('rate', 'eq', 50.5), ['f']],
      [c('total', 'gt', 20), ['b', 'f', 'g']],
      [c('total', 'lt', 0), ['d']],
      [c('total', 'eq', 0.5), ['c']],
      [c('total', 'empty'), ['e', 'h']],
      [c('version', 'eq', 1), ALL],
    ]);
  });

  it('date operators on a date, a date formula and a date-time (a date names the whole day, UTC)', async () => {
    await expectMatches([
      [c('due', 'eq', '2026-01-01'), ['a']],
      [c('due', 'ne', '2026-01-01'), except('a')],
      [c('due', 'gt', '2026-01-31'), ['c', 'f']],
      [c('due', 'gte', '2026-01-31'), ['b', 'c', 'f']],
      [c('due', 'lt', '2026-01-01'), ['d']],
      [c('due', 'lte', '2026-01-01'), ['a', 'd']],
      [c('due', 'between', ['2026-01-01', '2026-01-31']), ['a', 'b']],
      [c('due', 'empty'), ['e', 'g', 'h']],
      [c('due', 'notEmpty'), except('e', 'g', 'h')],
      [c('next_day', 'gte', '2026-02-01'), ['b', 'c', 'f']],
      [c('next_day', 'eq', '2026-01-01'), ['d']],
      // date-times compared with instants
      [c('at', 'eq', '2026-01-01T00:00:00.000Z'), ['a']],
      [c('at', 'eq', '2026-01-01T08:00:00+08:00'), ['a']],
      [c('at', 'gt', '2026-01-01T07:00:00+08:00'), ['a', 'b', 'c']],
      [c('at', 'lt', '2026-01-01T00:00:00Z'), ['d']],
      [c('at', 'between', ['2025-12-31T04:00:00Z', '2026-01-31T23:59:59Z']), ['a', 'b', 'd']],
      [c('at', 'empty'), ['e', 'f', 'g', 'h']],
      // … and with days: a day is all of it
      [c('at', 'eq', '2026-01-31'), ['b']],
      [c('at', 'ne', '2026-01-31'), except('b')],
      [c('at', 'between', ['2026-01-01', '2026-01-31']), ['a', 'b']],
      [c('at', 'lte', '2026-01-31'), ['a', 'b', 'd']],
      [c('at', 'lt', '2026-01-31'), ['a', 'd']],
      [c('at', 'gt', '2026-01-31'), ['c']],
      [c('at', 'gte', '2026-01-31'), ['b', 'c']],
      [c('at', 'eq', '2025-12-31'), ['d']],
      [c('seen', 'eq', '2026-01-31'), ['b']],
      [c('seen', 'gt', '2026-01-31T23:59:58Z'), ['b', 'c']],
      [c('created_at', 'lt', '2999-01-01'), ALL],
      [c('created_at', 'gt', '2999-01-01'), []],
    ]);
  });

  it('boolean, choice, multi-select and reference operators', async () => {
    await expectMatches([
      [c('active', 'eq', true), ['a', 'c', 'f']],
      [c('active', 'eq', false), ['b', 'g']],
      [c('active', 'ne', true), except('a', 'c', 'f')],
      [c('active', 'empty'), ['d', 'e', 'h']],
      [c('active', 'notEmpty'), ['a', 'b', 'c', 'f', 'g']],
      [c('big', 'eq', true), ['c', 'f', 'g']],
      [c('big', 'ne', true), except('c', 'f', 'g')],
      [c('stage', 'eq', 'open'), ['b', 'f']],
      [c('stage', 'ne', 'open'), except('b', 'f')],
      [c('stage', 'in', ['won', 'lost']), ['c', 'd', 'g']],
      [c('stage', 'nin', ['won', 'lost']), except('c', 'd', 'g')],
      [c('stage', 'empty'), ['e', 'h']],
      [c('stage', 'notEmpty'), except('e', 'h')],
      [c('tags', 'hasAny', ['red']), ['a', 'b', 'g']],
      [c('tags', 'hasAny', ['red', 'blue']), ['a', 'b', 'c', 'f', 'g']],
      [c('tags', 'hasAll', ['red', 'green']), ['b', 'g']],
      [c('tags', 'hasAll', ['green']), ['b', 'c', 'g']],
      [c('tags', 'hasNone', ['red']), ['c', 'd', 'e', 'f', 'h']],
      [c('tags', 'hasNone', ['red', 'green', 'blue']), ['d', 'e', 'h']],
      [c('tags', 'empty'), ['d', 'e', 'h']],
      [c('tags', 'notEmpty'), ['a', 'b', 'c', 'f', 'g']],
      [c('assignee', 'eq', U1), ['a', 'f']],
      [c('assignee', 'ne', U1), except('a', 'f')],
      [c('assignee', 'in', [U1, U2]), ['a', 'b', 'f']],
      [c('assignee', 'nin', [U2]), except('b')],
      [c('assignee', 'empty'), except('a', 'b', 'f')],
      [c('assignee', 'notEmpty'), ['a', 'b', 'f']],
      [c('dept', 'eq', D1.toUpperCase()), ['a']],
      [c('company', 'eq', companies.c1), ['a', 'c']],
      [c('company', 'ne', companies.c1), except('a', 'c')],
      [c('company', 'in', [companies.c2, companies.c3]), ['b', 'd', 'g']],
      [c('company', 'empty'), ['e', 'f', 'h']],
    ]);
  });

  it('goes one step through a relation; an empty relation has empty fields', async () => {
    await expectMatches([
      [c('company.industry', 'eq', 'tech'), ['a', 'c']],
      [c('company.industry', 'in', ['tech', 'retail']), ['a', 'b', 'c', 'g']],
      [c('company.industry', 'ne', 'tech'), except('a', 'c')],
      [c('company.industry', 'nin', ['tech']), except('a', 'c')],
      [c('company.industry', 'empty'), ['d', 'e', 'f', 'h']],
      [c('company.industry', 'notEmpty'), ['a', 'b', 'c', 'g']],
      [c('company.size', 'gt', 100), ['a', 'c']],
      [c('company.size', 'lte', 1000), ['a', 'b', 'c', 'g']],
      [c('company.name', 'contains', 'WAL'), ['b', 'g']],
      [c('company.name', 'notContains', 'wal'), except('b', 'g')],
      [c('company.id', 'eq', companies.c1), ['a', 'c']],
      [{ and: [c('company.industry', 'eq', 'tech'), c('qty', 'gt', 1)] }, ['c']],
    ]);
  });

  it('combines conditions with and, or and not, nested', async () => {
    await expectMatches([
      [
        {
          and: [
            c('stage', 'in', ['open', 'won']),
            { or: [c('qty', 'gt', 5), c('tags', 'hasAny', ['blue'])] },
          ],
        },
        ['c', 'f', 'g'],
      ],
      [
        {
          or: [
            c('name', 'contains', 'acme'),
            { and: [c('active', 'eq', false), { not: c('stage', 'eq', 'won') }] },
          ],
        },
        ['a', 'b', 'e'],
      ],
      [{ not: { or: [c('stage', 'eq', 'won'), c('stage', 'empty')] } }, ['a', 'b', 'd', 'f']],
      [{ not: { not: c('qty', 'gt', 2) } }, ['c', 'f', 'g']],
      [{ and: [c('qty', 'gte', 1)] }, ['a', 'b', 'c', 'f', 'g']],
      [{ or: [c('key', 'eq', 'a'), c('key', 'eq', 'h'), c('key', 'eq', 'zz')] }, ['a', 'h']],
      [{ and: [{ and: [{ and: [{ and: [{ and: [c('key', 'eq', 'a')] }] }] }] }] }, ['a']],
    ]);
  });

  it('not is the complement of its condition, empty values included', async () => {
    const conditions: Filter[] = [
      c('qty', 'gt', 2),
      c('name', 'contains', 'acme'),
      c('due', 'lt', '2026-02-01'),
      c('at', 'eq', '2026-01-31'),
      c('active', 'eq', true),
      c('stage', 'in', ['won', 'lost']),
      c('tags', 'hasAny', ['red']),
      c('assignee', 'eq', U1),
      c('company.industry', 'eq', 'tech'),
      c('company.industry', 'ne', 'tech'),
      { and: [c('qty', 'gt', 0), c('price', 'lt', 50)] },
      { or: [c('qty', 'gt', 4), c('active', 'eq', false)] },
    ];
    for (const condition of conditions) {
      const matching = await keys(condition);
      const complement = await keys({ not: condition });
      expect([...matching, ...complement].sort(), JSON.stringify(condition)).toEqual(ALL);
      expect(matching.filter((k) => complement.includes(k))).toEqual([]);
    }
  });

  it('pairs of opposite operators split the records between them', async () => {
    const pairs: [Filter, Filter][] = [
      [c('name', 'eq', 'plain'), c('name', 'ne', 'plain')],
      [c('name', 'in', ['plain', '100% pure']), c('name', 'nin', ['plain', '100% pure'])],
      [c('name', 'contains', 'a'), c('name', 'notContains', 'a')],
      [c('qty', 'eq', 5), c('qty', 'ne', 5)],
      [c('cost', 'in', [5, 100]), c('cost', 'nin', [5, 100])],
      [c('tags', 'hasAny', ['green']), c('tags', 'hasNone', ['green'])],
      [c('due', 'eq', '2026-01-31'), c('due', 'ne', '2026-01-31')],
      [c('stage', 'empty'), c('stage', 'notEmpty')],
      [c('tags', 'empty'), c('tags', 'notEmpty')],
      [c('company.name', 'contains', 'a'), c('company.name', 'notContains', 'a')],
    ];
    for (const [yes, no] of pairs) {
      const a = await keys(yes);
      const b = await keys(no);
      expect([...a, ...b].sort(), JSON.stringify(yes)).toEqual(ALL);
      expect(a.length).toBeGreaterThan(0);
      expect(b.length).toBeGreaterThan(0);
    }
  });

  it('offers the operators of each family, and only those', async () => {
    const families: Record<string, string> = {
      name: 'text',
      note: 'text',
      qty: 'number',
      cost: 'number',
      due: 'date',
      at: 'date',
      active: 'boolean',
      stage: 'choice',
      tags: 'multi',
      company: 'reference',
      total: 'number',
      big: 'boolean',
    };
    const every = [...new Set(Object.values(OPERATORS).flat())];
    for (const [field, family] of Object.entries(families)) {
      const allowed = OPERATORS[family as keyof typeof OPERATORS];
      for (const op of every.filter((o) => !allowed.includes(o))) {
        const error = await engineError(keys(c(field, op, 1)));
        expect(error.kind).toBe('invalid-query');
        expect(error.problems, `${field} ${op}`).toMatchObject([{ pointer: '/filter/op' }]);
      }
    }
  });

  describe('bad filters', () => {
    const bad: [string, unknown, string, string?][] = [
      ['not an object', 'name = 1', '/filter'],
      ['array', [c('name', 'eq', 'x')], '/filter'],
      ['unknown field', c('nope', 'eq', 1), '/filter/field', 'unknown-field'],
      [
        'unknown field, nested',
        { and: [c('name', 'eq', 'x'), { or: [c('nope', 'eq', 1)] }] },
        '/filter/and/1/or/0/field',
        'unknown-field',
      ],
      ['hostile name', c('name; DROP TABLE item', 'eq', 'x'), '/filter/field', 'unknown-field'],
      ['quote', c('"', 'eq', 'x'), '/filter/field', 'unknown-field'],
      ['quoted name', c('"name"', 'eq', 'x'), '/filter/field', 'unknown-field'],
      ['nul', c('name\u0000', 'eq', 'x'), '/filter/field', 'unknown-field'],
      ['comment', c('name--', 'eq', 'x'), '/filter/field', 'unknown-field'],
      ['hostile path', c('company.name; DROP TABLE company', 'eq', 'x'), '/filter/field', 'unknown-field'],
      ['path too long', c('company.items.name', 'eq', 'x'), '/filter/field'],
      ['path through a non-relation', c('name.length', 'eq', 1), '/filter/field'],
      ['unknown relation field', c('company.nope', 'eq', 1), '/filter/field', 'unknown-field'],
      ['field not a string', { field: 1, op: 'eq', value: 1 }, '/filter/field'],
      ['op missing', { field: 'name', value: 'x' }, '/filter/op'],
      ['hostile op', c('name', 'eq; DROP TABLE item', 'x'), '/filter/op'],
      ['op not for text', c('name', 'gt', 'x'), '/filter/op'],
      ['op not for multi', c('tags', 'eq', 'red'), '/filter/op'],
      ['op not for boolean', c('active', 'in', [true]), '/filter/op'],
      ['extra key', { field: 'name', op: 'eq', value: 'x', extra: 1 }, '/filter/extra'],
      ['empty and', { and: [] }, '/filter/and'],
      ['or not an array', { or: c('name', 'eq', 'x') }, '/filter/or'],
      ['number as text', c('qty', 'eq', '5'), '/filter/value', 'invalid-value'],
      ['fraction for an integer', c('qty', 'gt', 1.5), '/filter/value', 'invalid-value'],
      ['integer out of range', c('qty', 'eq', 1e20), '/filter/value', 'invalid-value'],
      ['text as number', c('name', 'eq', 5), '/filter/value', 'invalid-value'],
      ['missing value', c('name', 'eq'), '/filter/value', 'invalid-value'],
      ['null value', { field: 'name', op: 'eq', value: null }, '/filter/value', 'invalid-value'],
      ['bad list item', c('qty', 'in', [1, 'x']), '/filter/value/1', 'invalid-value'],
      ['empty list', c('name', 'in', []), '/filter/value'],
      ['between one', c('qty', 'between', [1]), '/filter/value'],
      ['between three', c('qty', 'between', [1, 2, 3]), '/filter/value'],
      ['between not a list', c('qty', 'between', 1), '/filter/value'],
      ['value for empty', c('name', 'empty', 'x'), '/filter/value'],
      ['impossible date', c('due', 'eq', '2026-02-30'), '/filter/value', 'invalid-value'],
      ['month 13', c('due', 'gt', '2026-13-01'), '/filter/value', 'invalid-value'],
      ['year 0', c('due', 'gt', '0000-01-01'), '/filter/value', 'invalid-value'],
      ['short date', c('due', 'eq', '2026-1-1'), '/filter/value', 'invalid-value'],
      ['local date format', c('due', 'eq', '01/02/2026'), '/filter/value', 'invalid-value'],
      ['date-time for a date', c('due', 'eq', '2026-01-01T00:00:00Z'), '/filter/value', 'invalid-value'],
      ['date as number', c('due', 'eq', 20260101), '/filter/value', 'invalid-value'],
      ['words for a date-time', c('at', 'gt', 'yesterday'), '/filter/value', 'invalid-value'],
      ['a number for a date-time', c('at', 'gt', '1'), '/filter/value', 'invalid-value'],
      ['hour 25', c('at', 'gt', '2026-01-01T25:00:00Z'), '/filter/value', 'invalid-value'],
      [
        'impossible day in a date-time',
        c('created_at', 'lt', '2026-02-30T00:00:00Z'),
        '/filter/value',
        'invalid-value',
      ],
      [
        'bad date in between',
        c('at', 'between', ['2026-01-01', '2026-02-31']),
        '/filter/value/1',
        'invalid-value',
      ],
      ['non-uuid user', c('assignee', 'eq', 'bob'), '/filter/value', 'invalid-value'],
      ['non-uuid relation', c('company', 'in', ['x']), '/filter/value/0', 'invalid-value'],
      ['non-uuid id', c('id', 'eq', "1' OR '1'='1"), '/filter/value', 'invalid-value'],
      ['text boolean', c('active', 'eq', 'true'), '/filter/value', 'invalid-value'],
      ['multi value not a list', c('tags', 'hasAny', 'red'), '/filter/value'],
      ['long text', c('name', 'contains', 'x'.repeat(1001)), '/filter/value', 'invalid-value'],
    ];

    it.each(bad)('%s', async (_title, filter, pointer, code) => {
      const error = await engineError(keys(filter));
      expect(error.kind).toBe('invalid-query');
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0].pointer).toBe(pointer);
      if (code) expect(error.problems[0].code).toBe(code);
      expect(error.problems[0].message.length).toBeGreaterThan(5);
    });

    it('refuses filters nested too deep, naming the place', async () => {
      let filter: unknown = c('key', 'eq', 'a');
      for (let i = 0; i < 6; i++) filter = { not: filter };
      expect(await keys(filter)).toEqual(['a']);
      const error = await engineError(keys({ not: filter }));
      expect(error.kind).toBe('invalid-query');
      expect(error.problems).toMatchObject([{ pointer: `/filter${'/not'.repeat(7)}` }]);
    });

    it('refuses more than 100 conditions, naming the first one too many', async () => {
      const hundred = Array.from({ length: 100 }, (_, i) => c('qty', 'ne', i));
      expect(await keys({ and: hundred })).toEqual(['d', 'e', 'h']);
      const error = await engineError(keys({ and: [...hundred, c('qty', 'ne', 100)] }));
      expect(error.kind).toBe('invalid-query');
      expect(error.problems).toMatchObject([{ pointer: '/filter/and/100' }]);
    });

    it('takes hostile values as plain values, and leaves the tables as they were', async () => {
      for (const value of ["'; DROP TABLE item; --", '" OR 1=1 --', "\\'; DELETE FROM item; --", '%']) {
        expect(await keys(c('name', 'eq', value))).toEqual([]);
        expect(await keys(c('company.name', 'in', [value]))).toEqual([]);
      }
      expect(await keys(c('name', 'contains', "' OR '1'='1"))).toEqual([]);
      expect(await keys(undefined)).toEqual(ALL);
      expect((await workspace.records.list('company', SYSTEM_ACTOR, { count: true })).total).toBe(3);
    });
  });
});
