import { OPERATORS, type StoredRecord, SYSTEM_FIELDS } from '@crm/engine';
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { type ApiClient, type ApiResponse, apiClient, counts } from '../../support/api.ts';
import { customerModule } from '../../support/api-fixtures.ts';
import { forEachDatabase } from '../../support/engines.ts';

const RECORDS = '/api/modules/customer/records';
const RUNS = 150;
const PROPERTY_TIMEOUT = 120_000;

const FIELDS = new Set(customerModule.fields.map((f) => f.name));
const SYSTEM = new Set<string>(SYSTEM_FIELDS);
const isKnownName = (name: string) => FIELDS.has(name) || SYSTEM.has(name);

// ---- bad records: a valid-looking record with exactly one thing wrong, or a body that is no record

const nested: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 1 }),
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), tie('node'), { maxKeys: 3 }),
  ),
})).node;
/** Always invalid: an object with an unknown key, or a list holding an object. */
const junk = fc.oneof(
  nested.map((n) => ({ junk: n })),
  nested.map((n) => [n, { junk: n }]),
);
const list = fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 });
const object = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
const fraction = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d));
const notString = fc.oneof(fc.integer(), fraction, fc.boolean(), list, object);
const notDate = fc.oneof(
  fc.constantFrom(
    '2026-13-01',
    '2026-02-30',
    '2025-02-29',
    '26-01-01',
    '2026/01/01',
    'yesterday',
    '2026-01-01T00:00:00Z',
    '',
  ),
  fc.string({ maxLength: 12 }).filter((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s)),
);

const badValues: Record<string, fc.Arbitrary<unknown>> = {
  name: fc.oneof(
    notString,
    fc.constant(null),
    fc.string({ minLength: 81, maxLength: 200 }),
    fc.string({ unit: 'grapheme', minLength: 81, maxLength: 120 }),
  ),
  level: fc.oneof(
    notString,
    fc.string({ maxLength: 10 }).filter((s) => s !== 'a' && s !== 'b'),
  ),
  credit: fc.oneof(
    fc.oneof(fc.string(), fc.integer(), fc.boolean(), list),
    fc.record({ amount: fc.integer({ max: -1 }) }),
    fc.record({ amount: fc.double({ min: 1e13 + 1, max: 1e300, noNaN: true }) }),
    fc.record({ amount: fc.integer({ min: 0, max: 1000 }).map((n) => n + 0.001) }),
    // an amount that is no number at all (an integer amount would be a valid one)
    fc.record({ amount: fc.oneof(fc.string(), fc.boolean(), list, object) }),
    fc.record({ amount: fc.constant(1), currency: fc.string({ maxLength: 5 }).filter((c) => c !== 'CNY') }),
    fc.record({ amount: fc.constant(1), extra: fc.jsonValue({ maxDepth: 1 }) }),
    fc.constant({}),
  ),
  employees: fc.oneof(
    fc.integer({ max: -1 }),
    fc.integer({ min: 100_001 }),
    fraction,
    fc.string(),
    fc.boolean(),
    list,
    object,
  ),
  since: fc.oneof(notDate, fc.integer(), fc.boolean(), list, object),
  vip: fc.oneof(fc.string(), fc.integer(), list, object),
  tags: fc.oneof(
    fc.string(),
    fc.integer(),
    object,
    fc.array(
      fc.string({ maxLength: 6 }).filter((t) => t !== 'new' && t !== 'hot'),
      { minLength: 1, maxLength: 3 },
    ),
    fc.array(fc.oneof(fc.integer(), fc.boolean(), object), { minLength: 1, maxLength: 3 }),
    fc.constant(['new', 'new']),
  ),
};

const validExtras = fc.record(
  {
    level: fc.constantFrom('a', 'b'),
    employees: fc.integer({ min: 0, max: 100_000 }),
    since: fc.constantFrom('2024-02-29', '2026-12-31'),
    tags: fc.subarray(['new', 'hot']),
    credit: fc.integer({ min: 0, max: 1_000_000 }).map((cents) => ({ amount: cents / 100 })),
  },
  { requiredKeys: [] },
);

const unknownKey = fc
  .oneof(
    fc.constantFrom(
      'colour',
      'Name',
      'name ',
      '"',
      "'; DROP TABLE customer; --",
      '__proto__',
      'constructor',
      '名称',
    ),
    fc.string({ minLength: 1, maxLength: 12 }),
  )
  .filter((key) => !isKnownName(key));

