// Module definitions: every meta-schema and publish-time problem names the path and the reason;
// names that are SQL keywords work end to end.
import { type Problem, type StoredRecord, SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { type EngineHandle, forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { rawRows, tableColumns } from '../../support/sql.ts';

type Definition = Record<string, unknown> & { fields: Record<string, unknown>[] };

/** A valid module to break one thing at a time. */
function base(name = 'probe'): Definition {
  return {
    id: `mod_def_${name}`,
    name,
    label: { en: 'Probe', 'zh-CN': '探针' },
    titleField: 'title',
    fields: [
      { id: 'p_title', name: 'title', type: 'text', label: { en: 'Title' } },
      { id: 'p_qty', name: 'qty', type: 'integer', label: { en: 'Quantity' } },
      {
        id: 'p_stage',
        name: 'stage',
        type: 'select',
        label: { en: 'Stage' },
        options: [
          { value: 'open', label: { en: 'Open' }, color: '#00ff00' },
          { value: 'won', label: { en: 'Won' } },
        ],
      },
    ],
  };
}

const withField = (field: Record<string, unknown>, name?: string): Definition => {
  const definition = base(name);
  definition.fields.push({ id: 'p_extra', label: { en: 'Extra' }, ...field });
  return definition;
};

forEachDatabase('definitions', (handle) => {
  let workspace: Workspace;
  let engine: EngineHandle['engine'];

  beforeAll(async () => {
    ({ workspace, engine } = handle());
    await workspace.definitions.saveDraft({
      id: 'mod_def_other',
      name: 'other',
      label: { en: 'Other' },
      fields: [{ id: 'o_name', name: 'name', type: 'text', label: { en: 'Name' } }],
    });
    await workspace.definitions.publish(['other']);
  });

  /** Problems saving the draft meets (the shape: meta-schemas). */
  async function shapeProblems(definition: unknown): Promise<Problem[]> {
    const error = await engineError(workspace.definitions.saveDraft(definition));
    expect(error.kind).toBe('invalid-definition');
    return error.problems;
  }

  /**
   * Problems publishing meets (references, names, expressions): the draft saves, its problems show
   * on the draft and in the preview, the publish is refused, and nothing is published.
   */
  async function publishProblems(definition: Definition): Promise<Problem[]> {
    const saved = await workspace.definitions.saveDraft(definition);
    try {
      const state = await workspace.definitions.get(saved.id);
      const preview = await workspace.definitions.preview([saved.id]);
      const prefix = `/modules/${saved.name}`;
      expect(preview.problems.map((p) => ({ ...p, pointer: p.pointer.slice(prefix.length) }))).toEqual(
        state.draftProblems,
      );
      expect(preview.problems.every((p) => p.pointer.startsWith(prefix))).toBe(true);
      const error = await engineError(workspace.definitions.publish([saved.id]));
      expect(error.kind).toBe('invalid-definition');
      expect(error.problems).toEqual(preview.problems);
      expect((await workspace.definitions.get(saved.id)).publishedVersion).toBeNull();
      expect(workspace.catalog.has(saved.name)).toBe(false);
      return state.draftProblems;
    } finally {
      await workspace.definitions.discardDraft(saved.id);
    }
  }

  const summary = (problems: Problem[]) => problems.map((p) => `${p.pointer} ${p.code}`);

  describe('the shape (meta-schemas)', () => {
    it('names an unknown setting of a field type', async () => {
      const problems = await shapeProblems(withField({ name: 'extra', type: 'text', scale: 2 }));
      expect(problems).toMatchObject([{ pointer: '/fields/3/scale', code: 'additionalProperties' }]);
      expect(problems[0].message).toBe('is not a known field');
      expect(
        summary(await shapeProblems(withField({ name: 'extra', type: 'boolean', maxLength: 3 }))),
      ).toEqual(['/fields/3/maxLength additionalProperties']);
      expect(summary(await shapeProblems({ ...base(), colour: 'red' }))).toEqual([
        '/colour additionalProperties',
      ]);
    });

    it('names missing labels and bad settings', async () => {
      const noLabel = base();
      delete noLabel.label;
      expect(summary(await shapeProblems(noLabel))).toEqual(['/label required']);
      const fieldNoLabel = base();
      delete fieldNoLabel.fields[1].label;
      expect(summary(await shapeProblems(fieldNoLabel))).toEqual(['/fields/1/label required']);
      expect(summary(await shapeProblems({ ...base(), label: {} }))).toEqual(['/label minProperties']);
      expect(summary(await shapeProblems({ ...base(), label: { en: '' } }))).toEqual(['/label/en minLength']);
      expect(summary(await shapeProblems({ ...base(), label: { English: 'x' } }))).toEqual([
        '/label/English propertyNames',
      ]);
      expect(summary(await shapeProblems(withField({ name: 'extra', type: 'nope' })))).toEqual([
        '/fields/3/type enum',
      ]);
      expect(
        summary(await shapeProblems(withField({ name: 'extra', type: 'formula', expression: '1' }))),
      ).toEqual(['/fields/3/resultType required']);
      expect(summary(await shapeProblems(withField({ name: 'extra', type: 'relation' })))).toEqual([
        '/fields/3/target required',
      ]);
      expect(summary(await shapeProblems(withField({ name: 'extra', type: 'decimal', scale: 11 })))).toEqual([
        '/fields/3/scale maximum',
      ]);
      expect(
        summary(await shapeProblems(withField({ name: 'extra', type: 'money', currency: 'rmb' }))),
      ).toEqual(['/fields/3/currency pattern']);
      expect(
        summary(await shapeProblems(withField({ name: 'extra', type: 'text', required: 'yes' }))),
      ).toEqual(['/fields/3/required type']);
      expect(summary(await shapeProblems({ ...base(), rules: [{ id: 'r1', expression: 'true' }] }))).toEqual([
        '/rules/0/message required',
      ]);
      expect(
        summary(
          await shapeProblems({ ...base(), layout: { sections: [{ id: 's', fields: [], columns: 5 }] } }),
        ),
      ).toEqual(['/layout/sections/0/columns enum']);
    });

    it('names a bad option colour and options without a value', async () => {
      const bad = base();
      (bad.fields[2].options as Record<string, unknown>[])[1].color = '#ff00';
      expect(summary(await shapeProblems(bad))).toEqual(['/fields/2/options/1/color pattern']);
      const named = base();
      (named.fields[2].options as Record<string, unknown>[])[0].color = 'red';
      expect(summary(await shapeProblems(named))).toEqual(['/fields/2/options/0/color pattern']);
      const empty = base();
      empty.fields[2].options = [];
      expect(summary(await shapeProblems(empty))).toEqual(['/fields/2/options minItems']);
      const noValue = base();
      delete (noValue.fields[2].options as Record<string, unknown>[])[0].value;
      expect(summary(await shapeProblems(noValue))).toEqual(['/fields/2/options/0/value required']);
    });

    it('refuses names that are not snake_case ascii, for fields and modules', async () => {
      const badNames = [
        'na"me',
        "o'brien",
        'first name',
        'Name',
        'nameX',
        '名称',
        'café',
        'a__b',
        '_a',
        'a_',
        '1a',
        'a-b',
        'a;b',
        '',
        'x'.repeat(49),
      ];
      for (const name of badNames) {
        const problems = await shapeProblems(withField({ name, type: 'text' }));
        expect(
          problems.map((p) => p.pointer),
          name,
        ).toEqual(['/fields/3/name']);
        expect(['pattern', 'maxLength']).toContain(problems[0].code);
        const module = await shapeProblems({ ...base(), name });
        expect(
          module.map((p) => p.pointer),
          name,
        ).toEqual(['/name']);
      }
      // the longest allowed name works
      const longest = 'x'.repeat(48);
      const saved = await workspace.definitions.saveDraft(withField({ name: longest, type: 'text' }));
      expect(saved.fields[3].name).toBe(longest);
      await workspace.definitions.discardDraft(saved.id);
    });

    it('refuses what is not a definition at all', async () => {
      for (const input of [null, 'module', [base()], 42]) {
        expect(summary(await shapeProblems(input))).toEqual([' type']);
      }
      expect(summary(await shapeProblems({ ...base(), fields: 'title' }))).toEqual(['/fields type']);
      const error = await engineError(workspace.definitions.saveDraft(base(), 'mod_something_else'));
      expect(error.problems).toMatchObject([{ pointer: '/id', code: 'const' }]);
    });

    it('refuses a module name another module has', async () => {
      const error = await engineError(workspace.definitions.saveDraft({ ...base(), name: 'other' }));
      expect(error.kind).toBe('conflict');
      expect(error.problems).toMatchObject([{ pointer: '/name', code: 'unique' }]);
      expect((await workspace.definitions.list()).map((m) => m.name)).toEqual(['other']);
    });
  });

  describe('what a publish checks', () => {
    it('refuses reserved names', async () => {
      for (const name of [
        'id',
        'version',
        'owner',
        'created_at',
        'updated_by',
        'deleted_at',
        'search',
        'record',
      ]) {
        const problems = await publishProblems(withField({ name, type: 'text' }));
        expect(problems, name).toEqual([
          { pointer: '/fields/3/name', code: 'definition', message: `'${name}' is reserved` },
        ]);
      }
    });

    it('refuses words of the expression language as field names', async () => {
      for (const name of [
        'for',
        'in',
        'if',
        'then',
        'else',
        'null',
        'true',
        'false',
        'and',
        'or',
        'not',
        'between',
      ]) {
        const problems = await publishProblems(withField({ name, type: 'text' }));
        expect(problems, name).toEqual([
          {
            pointer: '/fields/3/name',
            code: 'definition',
            message: `'${name}' is a word of the expression language`,
          },
        ]);
      }
    });

    it('refuses keyword search on a field type that cannot be searched', async () => {
      expect(
        summary(await publishProblems(withField({ name: 'score', type: 'integer', searchable: true }))),
      ).toEqual(['/fields/3/searchable definition']);
    });

    it('refuses duplicate field names and ids', async () => {
      expect(summary(await publishProblems(withField({ name: 'qty', type: 'integer' })))).toEqual([
        '/fields/3/name definition',
      ]);
      const sameId = base();
      sameId.fields.push({ id: 'p_qty', name: 'qty2', type: 'integer', label: { en: 'Q' } });
      expect(summary(await publishProblems(sameId))).toEqual(['/fields/3/id definition']);
      const options = base();
      (options.fields[2].options as Record<string, unknown>[]).push({
        value: 'open',
        label: { en: 'Again' },
      });
      const problems = await publishProblems(options);
      expect(summary(problems)).toEqual(['/fields/2/options/2/value definition']);
      expect(problems[0].message).toBe("duplicate option 'open'");
    });

    it('refuses layouts, titles and rules that name unknown fields', async () => {
      const layout = {
        ...base(),
        layout: {
          sections: [
            { id: 'main', fields: ['title', 'nope'] },
            { id: 'main', fields: ['qty', 'title'] },
          ],
        },
      };
      const problems = await publishProblems(layout);
      expect(problems.map((p) => [p.pointer, p.message])).toEqual([
        ['/layout/sections/0/fields/1', "no field named 'nope'"],
        ['/layout/sections/1/id', "duplicate section 'main'"],
        ['/layout/sections/1/fields/1', "field 'title' is placed twice"],
      ]);
      expect(summary(await publishProblems({ ...base(), titleField: 'name' }))).toEqual([
        '/titleField definition',
      ]);
      const rules = {
        ...base(),
        rules: [
          { id: 'r1', expression: 'qty > 0', message: { en: 'x' }, fields: ['qty', 'nope'] },
          { id: 'r1', expression: 'qty < 9', message: { en: 'y' } },
        ],
      };
      expect(summary(await publishProblems(rules))).toEqual([
        '/rules/0/fields/1 definition',
        '/rules/1/id definition',
      ]);
    });

    it('refuses formula cycles, naming the cycle', async () => {
      const cycle = base();
      cycle.fields.push(
        {
          id: 'f_a',
          name: 'a',
          type: 'formula',
          label: { en: 'A' },
          expression: 'b + 1',
          resultType: 'number',
        },
        {
          id: 'f_b',
          name: 'b',
          type: 'formula',
          label: { en: 'B' },
          expression: 'c * 2',
          resultType: 'number',
        },
        {
          id: 'f_c',
          name: 'c',
          type: 'formula',
          label: { en: 'C' },
          expression: 'a - qty',
          resultType: 'number',
        },
      );
      const problems = await publishProblems(cycle);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ pointer: '/fields/3/expression', code: 'cycle' });
      expect(problems[0].message).toBe('formula cycle: a → b → c → a');
      const self = withField({
        name: 'extra',
        type: 'formula',
        expression: 'extra + 1',
        resultType: 'number',
      });
      const own = await publishProblems(self);
      expect(own).toMatchObject([{ pointer: '/fields/3/expression' }]);
      expect(own[0].message).toContain('Unknown variable "extra"');
    });

    it('refuses relations to modules that do not exist, and clashing inverse names', async () => {
      const problems = await publishProblems(
        withField({ name: 'extra', type: 'relation', target: 'mod_nowhere' }),
      );
      expect(problems).toEqual([
        { pointer: '/fields/3/target', code: 'definition', message: "no module with id 'mod_nowhere'" },
      ]);
      const clash = await publishProblems(
        withField({
          name: 'extra',
          type: 'relation',
          target: 'mod_def_other',
          inverse: { name: 'name', label: { en: 'Probes' } },
        }),
      );
      expect(summary(clash)).toEqual(['/fields/3/inverse/name definition']);
    });

    it('refuses indexes and defaults where they cannot be', async () => {
      expect(
        summary(
          await publishProblems(
            withField({
              name: 'extra',
              type: 'multiSelect',
              unique: true,
              options: [{ value: 'a', label: { en: 'A' } }],
            }),
          ),
        ),
      ).toEqual(['/fields/3/unique definition']);
      expect(
        summary(await publishProblems(withField({ name: 'extra', type: 'longText', indexed: true }))),
      ).toEqual(['/fields/3/indexed definition']);
      expect(
        summary(
          await publishProblems(
            withField({
              name: 'extra',
              type: 'formula',
              expression: '1',
              resultType: 'number',
              defaultValue: '2',
            }),
          ),
        ),
      ).toEqual(['/fields/3/defaultValue definition']);
    });

    it('names expression typos with their position, wherever the expression is', async () => {
      const rule = await publishProblems({
        ...base(),
        rules: [{ id: 'r1', expression: 'qty > 0 and titel != null', message: { en: 'x' } }],
      });
      expect(rule).toHaveLength(1);
      expect(rule[0]).toMatchObject({ pointer: '/rules/0/expression', code: 'expression' });
      expect(rule[0].message).toContain('Unknown variable "titel"');
      expect(rule[0].message).toContain('(at 12-17)');

      const when = await publishProblems({
        ...base(),
        rules: [{ id: 'r1', expression: 'qty > 0', when: 'stag = "won"', message: { en: 'x' } }],
      });
      expect(when[0]).toMatchObject({ pointer: '/rules/0/when', code: 'expression' });
      expect(when[0].message).toContain('(at 0-4)');

      const formula = await publishProblems(
        withField({ name: 'extra', type: 'formula', expression: 'qty * prce', resultType: 'number' }),
      );
      expect(formula[0].pointer).toBe('/fields/3/expression');
      expect(formula[0].message).toContain('(at 6-10)');

      const syntax = await publishProblems(
        withField({ name: 'extra', type: 'formula', expression: 'qty * (2 +', resultType: 'number' }),
      );
      expect(syntax[0].pointer).toBe('/fields/3/expression');
      expect(syntax[0].message).toMatch(/\(at \d+-\d+\)/);

      const fn = await publishProblems(
        withField({ name: 'extra', type: 'formula', expression: 'sum2([qty])', resultType: 'number' }),
      );
      expect(fn[0].pointer).toBe('/fields/3/expression');
      expect(fn[0].message).toContain('(at 0-');

      const defaultValue = await publishProblems(
        withField({ name: 'extra', type: 'integer', defaultValue: 'qtty + 1' }),
      );
      expect(defaultValue[0]).toMatchObject({ pointer: '/fields/3/defaultValue', code: 'expression' });
      expect(defaultValue[0].message).toContain('Unknown variable "qtty"');
      expect(defaultValue[0].message).toContain('(at 0-4)');
    });

    it('reports every problem of a definition at once', async () => {
      const many = base();
      many.fields.push(
        { id: 'p_x', name: 'id', type: 'text', label: { en: 'X' } },
        { id: 'p_y', name: 'qty', type: 'text', label: { en: 'Y' } },
      );
      expect(summary(await publishProblems(many))).toEqual([
        '/fields/3/name definition',
        '/fields/4/name definition',
      ]);
    });
  });

  describe('names that are SQL keywords', () => {
    let selectRecords: StoredRecord[];
    let users: StoredRecord[];

    const keywordModules = [
      {
        id: 'mod_kw_user',
        name: 'user',
        label: { en: 'User' },
        titleField: 'from',
        fields: [
          { id: 'u_from', name: 'from', type: 'text', label: { en: 'From' }, unique: true },
          { id: 'u_table', name: 'table', type: 'integer', label: { en: 'Table' }, indexed: true },
        ],
      },
      {
        id: 'mod_kw_select',
        name: 'select',
        label: { en: 'Select' },
        fields: [
          { id: 's_from', name: 'from', type: 'text', label: { en: 'From' }, required: true },
          { id: 's_order', name: 'order', type: 'integer', label: { en: 'Order' } },
          {
            id: 's_select',
            name: 'select',
            type: 'select',
            label: { en: 'Select' },
            options: [
              { value: 'where', label: { en: 'Where' } },
              { value: "it's", label: { en: 'Quote' } },
            ],
          },
          { id: 's_table', name: 'table', type: 'money', label: { en: 'Table' } },
          {
            id: 's_user',
            name: 'user',
            type: 'relation',
            label: { en: 'User' },
            target: 'mod_kw_user',
            inverse: { name: 'selects', label: { en: 'Selects' } },
          },
          {
            id: 's_group',
            name: 'group',
            type: 'multiSelect',
            label: { en: 'Group' },
            options: [
              { value: 'by', label: { en: 'By' } },
              { value: 'having', label: { en: 'Having' } },
            ],
          },
          {
            id: 's_limit',
            name: 'limit',
            type: 'formula',
            label: { en: 'Limit' },
            expression: 'order * 2 + table',
            resultType: 'decimal',
            scale: 2,
          },
          { id: 's_date', name: 'date', type: 'date', label: { en: 'Date' } },
          {
            id: 's_where',
            name: 'where',
            type: 'formula',
            label: { en: 'Where' },
            expression: 'date + duration("P1D")',
            resultType: 'date',
          },
        ],
        rules: [
          {
            id: 'r_order',
            expression: 'order >= 0',
            message: { en: 'order must not be negative' },
            fields: ['order'],
          },
        ],
      },
      {
        id: 'mod_kw_order',
        name: 'order',
        label: { en: 'Order' },
        fields: [
          { id: 'or_table', name: 'table', type: 'text', label: { en: 'Table' } },
          {
            id: 'or_select',
            name: 'select',
            type: 'relation',
            label: { en: 'Select' },
            target: 'mod_kw_select',
          },
        ],
      },
      {
        id: 'mod_kw_table',
        name: 'table',
        label: { en: 'Table' },
        fields: [{ id: 't_desc', name: 'desc', type: 'text', label: { en: 'Desc' } }],
      },
    ];

    beforeAll(async () => {
      for (const module of keywordModules) await workspace.definitions.saveDraft(module);
      const preview = await workspace.definitions.preview(keywordModules.map((m) => m.name));
      expect(preview.problems).toEqual([]);
      await workspace.definitions.publish(keywordModules.map((m) => m.id));
      users = await Promise.all(
        [
          { from: 'alice', table: 1 },
          { from: "o'hara", table: 2 },
          { from: 'bob "the" builder', table: 3 },
        ].map((values) => workspace.records.create('user', values, SYSTEM_ACTOR)),
      );
      selectRecords = [];
      for (const [i, from] of ['a', 'b', 'c', 'd'].entries()) {
        selectRecords.push(
          await workspace.records.create(
            'select',
            {
              from,
              order: 3 - i,
              select: i % 2 === 0 ? 'where' : "it's",
              table: { amount: i + 0.5 },
              user: users[i % 3].id,
              group: i === 0 ? ['by', 'having'] : ['by'],
              date: `2026-01-0${i + 1}`,
            },
            SYSTEM_ACTOR,
          ),
        );
      }
    });

    it('publishes them as tables and columns of those names', async () => {
      const tables = (
        await rawRows(
          engine,
          `SELECT table_name FROM information_schema.tables WHERE table_schema = 'ws_default'`,
        )
      ).map((r) => String(r.table_name));
      expect(tables).toEqual(expect.arrayContaining(['select', 'user', 'order', 'table']));
      expect(await tableColumns(engine, 'ws_default', 'select')).toEqual(
        expect.arrayContaining([
          'from',
          'order',
          'select',
          'table',
          'table__currency',
          'user',
          'group',
          'limit',
          'where',
        ]),
      );
    });

    it('creates, reads, updates and deletes their records', async () => {
      expect(selectRecords[0]).toMatchObject({
        from: 'a',
        order: 3,
        select: 'where',
        table: { amount: 0.5, currency: 'CNY' },
        group: ['by', 'having'],
        limit: 6.5,
        where: '2026-01-02',
      });
      const read = await workspace.records.get('select', selectRecords[1].id, SYSTEM_ACTOR);
      expect(read).toMatchObject({ from: 'b', select: "it's", user: users[1].id });
      const updated = await workspace.records.update(
        'select',
        read.id,
        { order: 10, select: 'where', from: 'b2' },
        SYSTEM_ACTOR,
        { expectedVersion: 1 },
      );
      expect(updated).toMatchObject({ order: 10, limit: 21.5, version: 2 });
      const history = await workspace.records.history('select', read.id, SYSTEM_ACTOR);
      expect(history[0].changes).toMatchObject({ order: { from: 2, to: 10 }, from: { from: 'b', to: 'b2' } });
      const rule = await engineError(
        workspace.records.update('select', read.id, { order: -1 }, SYSTEM_ACTOR),
      );
      expect(rule.problems).toMatchObject([{ pointer: '/order', code: 'rule' }]);
      const order = await workspace.records.create('order', { table: 'T1', select: read.id }, SYSTEM_ACTOR);
      expect((await engineError(workspace.records.delete('select', read.id, SYSTEM_ACTOR))).kind).toBe(
        'conflict',
      );
      await workspace.records.delete('order', order.id, SYSTEM_ACTOR);
      const table = await workspace.records.create('table', { desc: 'x' }, SYSTEM_ACTOR);
      await workspace.records.delete('table', table.id, SYSTEM_ACTOR);
      expect((await workspace.records.list('table', SYSTEM_ACTOR)).data).toEqual([]);
      const unique = await engineError(workspace.records.create('user', { from: 'alice' }, SYSTEM_ACTOR));
      expect(unique.problems).toMatchObject([{ pointer: '/from', code: 'unique' }]);
    });

    it('filters and sorts on them, through relations too', async () => {
      const names = async (query: Parameters<Workspace['records']['list']>[2], module = 'select') =>
        (await workspace.records.list(module, SYSTEM_ACTOR, query)).data.map((r) => String(r.from));
      expect(await names({ sort: 'order' })).toEqual(['d', 'c', 'a', 'b2']);
      expect(await names({ sort: '-select,from' })).toEqual(['a', 'b2', 'c', 'd']);
      expect(await names({ filter: { field: 'select', op: 'eq', value: "it's" }, sort: 'from' })).toEqual([
        'd',
      ]);
      expect(await names({ filter: { field: 'from', op: 'in', value: ['a', 'c'] }, sort: '-from' })).toEqual([
        'c',
        'a',
      ]);
      expect(
        await names({ filter: { field: 'user.from', op: 'contains', value: "'" }, sort: 'from' }),
      ).toEqual(['b2']);
      expect(await names({ filter: { field: 'user.table', op: 'gte', value: 2 }, sort: 'from' })).toEqual([
        'b2',
        'c',
      ]);
      expect(await names({ filter: { field: 'group', op: 'hasAll', value: ['having'] } })).toEqual(['a']);
      expect(await names({ filter: { field: 'limit', op: 'gt', value: 6 }, sort: '-limit' })).toEqual([
        'b2',
        'a',
      ]);
      expect(await names({ filter: { field: 'where', op: 'eq', value: '2026-01-04' } })).toEqual(['c']);
      expect(await names({ filter: { field: 'table', op: 'lt', value: 1 } })).toEqual(['a']);
      expect(
        await names(
          { sort: '-from', filter: { field: 'from', op: 'eq', value: 'bob "the" builder' } },
          'user',
        ),
      ).toEqual(['bob "the" builder']);
      const related = await workspace.records.related('user', users[0].id, 'selects', SYSTEM_ACTOR, {
        sort: 'from',
      });
      expect(related.data.map((r) => r.from)).toEqual(['a', 'd']);
      // paging with them
      const first = await workspace.records.list('select', SYSTEM_ACTOR, { sort: '-order,from', limit: 2 });
      const second = await workspace.records.list('select', SYSTEM_ACTOR, {
        sort: '-order,from',
        limit: 2,
        cursor: first.nextCursor ?? undefined,
      });
      expect([...first.data, ...second.data].map((r) => r.from)).toEqual(['b2', 'a', 'c', 'd']);
    });

    it('renames and removes them', async () => {
      const state = await workspace.definitions.get('select');
      const next = structuredClone(state.published);
      if (!next) throw new Error('select is not published');
      next.name = 'from';
      next.fields = next.fields.filter((f) => f.name !== 'group');
      const order = next.fields.find((f) => f.name === 'order');
      if (order) order.name = 'offset';
      const limit = next.fields.find((f) => f.name === 'limit');
      if (limit) limit.expression = 'offset * 2 + table';
      next.rules = [{ id: 'r_order', expression: 'offset >= 0', message: { en: 'no' }, fields: ['offset'] }];
      await workspace.definitions.saveDraft(next);
      await workspace.definitions.publish(['mod_kw_select']);
      const list = await workspace.records.list('from', SYSTEM_ACTOR, { sort: 'offset' });
      expect(list.data.map((r) => [r.from, r.offset])).toEqual([
        ['d', 0],
        ['c', 1],
        ['a', 3],
        ['b2', 10],
      ]);
      expect(list.data[0]).not.toHaveProperty('group');
      const [archived] = await rawRows(
        engine,
        `SELECT count(*) AS n FROM ws_default."from" WHERE "_arch_v2_group" IS NOT NULL`,
      );
      expect(Number(archived.n)).toBe(4);
      expect(
        (
          await workspace.records.list('order', SYSTEM_ACTOR, {
            filter: { field: 'select.offset', op: 'eq', value: 3 },
          })
        ).data,
      ).toEqual([]);
    });
  });
});
