// Changing a field's type on a module holding data: each field converts into a new column, the preview
// counts and shows what would not convert, an unconfirmed loss changes nothing, a confirmed one keeps
// the old values in an archived column until purged.
import type { ConversionReport, FieldDefinition, ModuleDefinition, Workspace } from '@crm/engine';
import { SYSTEM_ACTOR } from '@crm/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { type EngineHandle, forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { schemaSteps } from '../../support/plan.ts';
import { rawRows, tableColumns } from '../../support/sql.ts';

const SCHEMA = 'ws_default';
/** The value did not convert: the new column holds null for it. */
const LOST = Symbol('unconvertible');
/** The value converted to `value`, keeping less than before. */
const lossy = (value: unknown) => ({ lossy: value });

type Expected = unknown | typeof LOST | { lossy: unknown };

/** A field's type and settings. */
type FieldShape = { type: string } & Record<string, unknown>;

interface Case {
  from: FieldShape;
  to: FieldShape;
  /** Values stored under the old type, and what each becomes. */
  values: [unknown, Expected][];
}

const outcomes = [
  { value: 'won', label: { en: 'Won', 'zh-CN': '赢单' } },
  { value: 'lost', label: { en: 'Lost', 'zh-CN': '输单' } },
];
const letters = (values: string[]) => values.map((value) => ({ value, label: { en: value.toUpperCase() } }));