const badRecord = fc.oneof(
  fc.tuple(validExtras, fc.constantFrom(...Object.keys(badValues))).chain(([extras, field]) =>
    (badValues[field] as fc.Arbitrary<unknown>)
      // '' and [] are how a cleared field is sent: empty, which an optional field accepts
      .filter((value) => value !== '' && !(Array.isArray(value) && value.length === 0))
      .map((value) => ({
        name: 'Prop',
        ...extras,
        [field]: value,
      })),
  ),
  fc.tuple(validExtras, unknownKey, fc.jsonValue({ maxDepth: 2 })).map(([extras, key, value]) => {
    const record: Record<string, unknown> = { name: 'Prop', ...extras };
    // defineProperty: a plain assignment of '__proto__' would set the prototype instead of a key.
    Object.defineProperty(record, key, { value, enumerable: true, configurable: true, writable: true });
    return record;
  }),
  fc
    .tuple(fc.constantFrom(...Object.keys(badValues)), junk)
    .map(([field, value]) => ({ name: 'Prop', [field]: value })),
  fc.oneof(list, fc.string(), fc.integer(), fc.boolean(), fc.constant(null)),
);

// ---- bad filters: one bad condition somewhere in a tree of good ones, and where it is

const validLeaf = fc.constantFrom<unknown>(
  { field: 'name', op: 'contains', value: 'a' },
  { field: 'employees', op: 'gte', value: 3 },
  { field: 'level', op: 'in', value: ['a'] },
  { field: 'vip', op: 'eq', value: true },
  { field: 'since', op: 'lt', value: '2026-01-01' },
  { field: 'tags', op: 'hasAny', value: ['new'] },
  { field: 'name', op: 'empty' },
  { field: 'created_at', op: 'gt', value: '2020-01-01T00:00:00Z' },
);

const hostileName = fc
  .oneof(
    fc.constantFrom(
      'name; DROP TABLE customer',
      '"',
      '\u0000',
      "' OR 1=1 --",
      'NAME',
      ' name',
      '客户',
      'level.name',
      'a.b.c',
      '',
      '*',
      't.name',
      'constructor',
      'toString',
      '__proto__',
      'hasOwnProperty',
    ),
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
  )
  .filter((name) => !isKnownName(name));

/** Filter families of the fields the generator uses; `integer` and `datetime` refine number and date. */
const families: Record<string, string> = {
  name: 'text',
  level: 'choice',
  employees: 'integer',
  since: 'date',
  created_at: 'datetime',
  vip: 'boolean',
  tags: 'multi',
  id: 'reference',
};
const operatorsOf = (field: string) =>
  OPERATORS[
    ({ integer: 'number', datetime: 'date' }[families[field]] ?? families[field]) as keyof typeof OPERATORS
  ];
const valueOps: Record<string, string[]> = {
  text: ['eq', 'ne', 'contains', 'startsWith', 'endsWith', 'in', 'nin'],
  choice: ['eq', 'ne', 'in', 'nin'],
  integer: ['eq', 'gt', 'lte', 'between', 'in'],
  date: ['eq', 'gt', 'lt', 'between'],
  datetime: ['eq', 'gte', 'lte', 'between'],
  boolean: ['eq', 'ne'],
  multi: ['hasAny', 'hasAll', 'hasNone'],
  reference: ['eq', 'in'],
};
const LIST_OPS = new Set(['in', 'nin', 'between', 'hasAny', 'hasAll', 'hasNone']);

