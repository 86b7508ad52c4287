// Keyset pagination is exact: walking the pages of any sort (ties, nulls, mixed directions, with and
// without a filter) gives exactly the one-page answer, in an order a plain JS sort agrees with.
import { type ListQuery, type StoredRecord, SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';

const options = (values: string[]) => values.map((value) => ({ value, label: { en: value } }));

const deal = {
  id: 'mod_pg_deal',
  name: 'deal',
  label: { en: 'Deal' },
  fields: [
    { id: 'd_title', name: 'title', type: 'text', label: { en: 'Title' } },
    { id: 'd_qty', name: 'qty', type: 'integer', label: { en: 'Quantity' } },
    { id: 'd_amount', name: 'amount', type: 'decimal', label: { en: 'Amount' }, scale: 2 },
    { id: 'd_price', name: 'price', type: 'money', label: { en: 'Price' }, currencies: ['CNY', 'USD'] },
    { id: 'd_close', name: 'close', type: 'date', label: { en: 'Close date' } },
    { id: 'd_seen', name: 'seen_at', type: 'datetime', label: { en: 'Seen at' } },
    {
      id: 'd_stage',
      name: 'stage',
      type: 'select',
      label: { en: 'Stage' },
      options: options(['lead', 'open', 'won', 'lost']),
    },
    {
      id: 'd_score',
      name: 'score',
      type: 'formula',
      label: { en: 'Score' },
      expression: 'qty * amount',
      resultType: 'decimal',
      scale: 2,
    },
    { id: 'd_flag', name: 'flag', type: 'boolean', label: { en: 'Flag' } },
  ],
};

const RECORDS = 150;
const OWNERS = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-00000000000f'];

/** A small deterministic generator, so a failure can be replayed. */
function generator(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor(state / 65536) % n; // the high bits: an LCG's low bits repeat quickly
  };
}

/** Few distinct values per field and plenty of nulls: the ties and nulls keyset pagination must get right. */
function dataset(): Record<string, unknown>[] {
  const pick = generator(7);
  const titles = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
  const amounts = [0, 10.5, 20, 99.99, 1000, -5.25];
  const dates = ['2025-12-31', '2026-01-01', '2026-02-28', '2026-03-01'];
  const times = ['2026-01-01T00:00:00.000Z', '2026-01-01T08:30:00.000Z', '2026-06-30T23:59:59.000Z'];
  const stages = ['lead', 'open', 'won', 'lost'];
  return Array.from({ length: RECORDS }, () => {
    const record: Record<string, unknown> = {};
    const maybe = (value: unknown) => (pick(4) === 0 ? null : value);
    record.title = maybe(titles[pick(titles.length)]);
    record.qty = maybe(pick(5) - 1);
    record.amount = maybe(amounts[pick(amounts.length)]);
    const price = maybe(amounts[pick(amounts.length)]);
    record.price = price === null ? null : { amount: price, currency: pick(2) === 0 ? 'CNY' : 'USD' };
    record.close = maybe(dates[pick(dates.length)]);
    record.seen_at = maybe(times[pick(times.length)]);
    record.stage = maybe(stages[pick(stages.length)]);
    record.flag = maybe(pick(2) === 0);
    const owner = pick(3);
    if (owner < 2) record.owner = OWNERS[owner];
    return record;
  });
}

type Value = string | number | boolean | null;

/** The value a sort compares, from the API record. */
function sortValue(record: StoredRecord, field: string): Value {
  const value = record[field];
  if (value === null || value === undefined) return null;
  if (typeof value === 'object') return (value as { amount: number }).amount;
  return value as Value;
}

/** The engine's order, in JS: nulls are the largest value in both directions, ties broken by id. */
function oracle(records: StoredRecord[], sort: string): string[] {
  const keys = sort.split(',').map((part) => ({
    field: part.replace(/^-/, ''),
    direction: part.startsWith('-') ? -1 : 1,
  }));
  if (!keys.some((k) => k.field === 'id')) keys.push({ field: 'id', direction: keys[0].direction });
  const compare = (a: Value, b: Value): number => {
    if (a === b) return 0;
    if (a === null) return 1;
    if (b === null) return -1;
    return a < b ? -1 : 1;
  };
  return [...records]
    .sort((a, b) => {
      for (const key of keys) {
        const order = compare(sortValue(a, key.field), sortValue(b, key.field)) * key.direction;
        if (order !== 0) return order;
      }
      return 0;
    })
    .map((r) => r.id);
}