/** Field name → the conversion it undergoes: the matrix of conversions, value in → value out. */
const CASES: Record<string, Case> = {
  text_integer: {
    from: { type: 'text' },
    to: { type: 'integer' },
    values: [
      ['  42 ', 42],
      ['4x2', LOST],
      ['-7', -7],
      ['99999999999999999', LOST],
      ['12.5', LOST],
      [null, null],
      ['+5', 5],
    ],
  },
  text_integer_bounded: {
    from: { type: 'text' },
    to: { type: 'integer', min: 0, max: 100 },
    values: [
      ['100', 100],
      ['101', LOST],
      ['-1', LOST],
    ],
  },
  text_decimal: {
    from: { type: 'text' },
    to: { type: 'decimal', precision: 6, scale: 2 },
    values: [
      ['3.14159', lossy(3.14)],
      ['1,5', LOST],
      [' 10 ', 10],
      ['.5', 0.5],
      ['10000', LOST],
      ['9999.99', 9999.99],
      ['+.5', 0.5],
      ['5.', 5],
    ],
  },
  text_date: {
    from: { type: 'text' },
    to: { type: 'date' },
    values: [
      ['2026-02-28', '2026-02-28'],
      ['2026-02-30', LOST],
      ['2024-02-29', '2024-02-29'],
      ['2023-02-29', LOST],
      ['tomorrow', LOST],
      ['2026-13-01', LOST],
    ],
  },
  text_datetime: {
    from: { type: 'text' },
    to: { type: 'datetime' },
    values: [
      ['2026-01-02T03:04:05Z', '2026-01-02T03:04:05.000Z'],
      ['2026-01-02 10:00+08:00', '2026-01-02T02:00:00.000Z'],
      ['2026-01-02', '2026-01-02T00:00:00.000Z'],
      ['2026-01-02T10:30:15.250', '2026-01-02T10:30:15.250Z'],
      ['2026-13-01T00:00', LOST],
      ['2026-01-02T24:00', LOST],
      ['2026-01-02t10:00z', '2026-01-02T10:00:00.000Z'],
      ['0000-01-01', LOST],
    ],
  },
  text_boolean: {
    from: { type: 'text' },
    to: { type: 'boolean' },
    values: [
      ['Yes', true],
      ['否', false],
      ['0', false],
      ['maybe', LOST],
    ],
  },
  text_email: {
    from: { type: 'text' },
    to: { type: 'email' },
    values: [
      [' ann@example.com ', 'ann@example.com'],
      ['not an email', LOST],
      ['a@b', LOST],
    ],
  },
  text_phone: {
    from: { type: 'text' },
    to: { type: 'phone' },
    values: [
      ['+86 138 1234 5678', '+86 138 1234 5678'],
      ['010-12345678-123', '010-12345678-123'],
      ['call me', LOST],
    ],
  },
  text_url: {
    from: { type: 'text' },
    to: { type: 'url' },
    values: [
      ['https://example.com/a?b=c', 'https://example.com/a?b=c'],
      ['ftp://example.com', LOST],
      ['http://has space.com', LOST],
    ],
  },
  text_select: {
    from: { type: 'text' },
    to: { type: 'select', options: outcomes },
    values: [
      ['won', 'won'],
      ['赢单', 'won'],
      [' LOST ', 'lost'],
      ['pending', LOST],
    ],
  },
  text_multi: {
    from: { type: 'text' },
    to: { type: 'multiSelect', options: outcomes },
    values: [
      ['won, Lost', ['won', 'lost']],
      ['赢单；won', ['won']],
      ['won, nope', LOST],
      ['输单', ['lost']],
    ],
  },
  long_text: {
    from: { type: 'longText' },
    to: { type: 'text', maxLength: 10 },
    values: [
      ['short', 'short'],
      ['longer than ten', LOST],
    ],
  },
  integer_decimal: {
    from: { type: 'integer' },
    to: { type: 'decimal', precision: 5, scale: 2 },
    values: [
      [123, 123],
      [1000, LOST],
      [-5, -5],
    ],
  },
  integer_boolean: {
    from: { type: 'integer' },
    to: { type: 'boolean' },
    values: [
      [1, true],
      [0, false],
      [5, LOST],
    ],
  },
  integer_select: {
    from: { type: 'integer' },
    to: { type: 'select', options: letters(['1', '2']) },
    values: [
      [1, '1'],
      [3, LOST],
    ],
  },
  decimal_integer: {
    from: { type: 'decimal', scale: 2 },
    to: { type: 'integer' },
    values: [
      [10.25, lossy(10)],
      [7, 7],
      [2.5, lossy(3)],
      [-2.5, lossy(-3)],
    ],
  },
  decimal_percent: {
    from: { type: 'decimal', scale: 4 },
    to: { type: 'percent', scale: 1 },
    values: [
      [12.3456, lossy(12.3)],
      [50, 50],
    ],
  },
  money_integer: {
    from: { type: 'money', currencies: ['CNY', 'USD'] },
    to: { type: 'integer' },
    values: [
      [{ amount: 12, currency: 'USD' }, 12],
      [{ amount: 12.5, currency: 'CNY' }, lossy(13)],
    ],
  },
  boolean_integer: {
    from: { type: 'boolean' },
    to: { type: 'integer' },
    values: [
      [true, 1],
      [false, 0],
    ],
  },
  select_multi: {
    from: { type: 'select', options: letters(['a', 'b', 'c']) },
    to: { type: 'multiSelect', options: letters(['a', 'b']) },
    values: [
      ['a', ['a']],
      ['c', LOST],
    ],
  },
  multi_select: {
    from: { type: 'multiSelect', options: letters(['a', 'b']) },
    to: { type: 'select', options: letters(['a', 'b']) },
    values: [
      [['a'], 'a'],
      [['a', 'b'], LOST],
    ],
  },
  multi_text: {
    from: { type: 'multiSelect', options: letters(['a', 'b']) },
    to: { type: 'text' },
    values: [[['a', 'b'], 'a, b']],
  },
  datetime_date: {
    from: { type: 'datetime' },
    to: { type: 'date' },
    values: [
      ['2026-01-02T00:00:00.000Z', '2026-01-02'],
      ['2026-01-02T15:30:00.000Z', lossy('2026-01-02')],
    ],
  },
};

const ROWS = Math.max(...Object.values(CASES).map((c) => c.values.length));
const fieldsOf = (side: 'from' | 'to'): FieldDefinition[] =>
  Object.entries(CASES).map(([name, c]) => ({ id: `tc_${name}`, name, label: { en: name }, ...c[side] }));