/** A value that is wrong for `op` on a field of `family`, whatever else. */
function wrongValue(family: string, op: string): fc.Arbitrary<unknown> {
  const wrongScalar: Record<string, fc.Arbitrary<unknown>> = {
    text: fc.oneof(
      fc.integer(),
      fc.boolean(),
      object,
      fc.constant(null),
      fc.string({ minLength: 1001, maxLength: 1100 }),
    ),
    choice: fc.oneof(fc.integer(), fc.boolean(), object, fc.constant(null)),
    integer: fc.oneof(fc.string(), fc.boolean(), object, fc.constant(null), fraction, fc.constant(1e300)),
    date: fc.oneof(notDate, fc.integer(), fc.boolean(), object),
    datetime: fc.oneof(
      fc.constantFrom(
        '1',
        'March 7',
        'now',
        '2026-02-30T00:00:00Z',
        '2026-01-01T25:00:00Z',
        '2026-01-01T10:61Z',
        '',
      ),
      fc.integer(),
      object,
    ),
    boolean: fc.oneof(fc.string(), fc.integer(), object, fc.constant(null)),
    multi: fc.oneof(fc.integer(), fc.boolean(), object),
    reference: fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant("1' OR '1'='1")),
  };
  if (!LIST_OPS.has(op)) return wrongScalar[family];
  const lists = [
    fc.constant([]),
    fc.oneof(fc.string(), fc.integer(), object),
    fc.array(wrongScalar[family], { minLength: 1, maxLength: 3 }),
  ];
  if (op === 'between') lists.push(fc.constant([1]), fc.constant([1, 2, 3]));
  return fc.oneof(...lists);
}

const fieldName = fc.constantFrom(...Object.keys(families));

const badLeaf: fc.Arbitrary<{ node: unknown; suffix: string }> = fc.oneof(
  fc.tuple(hostileName, fc.constantFrom('eq', 'contains', 'in')).map(([field, op]) => ({
    node: { field, op, value: 'x' },
    suffix: '/field',
  })),
  fc
    .tuple(
      fieldName,
      fc.oneof(
        fc.string({ maxLength: 10 }),
        fc.constantFrom('like', 'EQ', '=', 'regex', 'hasAny', 'contains'),
      ),
    )
    .filter(([field, op]) => !operatorsOf(field).includes(op))
    .map(([field, op]) => ({ node: { field, op, value: 'x' }, suffix: '/op' })),
  fieldName
    .chain((field) => fc.tuple(fc.constant(field), fc.constantFrom(...valueOps[families[field]])))
    .chain(([field, op]) =>
      wrongValue(families[field], op).map((value) => ({ node: { field, op, value }, suffix: '/value' })),
    ),
  fc
    .tuple(fieldName, fc.constantFrom('empty', 'notEmpty'), fc.oneof(fc.string(), fc.integer(), list))
    .map(([field, op, value]) => ({ node: { field, op, value }, suffix: '/value' })),
  fc.oneof(fc.string(), fc.integer(), fc.constant(null), list).map((node) => ({ node, suffix: '' })),
  fc
    .constantFrom<unknown>(
      { and: [] },
      { or: 'name' },
      { and: [{ field: 'name', op: 'empty' }], or: [] },
      { not: { field: 'name', op: 'empty' }, field: 'name' },
      { field: 'name', op: 'eq', value: 'a', sql: '1=1' },
      { op: 'eq', value: 'a' },
      { field: 'name', value: 'a' },
    )
    .map((node) => ({ node, suffix: '' })),
  fc.tuple(fc.integer({ min: 7, max: 12 }), validLeaf).map(([depth, leaf]) => ({
    node: Array.from({ length: depth }).reduce<unknown>(
      (inner, _, i) => (i % 2 ? { not: inner } : { and: [inner] }),
      leaf,
    ),
    suffix: '',
  })),
);

const wrapper = fc.record({
  kind: fc.constantFrom('and', 'or', 'not'),
  before: fc.array(validLeaf, { maxLength: 2 }),
  after: fc.array(validLeaf, { maxLength: 2 }),
});

/** The bad leaf inside 0–3 groups of good conditions, with the JSON pointer of the bad leaf. */
const badFilter = fc
  .tuple(badLeaf, fc.array(wrapper, { maxLength: 3 }))
  .map(([leaf, wrappers]) => {
    let filter = leaf.node;
    let path = '';
    for (const { kind, before, after } of wrappers) {
      if (kind === 'not') {
        filter = { not: filter };
        path = `/not${path}`;
      } else {
        filter = { [kind]: [...before, filter, ...after] };
        path = `/${kind}/${before.length}${path}`;
      }
    }
    return { filter, at: `/filter${path}`, suffix: leaf.suffix };
  })
  // `filter=null` is the same as no filter
  .filter(({ filter }) => filter !== null);