forEachDatabase('keyset pagination', (handle) => {
  let workspace: Workspace;
  let all: StoredRecord[];

  const list = (query: ListQuery) => workspace.records.list('deal', SYSTEM_ACTOR, query);

  /** Every page of `query`, `limit` at a time: the ids in order. */
  async function walk(query: ListQuery, limit: number): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages <= RECORDS; pages++) {
      const page = await list({ ...query, limit, cursor });
      ids.push(...page.data.map((r) => r.id));
      if (page.nextCursor === null) {
        expect(page.data.length).toBeLessThanOrEqual(limit);
        return ids;
      }
      expect(page.data.length).toBe(limit);
      cursor = page.nextCursor;
    }
    throw new Error(`pagination of ${JSON.stringify(query)} does not end`);
  }

  async function expectExactPages(query: ListQuery, limit = 7): Promise<string[]> {
    const whole = await list({ ...query, limit: 500, count: true });
    expect(whole.nextCursor).toBeNull();
    expect(whole.data.length).toBe(whole.total);
    const oneGo = whole.data.map((r) => r.id);
    const paged = await walk(query, limit);
    expect(new Set(paged).size).toBe(paged.length); // no duplicates
    expect(paged).toEqual(oneGo); // no gaps, same order
    return oneGo;
  }

  beforeAll(async () => {
    workspace = handle().workspace;
    await workspace.definitions.saveDraft(deal);
    await workspace.definitions.publish();
    const input = dataset();
    const created: StoredRecord[] = [];
    for (let i = 0; i < input.length; i += 25) {
      created.push(
        ...(await Promise.all(
          input.slice(i, i + 25).map((values) => workspace.records.create('deal', values, SYSTEM_ACTOR)),
        )),
      );
    }
    // ties in `version`: a third of the records updated once, a ninth twice
    for (const [i, record] of created.entries()) {
      if (i % 3 !== 0) continue;
      await workspace.records.update('deal', record.id, { title: `${record.title ?? 'zulu'}` }, SYSTEM_ACTOR);
      await workspace.records.update('deal', record.id, { flag: i % 2 === 0 }, SYSTEM_ACTOR);
      if (i % 9 === 0)
        await workspace.records.update('deal', record.id, { qty: i % 4 === 0 ? null : 3 }, SYSTEM_ACTOR);
    }
    all = (await list({ limit: 500 })).data;
  });

  it('has the data set the tests rely on: many ties and nulls in every field', () => {
    expect(all).toHaveLength(RECORDS);
    for (const field of ['title', 'qty', 'amount', 'price', 'close', 'seen_at', 'stage', 'score', 'owner']) {
      const values = all.map((r) => JSON.stringify(sortValue(r, field)));
      const distinct = new Set(values);
      expect(values.filter((v) => v === 'null').length, field).toBeGreaterThan(5);
      expect(distinct.size, field).toBeGreaterThan(1);
      expect(distinct.size, field).toBeLessThan(RECORDS / 5);
    }
    expect(new Set(all.map((r) => r.version))).toEqual(new Set([1, 2, 3, 4]));
    expect(all.find((r) => r.qty === 2 && r.amount === 10.5)?.score).toBe(21);
  });

  const sorts = [
    'title',
    '-title',
    'qty',
    '-qty',
    'amount',
    '-amount',
    'price',
    '-price',
    'close',
    '-close',
    'seen_at',
    '-seen_at',
    'stage',
    '-stage',
    'score',
    '-score',
    'flag',
    '-flag',
    'owner',
    '-owner',
    '-stage,amount,title',
    'stage,-qty',
    'title,-close,price',
    'qty,amount,-title,close,-id',
    '-seen_at,score',
    'version,-title',
    'id',
    '-id',
  ];

  it('walks every sort page by page exactly as one big page, in the order of a JS oracle', async () => {
    for (const sort of sorts) {
      const ids = await expectExactPages({ sort });
      expect(ids, sort).toEqual(oracle(all, sort));
    }
  });

  it('walks sorts on system date-times and the default sort exactly', async () => {
    for (const sort of ['created_at', '-created_at', '-updated_at', 'version,-created_at', undefined]) {
      const ids = await expectExactPages({ sort }, 11);
      expect(ids).toHaveLength(RECORDS);
    }
    // the default is newest first
    const [first] = (await list({ limit: 1 })).data;
    const newest = [...all].sort(
      (a, b) => b.created_at.localeCompare(a.created_at) || (a.id < b.id ? 1 : -1),
    );
    expect(first.created_at).toBe(newest[0].created_at);
  });

  it('walks filtered lists exactly', async () => {
    const filters = [
      { field: 'stage', op: 'in', value: ['won', 'open'] },
      {
        or: [
          { field: 'qty', op: 'empty' },
          { field: 'amount', op: 'gt', value: 50 },
        ],
      },
      {
        and: [
          { field: 'title', op: 'ne', value: 'alpha' },
          { field: 'close', op: 'gte', value: '2026-01-01' },
        ],
      },
    ];
    for (const filter of filters) {
      for (const sort of ['-stage,amount,title', 'title', '-qty', 'seen_at,-id', '-created_at']) {
        await expectExactPages({ filter, sort }, 5);
      }
    }
    const wonOrOpen = all.filter((r) => r.stage === 'won' || r.stage === 'open');
    expect(wonOrOpen.length).toBeGreaterThan(20);
    for (const sort of ['-stage,amount,title', '-score', 'close,title']) {
      const ids = await expectExactPages({ filter: filters[0], sort });
      expect(ids).toEqual(oracle(wonOrOpen, sort));
    }
  });

  it('places nulls last ascending and first descending', async () => {
    const ascending = (await list({ sort: 'qty', limit: 500 })).data;
    const descending = (await list({ sort: '-qty', limit: 500 })).data;
    const nulls = all.filter((r) => r.qty === null).length;
    expect(ascending.slice(-nulls).every((r) => r.qty === null)).toBe(true);
    expect(ascending[ascending.length - nulls - 1].qty).toBe(3);
    expect(descending.slice(0, nulls).every((r) => r.qty === null)).toBe(true);
    expect(descending[nulls].qty).toBe(3);
    expect(ascending[0].qty).toBe(-1);
  });

  it('ends with a null cursor when the last page is exactly full', async () => {
    const filter = { field: 'stage', op: 'eq', value: 'won' };
    const total = (await list({ filter, count: true, limit: 1 })).total ?? 0;
    expect(total).toBeGreaterThan(3);
    const page = await list({ filter, limit: total });
    expect(page.data).toHaveLength(total);
    expect(page.nextCursor).toBeNull();
    const shorter = await list({ filter, limit: total - 1 });
    expect(shorter.nextCursor).not.toBeNull();
    const last = await list({ filter, limit: total - 1, cursor: shorter.nextCursor ?? undefined });
    expect(last.data).toHaveLength(1);
    expect(last.nextCursor).toBeNull();
  });

  describe('bad cursors and limits', () => {
    const cursorOf = async (sort: string) => {
      const page = await list({ sort, limit: 3 });
      if (!page.nextCursor) throw new Error('expected a next page');
      return page.nextCursor;
    };
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

    async function expectBadCursor(sort: string, cursor: string) {
      const error = await engineError(list({ sort, cursor, limit: 3 }));
      expect(error.kind).toBe('invalid-query');
      expect(error.problems).toMatchObject([{ pointer: '/cursor', code: 'invalid-cursor' }]);
    }

    it('refuses garbage and tampered cursors', async () => {
      for (const cursor of [
        'not a cursor',
        '%%%',
        encode({ a: 1 }),
        encode([]),
        encode([1, 2, 3, 4, 5, 6, 7, 8]),
        encode([{ nested: true }, 'x']),
        encode(null),
        'x'.repeat(5000),
      ]) {
        await expectBadCursor('title', cursor);
      }
    });

    it('refuses a cursor whose values were changed to something of the wrong type', async () => {
      /** Replaces every string or number inside the decoded cursor with `replacement`. */
      const tamper = (cursor: string, replacement: unknown) => {
        const swap = (value: unknown): unknown => {
          if (Array.isArray(value)) return value.map(swap);
          if (value && typeof value === 'object')
            return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swap(v)]));
          return typeof value === 'string' && /^[0-9-]/.test(value) ? replacement : value;
        };
        return encode(swap(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))));
      };
      for (const [sort, replacement] of [
        ['close', '2026-02-30'],
        ['close', 'yesterday'],
        ['seen_at', 'not a time'],
        ['qty', 'NaN'],
        ['amount', '1; DROP TABLE deal'],
        ['id', 'not-a-uuid'],
        ['-created_at', 'now'],
        ['owner', 42],
      ] as const) {
        await expectBadCursor(sort, tamper(await cursorOf(sort), replacement));
      }
      expect((await list({ limit: 500 })).data).toHaveLength(RECORDS);
    });

    it('refuses a cursor made for another sort', async () => {
      const byTitle = await cursorOf('title');
      for (const sort of ['-title', 'amount', 'qty', 'close', 'title,qty', 'id']) {
        await expectBadCursor(sort, byTitle);
      }
      await expectBadCursor('amount', await cursorOf('qty'));
      await expectBadCursor('-stage,amount,title', await cursorOf('stage,amount,title'));
      // the same sort, however spelled, accepts it
      const page = await list({ sort: '+title', cursor: byTitle, limit: 3 });
      expect(page.data.map((r) => r.id)).toEqual(oracle(all, 'title').slice(3, 6));
    });

    it('refuses limits outside 1..500', async () => {
      for (const limit of [0, -1, 501, 1.5, Number.NaN]) {
        const error = await engineError(list({ limit }));
        expect(error.kind).toBe('invalid-query');
        expect(error.problems).toMatchObject([{ pointer: '/limit' }]);
      }
    });

    it('refuses sorts on unknown or unsortable fields, naming the place', async () => {
      for (const [sort, pointer] of [
        ['nope', '/sort/0'],
        ['title,-nope', '/sort/1'],
        ['title,', '/sort/1'],
        ['title; DROP TABLE deal', '/sort/0'],
        ['"title"', '/sort/0'],
        ['a,b,c,d,e,f', '/sort'],
      ] as const) {
        const error = await engineError(list({ sort }));
        expect(error.kind, sort).toBe('invalid-query');
        expect(error.problems[0].pointer, sort).toBe(pointer);
      }
      expect((await list({ limit: 500 })).data).toHaveLength(RECORDS);
    });
  });
});