const matrix: ModuleDefinition = {
  id: 'mod_tc_matrix',
  name: 'matrix',
  label: { en: 'Matrix' },
  fields: [{ id: 'tc_row', name: 'row', type: 'integer', label: { en: 'Row' } }, ...fieldsOf('from')],
};

/** A sample shows the old column's value: a money field's amount, an instant in Postgres' JSON. */
function asStored<T extends { value: unknown }>(sample: T): T {
  const { value } = sample;
  if (typeof value === 'object' && value !== null && 'amount' in value)
    return { ...sample, value: value.amount };
  if (typeof value === 'string' && /T.*Z$/.test(value)) {
    return { ...sample, value: expect.stringMatching(new RegExp(`^${value.slice(0, 19)}`)) };
  }
  return sample;
}

const lostCount = (c: Case) => c.values.filter(([, out]) => out === LOST).length;
const lossyCount = (c: Case) =>
  c.values.filter(([, out]) => typeof out === 'object' && out !== null && 'lossy' in out).length;
const converted = (out: Expected) =>
  out === LOST ? null : typeof out === 'object' && out !== null && 'lossy' in out ? out.lossy : out;

forEachDatabase('type changes', (handle) => {
  let workspace: Workspace;
  let engine: EngineHandle['engine'];
  const ids: string[] = [];

  async function draft(module: string, change: (definition: ModuleDefinition) => void) {
    const state = await workspace.definitions.get(module);
    if (!state.published) throw new Error(`${module} is not published`);
    const next = structuredClone(state.published);
    change(next);
    return workspace.definitions.saveDraft(next);
  }

  /** What a refused publish must leave as it was. */
  async function snapshot(module: string) {
    const state = await workspace.definitions.get(module);
    return {
      published: state.published,
      version: state.publishedVersion,
      columns: await tableColumns(engine, SCHEMA, module),
      rows: await rawRows(engine, `SELECT * FROM "${SCHEMA}"."${module}" ORDER BY id`),
      archived: await rawRows(
        engine,
        `SELECT * FROM crm_meta.archived_columns WHERE module_id = '${state.id}' ORDER BY version, field_id`,
      ),
    };
  }

  const report = (steps: { field?: string; conversion?: ConversionReport }[], field: string) => {
    const found = steps.find((s) => s.field === field && s.conversion)?.conversion;
    if (!found) throw new Error(`no conversion of ${field}`);
    return found;
  };

  beforeAll(async () => {
    ({ workspace, engine } = handle());
    await workspace.definitions.saveDraft(matrix);
    await workspace.definitions.publish();
    for (let row = 0; row < ROWS; row++) {
      const values: Record<string, unknown> = { row };
      for (const [name, c] of Object.entries(CASES)) {
        if (row < c.values.length && c.values[row][0] !== null) values[name] = c.values[row][0];
      }
      ids.push((await workspace.records.create('matrix', values, SYSTEM_ACTOR)).id);
    }
  });

  it('previews each conversion: counts and samples of what would not convert, and refuses without confirmation', async () => {
    await draft('matrix', (d) => {
      d.fields = [d.fields[0], ...fieldsOf('to')];
    });
    const before = await snapshot('matrix');
    const preview = await workspace.definitions.preview(['matrix']);
    for (const [name, c] of Object.entries(CASES)) {
      const counted = report(preview.steps, name);
      expect({ unconvertible: counted.unconvertible, lossy: counted.lossy }, name).toEqual({
        unconvertible: lostCount(c),
        lossy: lossyCount(c),
      });
      expect(counted.values, name).toBe(c.values.filter(([value]) => value !== null).length);
      // the samples name the records and their old values
      const expectedSamples = c.values.flatMap(([value, out], row) =>
        out === LOST
          ? [{ id: ids[row], value, converted: null, problem: 'unconvertible' }]
          : converted(out) !== out
            ? [{ id: ids[row], value, converted: expect.anything(), problem: 'lossy' }]
            : [],
      );
      expect(counted.samples, name).toEqual(expectedSamples.map(asStored));
    }
    const textInteger = report(preview.steps, 'text_integer');
    expect(textInteger.summary.en).toBe(
      "changing field 'text_integer' from text to integer: 3 of 6 values cannot be converted and would become empty (the old values stay in _arch_v2_text_integer until purged)",
    );
    expect(textInteger.summary['zh-CN']).toContain('无法转换');
    expect(report(preview.steps, 'decimal_integer').summary.en).toContain('3 values would lose precision');
    // every loss is a problem of its field: nothing can be published without confirming it
    const lossyFields = Object.entries(CASES).filter(([, c]) => lostCount(c) + lossyCount(c) > 0);
    expect(preview.problems.map((p) => [p.code, p.pointer]).sort()).toEqual(
      lossyFields
        .map(([name]) => ['data-loss', `/modules/matrix/fields/${Object.keys(CASES).indexOf(name) + 1}/type`])
        .sort(),
    );
    expect(preview.problems[0].messages?.['zh-CN']).toContain('确认数据丢失后才能发布');
    const error = await engineError(workspace.definitions.publish(['matrix']));
    expect(error.kind).toBe('migration-refused');
    expect(error.problems.map((p) => p.code)).toEqual(lossyFields.map(() => 'data-loss'));
    expect(await snapshot('matrix')).toEqual(before);
    // confirmed, the preview has no problems left (and still changes nothing)
    const confirmed = await workspace.definitions.preview(['matrix'], { confirmDataLoss: true });
    expect(confirmed.problems).toEqual([]);
    expect(await snapshot('matrix')).toEqual(before);
  });

  it('converts every value it can when confirmed; the old values stay in archived columns', async () => {
    const result = await workspace.definitions.publish(['matrix'], SYSTEM_ACTOR, { confirmDataLoss: true });
    expect(result.published).toBe(true);
    for (const [row, id] of ids.entries()) {
      const record = await workspace.records.get('matrix', id, SYSTEM_ACTOR);
      for (const [name, c] of Object.entries(CASES)) {
        if (row >= c.values.length) continue;
        expect(record[name], `${name} row ${row}: ${JSON.stringify(c.values[row][0])}`).toEqual(
          converted(c.values[row][1]),
        );
      }
    }
    const columns = await tableColumns(engine, SCHEMA, 'matrix');
    for (const name of Object.keys(CASES)) {
      expect(columns).toContain(name);
      expect(columns).toContain(`_arch_v2_${name}`);
    }
    expect(columns).toContain('_arch_v2_money_integer__currency');
    const kept = await rawRows(
      engine,
      `SELECT "_arch_v2_text_integer" AS old, text_integer AS now FROM "${SCHEMA}".matrix WHERE id = '${ids[1]}'`,
    );
    expect(kept).toEqual([{ old: '4x2', now: null }]);
    const archived = await workspace.definitions.archived.list('matrix');
    expect(archived).toHaveLength(Object.keys(CASES).length);
    expect(archived.find((a) => a.field.name === 'money_integer')).toMatchObject({
      columns: ['_arch_v2_money_integer', '_arch_v2_money_integer__currency'],
      reason: 'typeChange',
      version: 2,
      values: 2,
      field: { id: 'tc_money_integer', type: 'money' },
    });
    expect(archived.every((a) => a.bytes > 0)).toBe(true);
    // the publish is in the operation log with what it converted
    const [logged] = await rawRows(
      engine,
      `SELECT details FROM "${SCHEMA}"._operation_log WHERE action = 'publish' ORDER BY at DESC LIMIT 1`,
    );
    expect(logged.details).toMatchObject({
      confirmDataLoss: true,
      conversions: expect.arrayContaining([
        expect.objectContaining({ field: 'text_integer', unconvertible: 3, lossy: 0 }),
      ]),
    });
    // records take new values of the new types
    const written = await workspace.records.update(
      'matrix',
      ids[1],
      { text_integer: 8, text_select: 'lost', text_multi: ['won'] },
      SYSTEM_ACTOR,
    );
    expect(written).toMatchObject({ text_integer: 8, text_select: 'lost', text_multi: ['won'] });
  });

  it('changes types whose values all fit without a conversion: in place or not at all', async () => {
    const lossless: ModuleDefinition = {
      id: 'mod_tc_lossless',
      name: 'lossless',
      label: { en: 'Lossless' },
      fields: [
        { id: 'l_price', name: 'price', type: 'decimal', label: { en: 'Price' } },
        { id: 'l_mail', name: 'mail', type: 'email', label: { en: 'Mail' } },
        { id: 'l_day', name: 'day', type: 'date', label: { en: 'Day' } },
        { id: 'l_count', name: 'count', type: 'integer', label: { en: 'Count' } },
      ],
    };
    await workspace.definitions.saveDraft(lossless);
    await workspace.definitions.publish(['lossless']);
    const { id } = await workspace.records.create(
      'lossless',
      { price: 12.5, mail: 'a@b.cn', day: '2026-05-06', count: 7 },
      SYSTEM_ACTOR,
    );
    await draft('lossless', (d) => {
      Object.assign(d.fields[0], { type: 'percent' }); // same numeric(15,2): nothing to do
      Object.assign(d.fields[1], { type: 'text' }); // an address always fits 255 characters
      Object.assign(d.fields[2], { type: 'datetime' }); // in place
      Object.assign(d.fields[3], { type: 'text' }); // in place
    });
    const preview = await workspace.definitions.preview(['lossless']);
    expect(preview.problems).toEqual([]);
    expect(schemaSteps(preview.steps).map((s) => [s.kind, s.field])).toEqual([
      ['alterColumnType', 'day'],
      ['alterColumnType', 'count'],
    ]);
    await workspace.definitions.publish(['lossless']);
    expect(await workspace.records.get('lossless', id, SYSTEM_ACTOR)).toMatchObject({
      price: 12.5,
      mail: 'a@b.cn',
      day: '2026-05-06T00:00:00.000Z',
      count: '7',
    });
    expect(await workspace.definitions.archived.list('lossless')).toEqual([]);
  });

  it('counts what records in the recycle bin would lose apart, and converts them too', async () => {
    await workspace.definitions.saveDraft({
      id: 'mod_tc_binned',
      name: 'binned',
      label: { en: 'Binned' },
      fields: [{ id: 'bn_size', name: 'size', type: 'text', label: { en: 'Size' } }],
    });
    await workspace.definitions.publish(['binned']);
    const live = await workspace.records.create('binned', { size: '5' }, SYSTEM_ACTOR);
    const binned = await workspace.records.create('binned', { size: 'large' }, SYSTEM_ACTOR);
    await workspace.records.delete('binned', binned.id, SYSTEM_ACTOR);
    await draft('binned', (d) => {
      d.fields[0].type = 'integer';
    });
    const preview = await workspace.definitions.preview(['binned']);
    expect(report(preview.steps, 'size')).toMatchObject({
      values: 1,
      unconvertible: 0,
      lossy: 0,
      inRecycleBin: 1,
      samples: [],
    });
    expect(report(preview.steps, 'size').summary.en).toContain('1 values of records in the recycle bin');
    expect(preview.problems).toMatchObject([{ code: 'data-loss' }]);
    await workspace.definitions.publish(['binned'], SYSTEM_ACTOR, { confirmDataLoss: true });
    expect(await workspace.records.get('binned', live.id, SYSTEM_ACTOR)).toMatchObject({ size: 5 });
    expect(await workspace.records.restore('binned', binned.id, SYSTEM_ACTOR)).toMatchObject({ size: null });
    const [kept] = await rawRows(
      engine,
      `SELECT "_arch_v2_size" AS size FROM "${SCHEMA}".binned WHERE id = '${binned.id}'`,
    );
    expect(kept.size).toBe('large');
  });

  it('purges archived data: one entry, then all, each logged', async () => {
    const before = await workspace.definitions.archived.list('matrix');
    const purged = await workspace.definitions.archived.purge(
      'matrix',
      '_arch_v2_money_integer__currency',
      SYSTEM_ACTOR,
    );
    expect(purged.map((p) => p.columns)).toEqual([
      ['_arch_v2_money_integer', '_arch_v2_money_integer__currency'],
    ]);
    let columns = await tableColumns(engine, SCHEMA, 'matrix');
    expect(columns).not.toContain('_arch_v2_money_integer');
    expect(columns).not.toContain('_arch_v2_money_integer__currency');
    expect(columns).toContain('_arch_v2_text_integer');
    expect(await workspace.definitions.archived.list('matrix')).toHaveLength(before.length - 1);
    const missing = await engineError(
      workspace.definitions.archived.purge('matrix', '_arch_v2_money_integer', SYSTEM_ACTOR),
    );
    expect(missing.kind).toBe('not-found');
    expect(missing.problems[0].messages?.['zh-CN']).toContain('归档列');

    const rest = await workspace.definitions.archived.purge('matrix', undefined, SYSTEM_ACTOR);
    expect(rest).toHaveLength(before.length - 1);
    columns = await tableColumns(engine, SCHEMA, 'matrix');
    expect(columns.filter((c) => c.startsWith('_arch_'))).toEqual([]);
    expect(await workspace.definitions.archived.list('matrix')).toEqual([]);
    const logged = await rawRows(
      engine,
      `SELECT module, details FROM "${SCHEMA}"._operation_log WHERE action = 'archive.purge' ORDER BY at`,
    );
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({
      module: 'mod_tc_matrix',
      details: { purged: [{ field: 'money_integer', version: 2, values: 2 }] },
    });
    // the records read as before
    expect(await workspace.records.get('matrix', ids[0], SYSTEM_ACTOR)).toMatchObject({ text_integer: 42 });
  });

  describe('refusals and constraints', () => {
    const people: ModuleDefinition = {
      id: 'mod_tc_people',
      name: 'people',
      label: { en: 'People' },
      fields: [
        { id: 'p_name', name: 'name', type: 'text', label: { en: 'Name' }, required: true },
        { id: 'p_code', name: 'code', type: 'text', label: { en: 'Code' }, unique: true },
        { id: 'p_badge', name: 'badge', type: 'text', label: { en: 'Badge' }, unique: true },
        { id: 'p_flag', name: 'flag', type: 'boolean', label: { en: 'Flag' } },
        { id: 'p_born', name: 'born', type: 'date', label: { en: 'Born' }, indexed: true },
        { id: 'p_tags', name: 'tags', type: 'multiSelect', label: { en: 'Tags' }, options: letters(['a']) },
      ],
    };

    beforeAll(async () => {
      await workspace.definitions.saveDraft(people);
      await workspace.definitions.publish(['people']);
      for (const [name, code, badge] of [
        ['ann', '1', 'A-1'],
        ['bob', '01', 'B-2'],
        ['cat', '2', 'X'],
      ]) {
        await workspace.records.create(
          'people',
          { name, code, badge, flag: true, born: '2000-01-01', tags: ['a'] },
          SYSTEM_ACTOR,
        );
      }
    });

    it('refuses pairs with no sensible conversion, naming the field and both types', async () => {
      const before = await snapshot('people');
      const pairs: [string, string][] = [
        ['flag', 'date'],
        ['born', 'integer'],
        ['tags', 'integer'],
        ['name', 'user'],
      ];
      for (const [name, type] of pairs) {
        const saved = await draft('people', (d) => {
          const index = d.fields.findIndex((f) => f.name === name);
          const { id, label } = d.fields[index];
          d.fields[index] = { id, name, label, type };
        });
        const index = saved.fields.findIndex((f) => f.name === name);
        const error = await engineError(
          workspace.definitions.publish(['people'], SYSTEM_ACTOR, { confirmDataLoss: true }),
        );
        const oldType = people.fields.find((f) => f.name === name)?.type;
        expect(error.kind).toBe('migration-refused');
        expect(error.problems).toEqual([
          expect.objectContaining({
            code: 'type-change',
            pointer: `/modules/people/fields/${index}/type`,
            message: expect.stringMatching(
              new RegExp(`^field '${name}' cannot change from ${oldType} .* to ${type} `),
            ),
            messages: expect.objectContaining({ 'zh-CN': expect.stringContaining('无法转换') }),
          }),
        ]);
        expect(await snapshot('people')).toEqual(before);
      }
      await workspace.definitions.discardDraft('people');
    });

    it('checks uniqueness against the converted values, and rebuilds the unique index on the new column', async () => {
      const before = await snapshot('people');
      await draft('people', (d) => {
        Object.assign(d.fields[1], { type: 'integer' }); // '1' and '01' both become 1
      });
      const error = await engineError(
        workspace.definitions.publish(['people'], SYSTEM_ACTOR, { confirmDataLoss: true }),
      );
      expect(error.problems).toMatchObject([{ code: 'duplicates', pointer: '/modules/people/fields/1' }]);
      expect(error.problems[0].message).toContain('"1" ×2');
      expect(await snapshot('people')).toEqual(before);

      await draft('people', (d) => {
        Object.assign(d.fields[2], { type: 'select', options: letters(['a-1', 'b-2']) }); // by label? no: 'X' is lost
        Object.assign(d.fields[4], { type: 'datetime' });
      });
      const preview = await workspace.definitions.preview(['people']);
      expect(report(preview.steps, 'badge')).toMatchObject({ unconvertible: 1, required: false });
      await workspace.definitions.publish(['people'], SYSTEM_ACTOR, { confirmDataLoss: true });
      const indexes = await rawRows(
        engine,
        `SELECT indexdef FROM pg_indexes WHERE schemaname = '${SCHEMA}' AND tablename = 'people' ORDER BY 1`,
      );
      const defs = indexes.map((i) => String(i.indexdef));
      expect(defs.filter((d) => d.includes('UNIQUE') && d.includes('(badge)'))).toHaveLength(1);
      expect(defs.filter((d) => d.includes('_arch_'))).toEqual([]);
      const duplicate = await engineError(
        workspace.records.create('people', { name: 'dan', badge: 'a-1' }, SYSTEM_ACTOR),
      );
      expect(duplicate.problems).toMatchObject([{ pointer: '/badge', code: 'unique' }]);
    });

    it('renames and converts a field in one publish; the stored plan keeps the counts, not the values', async () => {
      await draft('people', (d) => {
        Object.assign(d.fields[5], { name: 'tag', type: 'select', options: letters(['b']) });
      });
      const result = await workspace.definitions.publish(['people'], SYSTEM_ACTOR, { confirmDataLoss: true });
      const published = report(result.steps, 'tag');
      expect(published).toMatchObject({ unconvertible: 3, archivedColumn: '_arch_v3_tag' });
      expect(published.samples).toHaveLength(3);
      expect(schemaSteps(result.steps).map((s) => s.kind)).toEqual(['renameColumn', 'convertColumn']);
      const columns = await tableColumns(engine, SCHEMA, 'people');
      expect(columns).toEqual(expect.arrayContaining(['tag', '_arch_v3_tag']));
      expect(columns).not.toContain('tags');
      const [kept] = await rawRows(engine, `SELECT "_arch_v3_tag" AS tags FROM "${SCHEMA}".people LIMIT 1`);
      expect(kept.tags).toEqual(['a']);
      const { plan } = await workspace.definitions.version('people', 3);
      const stored = (plan as { conversion?: ConversionReport }[]).find((s) => s.conversion)?.conversion;
      expect(stored).toMatchObject({ field: 'tag', unconvertible: 3, samples: [] });
    });

    it('says when a required field would be left empty', async () => {
      await draft('people', (d) => {
        Object.assign(d.fields[0], { type: 'integer' });
      });
      const preview = await workspace.definitions.preview(['people']);
      const counted = report(preview.steps, 'name');
      expect(counted).toMatchObject({ unconvertible: 3, required: true });
      expect(counted.summary.en).toContain('3 records would be left without a value in this required field');
      expect(counted.summary['zh-CN']).toContain('必填字段将没有值');
      expect(preview.problems).toMatchObject([
        { code: 'data-loss', pointer: '/modules/people/fields/0/type' },
      ]);
      await workspace.definitions.discardDraft('people');
    });
  });
});