const badSort = fc
  .tuple(
    fc.array(fc.constantFrom('name', '-employees', 'since'), { maxLength: 2 }),
    hostileName,
    fc.constantFrom('', '-', '+'),
  )
  .filter(([, name]) => !isKnownName(name.trim().replace(/^[-+]/, '')) && !name.includes(','))
  .map(([good, name, sign]) => ({ sort: [...good, sign + name].join(','), index: good.length }))
  // an empty sort is the default sort
  .filter(({ sort }) => sort.trim() !== '');

const forgedCursor = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.jsonValue({ maxDepth: 3 }).map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
  fc
    .tuple(fc.jsonValue({ maxDepth: 1 }), fc.jsonValue({ maxDepth: 1 }))
    .map((after) => Buffer.from(JSON.stringify({ sort: '-created_at,-id', after })).toString('base64url')),
);

// ----

function expectClientProblem(response: ApiResponse, context: unknown) {
  const body = response.body as { errors?: { pointer?: unknown }[]; status?: number };
  const where = JSON.stringify({ context, status: response.status, body });
  expect(response.status, where).toBeGreaterThanOrEqual(400);
  expect(response.status, where).toBeLessThan(500);
  expect(response.headers.get('content-type'), where).toMatch(/^application\/problem\+json/);
  expect(body.status, where).toBe(response.status);
  expect(body.errors?.length, where).toBeGreaterThan(0);
  expect(
    body.errors?.every((e) => typeof e.pointer === 'string'),
    where,
  ).toBe(true);
  return (body.errors ?? []).map((e) => e.pointer as string);
}

forEachDatabase('REST API under generated bad input', (handle) => {
  let api: ApiClient;
  let target: StoredRecord;

  beforeAll(async () => {
    api = apiClient(handle());
    expect((await api.post('/api/meta/modules', customerModule)).status).toBe(201);
    expect((await api.post('/api/meta/publish')).status).toBe(200);
    target = (
      await api.post<StoredRecord>(RECORDS, { name: 'Target', level: 'a', employees: 5, tags: ['new'] })
    ).body;
  });

  it(
    'refuses every generated bad record with a 4xx problem and writes nothing',
    async () => {
      const before = await counts(handle(), 'customer');
      const history = (await api.get(`${RECORDS}/${target.id}/history`)).body;
      await fc.assert(
        fc.asyncProperty(badRecord, async (record) => {
          expectClientProblem(await api.post(RECORDS, record), { create: record });
          expectClientProblem(await api.patch(`${RECORDS}/${target.id}`, record), { patch: record });
          expect(await counts(handle(), 'customer')).toEqual(before);
        }),
        { numRuns: RUNS },
      );
      expect((await api.get(`${RECORDS}/${target.id}`)).body).toEqual(target);
      expect((await api.get(`${RECORDS}/${target.id}/history`)).body).toEqual(history);
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'refuses every generated bad filter with a 400 naming the bad condition, and changes nothing',
    async () => {
      const before = await counts(handle(), 'customer');
      await fc.assert(
        fc.asyncProperty(badFilter, async ({ filter, at, suffix }) => {
          const response = await api.get(`${RECORDS}?filter=${encodeURIComponent(JSON.stringify(filter))}`);
          const pointers = expectClientProblem(response, filter);
          expect(response.status).toBe(400);
          const expected = at + suffix;
          expect(
            pointers.some((p) => p === expected || p.startsWith(`${expected}/`)),
            JSON.stringify({ filter, expected, pointers }),
          ).toBe(true);
        }),
        { numRuns: RUNS },
      );
      expect(await counts(handle(), 'customer')).toEqual(before);
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'refuses every forged cursor with a 400 at /cursor',
    async () => {
      await fc.assert(
        fc.asyncProperty(forgedCursor, async (cursor) => {
          const response = await api.get(`${RECORDS}?cursor=${encodeURIComponent(cursor)}`);
          expect(response.status, cursor).toBe(400);
          expect(expectClientProblem(response, cursor), cursor).toContain('/cursor');
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'refuses every generated bad sort with a 400 naming the bad key',
    async () => {
      await fc.assert(
        fc.asyncProperty(badSort, async ({ sort, index }) => {
          const response = await api.get(`${RECORDS}?sort=${encodeURIComponent(sort)}`);
          const pointers = expectClientProblem(response, sort);
          expect(response.status).toBe(400);
          expect(pointers, sort).toContain(`/sort/${index}`);
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT,
  );
});
