// Publishing changes to modules that hold data: every change keeps the data, refused changes change
// nothing (table, definitions, versions), and each publish is a new immutable version.
import type { FieldDefinition, ModuleDefinition, StoredRecord, Workspace } from '@crm/engine';
import { SYSTEM_ACTOR } from '@crm/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { type EngineHandle, forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { schemaSteps } from '../../support/plan.ts';
import { rawRows, tableColumns } from '../../support/sql.ts';

const SCHEMA = 'ws_default';
const options = (values: string[]) => values.map((value) => ({ value, label: { en: value } }));

const company = {
  id: 'mod_mg_company',
  name: 'company',
  label: { en: 'Company' },
  fields: [{ id: 'co_name', name: 'name', type: 'text', label: { en: 'Name' } }],
};

const contact: ModuleDefinition = {
  id: 'mod_mg_contact',
  name: 'contact',
  label: { en: 'Contact' },
  titleField: 'name',
  fields: [
    { id: 'c_name', name: 'name', type: 'text', label: { en: 'Name' }, required: true },
    { id: 'c_city', name: 'city', type: 'text', label: { en: 'City' } },
    { id: 'c_code', name: 'code', type: 'text', label: { en: 'Code' } },
    { id: 'c_score', name: 'score', type: 'integer', label: { en: 'Score' } },
    { id: 'c_price', name: 'price', type: 'decimal', label: { en: 'Price' }, precision: 10, scale: 2 },
    {
      id: 'c_stage',
      name: 'stage',
      type: 'select',
      label: { en: 'Stage' },
      options: options(['a', 'b', 'c']),
    },
    { id: 'c_legacy', name: 'legacy', type: 'text', label: { en: 'Legacy' } },
    { id: 'c_ext', name: 'ext', type: 'user', label: { en: 'External id' } },
    { id: 'c_big', name: 'big', type: 'decimal', label: { en: 'Big' } },
    { id: 'c_created', name: 'created', type: 'datetime', label: { en: 'Created' } },
    {
      id: 'c_double',
      name: 'double',
      type: 'formula',
      label: { en: 'Double' },
      expression: 'score * 2',
      resultType: 'integer',
    },
  ],
  layout: { sections: [{ id: 'main', fields: ['name', 'city'] }] },
};

const deal = {
  id: 'mod_mg_deal',
  name: 'deal',
  label: { en: 'Deal' },
  fields: [
    { id: 'd_title', name: 'title', type: 'text', label: { en: 'Title' } },
    {
      id: 'd_contact',
      name: 'contact',
      type: 'relation',
      label: { en: 'Contact' },
      target: 'mod_mg_contact',
      inverse: { name: 'deals', label: { en: 'Deals' } },
    },
  ],
};

const U1 = '11111111-1111-4111-8111-111111111111';
const U2 = '22222222-2222-4222-8222-222222222222';

forEachDatabase('migrations', (handle) => {
  let workspace: Workspace;
  let engine: EngineHandle['engine'];
  const people: Record<string, StoredRecord> = {};

  /** The published definition of `module`, changed by `change`, saved as the draft. */
  async function draft(module: string, change: (definition: ModuleDefinition) => void) {
    const state = await workspace.definitions.get(module);
    if (!state.published) throw new Error(`${module} is not published`);
    const next = structuredClone(state.published);
    change(next);
    return workspace.definitions.saveDraft(next);
  }

  const field = (definition: ModuleDefinition, name: string): FieldDefinition => {
    const found = definition.fields.find((f) => f.name === name);
    if (!found) throw new Error(`no field ${name}`);
    return found;
  };

  /** Gives field `name` another type, dropping the settings of the old one. */
  const retype = (definition: ModuleDefinition, name: string, type: string) => {
    const index = definition.fields.findIndex((f) => f.name === name);
    const { id, label } = definition.fields[index];
    definition.fields[index] = { id, name, label, type };
  };

  const columns = (table: string) => tableColumns(engine, SCHEMA, table);
  const indexes = async (table: string) =>
    (
      await rawRows(
        engine,
        `SELECT indexname FROM pg_indexes WHERE schemaname = '${SCHEMA}' AND tablename = '${table}' ORDER BY 1`,
      )
    ).map((r) => String(r.indexname));

  /** What a refused publish must leave as it was. */
  async function snapshot(...modules: string[]) {
    const result: Record<string, unknown> = {};
    for (const module of modules) {
      const state = await workspace.definitions.get(module);
      result[module] = {
        published: state.published,
        version: state.publishedVersion,
        versions: (await workspace.definitions.versions(module)).map((v) => v.version),
        columns: await columns(state.name),
        indexes: await indexes(state.name),
        rows: await rawRows(engine, `SELECT * FROM "${SCHEMA}"."${state.name}" ORDER BY id`),
        catalog: workspace.catalog.byName(state.name).version,
      };
    }
    return result;
  }

  beforeAll(async () => {
    ({ workspace, engine } = handle());
    for (const definition of [company, contact, deal]) await workspace.definitions.saveDraft(definition);
    await workspace.definitions.publish();
    const seed: [string, Record<string, unknown>][] = [
      [
        'ann',
        { city: 'Shanghai', code: 'DUP', score: 1, price: 10.25, stage: 'a', legacy: 'old-1', ext: U1 },
      ],
      ['bob', { city: 'Beijing', code: 'DUP', score: 2, price: 20.5, stage: 'b', legacy: 'old-2', ext: U2 }],
      ['cat', { code: 'X2' }],
      ['dan', { city: 'Shenzhen', code: 'X2', score: 4, price: 99999999.99, stage: 'c', legacy: 'old-4' }],
      ['eve', { city: 'Hangzhou', code: 'E1', score: 5, price: 0, stage: 'a', big: 1234567890123.45 }],
    ];
    for (const [name, values] of seed) {
      people[name] = await workspace.records.create('contact', { name, ...values }, SYSTEM_ACTOR);
    }
  });

  const get = (name: string, module = 'contact') =>
    workspace.records.get(module, people[name].id, SYSTEM_ACTOR);

  it('adds fields: existing rows read null, without rewriting the table', async () => {
    await draft('contact', (d) => {
      d.fields.push({ id: 'c_phone', name: 'phone', type: 'phone', label: { en: 'Phone' } });
      d.fields.push({ id: 'c_level', name: 'level', type: 'integer', label: { en: 'Level' }, indexed: true });
    });
    const preview = await workspace.definitions.preview(['contact']);
    expect(preview.problems).toEqual([]);
    expect(schemaSteps(preview.steps).map((s) => [s.kind, s.field])).toEqual([
      ['addColumn', 'phone'],
      ['addColumn', 'level'],
      ['addIndex', 'level'],
    ]);
    expect(preview.steps.some((s) => s.rewritesTable)).toBe(false);
    expect(preview.modules).toEqual([
      { id: 'mod_mg_contact', name: 'contact', fromVersion: 1, toVersion: 2 },
    ]);
    // a preview changes nothing
    expect(await columns('contact')).not.toContain('phone');
    expect(workspace.catalog.byName('contact').version).toBe(1);

    const result = await workspace.definitions.publish(['contact']);
    expect(result.published).toBe(true);
    expect(await columns('contact')).toEqual(expect.arrayContaining(['phone', 'level']));
    expect(await get('ann')).toMatchObject({ name: 'ann', phone: null, level: null, city: 'Shanghai' });
    const updated = await workspace.records.update('contact', people.ann.id, { level: 3 }, SYSTEM_ACTOR);
    expect(updated).toMatchObject({ level: 3, version: 2, phone: null });
    expect(
      (
        await workspace.records.list('contact', SYSTEM_ACTOR, {
          filter: { field: 'level', op: 'eq', value: 3 },
        })
      ).data,
    ).toHaveLength(1);
  });

  it('renames a field: the data follows and older history stays readable', async () => {
    await draft('contact', (d) => {
      field(d, 'city').name = 'town';
      d.layout = { sections: [{ id: 'main', fields: ['name', 'town'] }] };
    });
    const preview = await workspace.definitions.preview(['contact']);
    expect(schemaSteps(preview.steps).map((s) => s.kind)).toEqual(['renameColumn']);
    await workspace.definitions.publish(['contact']);
    const columnsNow = await columns('contact');
    expect(columnsNow).toContain('town');
    expect(columnsNow).not.toContain('city');
    const ann = await get('ann');
    expect(ann).toMatchObject({ town: 'Shanghai' });
    expect(ann).not.toHaveProperty('city');
    const filtered = await workspace.records.list('contact', SYSTEM_ACTOR, {
      filter: { field: 'town', op: 'eq', value: 'Beijing' },
    });
    expect(filtered.data.map((r) => r.name)).toEqual(['bob']);
    const old = await engineError(
      workspace.records.list('contact', SYSTEM_ACTOR, { filter: { field: 'city', op: 'empty' } }),
    );
    expect(old.kind).toBe('invalid-query');

    await workspace.records.update('contact', people.ann.id, { town: 'Suzhou' }, SYSTEM_ACTOR);
    const history = await workspace.records.history('contact', people.ann.id, SYSTEM_ACTOR);
    expect(history.map((h) => h.op)).toEqual(['update', 'update', 'create']);
    expect(history[0].changes).toEqual({ town: { from: 'Shanghai', to: 'Suzhou' } });
    expect(history[2].changes.city).toEqual({ to: 'Shanghai' }); // written under the name it had then
  });

  it('removes a field: it leaves the records, its data stays in an archived column', async () => {
    await draft('contact', (d) => {
      d.fields = d.fields.filter((f) => f.name !== 'legacy');
    });
    const preview = await workspace.definitions.preview(['contact']);
    expect(schemaSteps(preview.steps)).toMatchObject([{ kind: 'archiveColumn', field: 'legacy' }]);
    expect(schemaSteps(preview.steps)[0].description.en).toContain('_arch_v4_legacy');
    await workspace.definitions.publish(['contact']);
    expect((await workspace.definitions.get('contact')).publishedVersion).toBe(4);

    const archived = await rawRows(
      engine,
      `SELECT name, "_arch_v4_legacy" AS legacy FROM "${SCHEMA}".contact ORDER BY name`,
    );
    expect(archived).toEqual([
      { name: 'ann', legacy: 'old-1' },
      { name: 'bob', legacy: 'old-2' },
      { name: 'cat', legacy: null },
      { name: 'dan', legacy: 'old-4' },
      { name: 'eve', legacy: null },
    ]);
    const meta = await rawRows(
      engine,
      `SELECT field_id, version, table_name, columns FROM crm_meta.archived_columns WHERE module_id = 'mod_mg_contact'`,
    );
    expect(meta).toHaveLength(1);
    expect(meta[0]).toMatchObject({ field_id: 'c_legacy', version: 4, table_name: 'contact' });
    expect(await workspace.definitions.archived.list('contact')).toMatchObject([
      {
        columns: ['_arch_v4_legacy'],
        field: { id: 'c_legacy', name: 'legacy', type: 'text' },
        version: 4,
        reason: 'removed',
        values: 3,
      },
    ]);

    const ann = await get('ann');
    expect(ann).not.toHaveProperty('legacy');
    const refused = await engineError(
      workspace.records.update('contact', people.ann.id, { legacy: 'x' }, SYSTEM_ACTOR),
    );
    expect(refused.problems).toMatchObject([{ pointer: '/legacy', code: 'additionalProperties' }]);
    // writes after the archive leave the archived values alone
    await workspace.records.update('contact', people.bob.id, { town: 'Tianjin' }, SYSTEM_ACTOR);
    const [bob] = await rawRows(
      engine,
      `SELECT "_arch_v4_legacy" AS legacy FROM "${SCHEMA}".contact WHERE name = 'bob'`,
    );
    expect(bob.legacy).toBe('old-2');
  });

  it('gives a removed name to another field in the same publish, and re-adds a name with a new id', async () => {
    await draft('contact', (d) => {
      d.fields = d.fields.filter((f) => f.name !== 'phone');
      field(d, 'town').name = 'phone_city';
      d.fields.push({ id: 'c_phone2', name: 'phone', type: 'text', label: { en: 'Phone (text)' } });
      d.layout = { sections: [{ id: 'main', fields: ['name', 'phone_city'] }] };
    });
    await workspace.definitions.publish(['contact']);
    await draft('contact', (d) => {
      d.fields = d.fields.filter((f) => f.name !== 'phone');
      field(d, 'phone_city').name = 'phone';
      d.layout = { sections: [{ id: 'main', fields: ['name', 'phone'] }] };
    });
    const preview = await workspace.definitions.preview(['contact']);
    expect(preview.problems).toEqual([]);
    expect(schemaSteps(preview.steps).map((s) => s.kind)).toEqual(['archiveColumn', 'renameColumn']);
    await workspace.definitions.publish(['contact']);
    expect(await get('bob')).toMatchObject({ phone: 'Tianjin' });
    expect(await columns('contact')).toEqual(
      expect.arrayContaining(['phone', '_arch_v5_phone', '_arch_v6_phone']),
    );
    // and back to `town` for the tests below
    await draft('contact', (d) => {
      field(d, 'phone').name = 'town';
      d.layout = { sections: [{ id: 'main', fields: ['name', 'town'] }] };
    });
    await workspace.definitions.publish(['contact']);
    expect(await get('bob')).toMatchObject({ town: 'Tianjin' });
  });

  it('renames a module: the table follows, relations from other modules keep working', async () => {
    const deal1 = await workspace.records.create(
      'deal',
      { title: 'First', contact: people.ann.id },
      SYSTEM_ACTOR,
    );
    await draft('contact', (d) => {
      d.name = 'person';
    });
    const preview = await workspace.definitions.preview(['contact']);
    expect(schemaSteps(preview.steps).map((s) => s.kind)).toEqual(['renameTable']);
    await workspace.definitions.publish(['contact']);
    const tables = (
      await rawRows(
        engine,
        `SELECT table_name FROM information_schema.tables WHERE table_schema = '${SCHEMA}'`,
      )
    ).map((r) => r.table_name);
    expect(tables).toContain('person');
    expect(tables).not.toContain('contact');
    expect((await engineError(workspace.records.list('contact', SYSTEM_ACTOR))).kind).toBe('not-found');
    expect(await get('ann', 'person')).toMatchObject({ name: 'ann', town: 'Suzhou' });
    expect((await workspace.definitions.get('mod_mg_contact')).name).toBe('person');

    // the relation still points at it, by id
    const deal2 = await workspace.records.create(
      'deal',
      { title: 'Second', contact: people.bob.id },
      SYSTEM_ACTOR,
    );
    const byContact = await workspace.records.list('deal', SYSTEM_ACTOR, {
      filter: { field: 'contact.name', op: 'eq', value: 'ann' },
    });
    expect(byContact.data.map((r) => r.id)).toEqual([deal1.id]);
    expect(
      (await workspace.records.related('person', people.bob.id, 'deals', SYSTEM_ACTOR)).data.map((r) => r.id),
    ).toEqual([deal2.id]);
    const missing = await engineError(
      workspace.records.create('deal', { contact: '01900000-0000-7000-8000-000000000000' }, SYSTEM_ACTOR),
    );
    expect(missing.problems).toMatchObject([{ pointer: '/contact', code: 'relation' }]);
    const referenced = await engineError(workspace.records.delete('person', people.bob.id, SYSTEM_ACTOR));
    expect(referenced.kind).toBe('conflict');
  });

  describe('unique', () => {
    it('refuses to make a field with duplicates unique, naming them, and changes nothing', async () => {
      const before = await snapshot('person');
      await draft('person', (d) => {
        field(d, 'code').unique = true;
        d.fields.push({ id: 'c_extra', name: 'extra', type: 'text', label: { en: 'Extra' } });
        field(d, 'town').name = 'city';
        d.layout = { sections: [{ id: 'main', fields: ['name', 'city'] }] };
      });
      const preview = await workspace.definitions.preview(['person']);
      expect(preview.problems).toHaveLength(1);
      expect(preview.problems[0]).toMatchObject({ code: 'duplicates', pointer: '/modules/person/fields/2' });
      expect(preview.problems[0].message).toContain('"DUP" ×2');
      expect(preview.problems[0].message).toContain('"X2" ×2');
      expect(schemaSteps(preview.steps).map((s) => s.kind)).toEqual([
        'renameColumn',
        'addColumn',
        'addUnique',
      ]);

      const error = await engineError(workspace.definitions.publish(['person']));
      expect(error.kind).toBe('migration-refused');
      expect(error.problems).toEqual(preview.problems);
      expect(await snapshot('person')).toEqual(before);
      expect((await workspace.definitions.get('person')).draft).not.toBeNull();
    });

    it('makes a clean field unique; a duplicate is then a conflict on that field', async () => {
      await workspace.records.update('person', people.bob.id, { code: 'B1' }, SYSTEM_ACTOR);
      await workspace.records.update('person', people.dan.id, { code: 'D1' }, SYSTEM_ACTOR);
      await workspace.definitions.publish(['person']);
      expect(await get('bob', 'person')).toMatchObject({ city: 'Tianjin', extra: null, code: 'B1' });
      const error = await engineError(
        workspace.records.create('person', { name: 'zed', code: 'B1' }, SYSTEM_ACTOR),
      );
      expect(error.kind).toBe('conflict');
      expect(error.problems).toMatchObject([{ pointer: '/code', code: 'unique' }]);
      const update = await engineError(
        workspace.records.update('person', people.eve.id, { code: 'D1' }, SYSTEM_ACTOR),
      );
      expect(update.kind).toBe('conflict');
      expect(update.problems).toMatchObject([{ pointer: '/code', code: 'unique' }]);
      // empty values do not clash
      await workspace.records.create('person', { name: 'no code 1' }, SYSTEM_ACTOR);
      await workspace.records.create('person', { name: 'no code 2' }, SYSTEM_ACTOR);
      // renaming a unique field keeps the constraint
      await draft('person', (d) => {
        field(d, 'code').name = 'ref';
      });
      await workspace.definitions.publish(['person']);
      const renamed = await engineError(
        workspace.records.create('person', { name: 'zed', ref: 'B1' }, SYSTEM_ACTOR),
      );
      expect(renamed.problems).toMatchObject([{ pointer: '/ref', code: 'unique' }]);
    });
  });

  describe('type changes', () => {
    it('makes lossless changes in place, keeping every value', async () => {
      await draft('person', (d) => {
        Object.assign(field(d, 'price'), { precision: 12, scale: 4 });
        Object.assign(field(d, 'stage'), { type: 'multiSelect' });
        Object.assign(field(d, 'score'), { type: 'text' });
        field(d, 'double').expression = 'number(score) * 2';
      });
      const preview = await workspace.definitions.preview(['person']);
      expect(preview.problems).toEqual([]);
      expect(schemaSteps(preview.steps).map((s) => [s.kind, s.field, s.rewritesTable])).toEqual([
        ['alterColumnType', 'score', true],
        ['alterColumnType', 'price', true],
        ['alterColumnType', 'stage', true],
      ]);
      await workspace.definitions.publish(['person']);
      expect(await get('ann', 'person')).toMatchObject({ price: 10.25, stage: ['a'], score: '1', double: 2 });
      expect(await get('dan', 'person')).toMatchObject({ price: 99999999.99, stage: ['c'], score: '4' });
      expect(await get('cat', 'person')).toMatchObject({ price: null, stage: null, score: null });
      const types = await rawRows(
        engine,
        `SELECT column_name, data_type, numeric_precision, numeric_scale FROM information_schema.columns
         WHERE table_schema = '${SCHEMA}' AND table_name = 'person' AND column_name IN ('price', 'stage', 'score')
         ORDER BY column_name`,
      );
      expect(
        types.map((t) => ({
          ...t,
          numeric_precision: t.numeric_precision === null ? null : Number(t.numeric_precision),
          numeric_scale: t.numeric_scale === null ? null : Number(t.numeric_scale),
        })),
      ).toEqual([
        { column_name: 'price', data_type: 'numeric', numeric_precision: 12, numeric_scale: 4 },
        { column_name: 'score', data_type: 'text', numeric_precision: null, numeric_scale: null },
        { column_name: 'stage', data_type: 'ARRAY', numeric_precision: null, numeric_scale: null },
      ]);
      const updated = await workspace.records.update(
        'person',
        people.ann.id,
        { price: 10.1234, stage: ['a', 'b'], score: 'seven' },
        SYSTEM_ACTOR,
      );
      expect(updated).toMatchObject({ price: 10.1234, stage: ['a', 'b'], score: 'seven', double: null });
      const filtered = await workspace.records.list('person', SYSTEM_ACTOR, {
        filter: { field: 'stage', op: 'hasAny', value: ['c'] },
      });
      expect(filtered.data.map((r) => r.name)).toEqual(['dan']);
    });

    it('refuses changes that would lose data unless confirmed, and pairs with no conversion; changes nothing', async () => {
      const before = await snapshot('person');
      const refusals: [string, (d: ModuleDefinition) => void, string, string][] = [
        [
          'text to integer',
          (d) => Object.assign(field(d, 'score'), { type: 'integer' }),
          'score',
          'data-loss',
        ],
        [
          'multi to single select',
          (d) => Object.assign(field(d, 'stage'), { type: 'select' }),
          'stage',
          'data-loss',
        ],
        ['narrower decimal', (d) => Object.assign(field(d, 'price'), { scale: 2 }), 'price', 'data-loss'],
        // widening the scale inside the default precision 15 would lose the largest values
        [
          'scale up within precision 15',
          (d) => Object.assign(field(d, 'big'), { scale: 4 }),
          'big',
          'data-loss',
        ],
        ['decimal to integer', (d) => retype(d, 'price', 'integer'), 'price', 'data-loss'],
        ['user to integer', (d) => retype(d, 'ext', 'integer'), 'ext', 'type-change'],
      ];
      for (const [title, change, name, code] of refusals) {
        const saved = await draft('person', change);
        const index = saved.fields.findIndex((f) => f.name === name);
        const error = await engineError(workspace.definitions.publish(['person']));
        expect(error.kind, title).toBe('migration-refused');
        expect(error.problems, title).toMatchObject([
          { code, pointer: `/modules/person/fields/${index}/type` },
        ]);
        expect(await snapshot('person'), title).toEqual(before);
      }
      await workspace.definitions.discardDraft('person');
    });
  });

  describe('relations', () => {
    it('adds a relation between existing modules', async () => {
      const acme = await workspace.records.create('company', { name: 'Acme' }, SYSTEM_ACTOR);
      await draft('person', (d) => {
        d.fields.push({
          id: 'c_company',
          name: 'company',
          type: 'relation',
          label: { en: 'Company' },
          target: 'mod_mg_company',
          inverse: { name: 'people', label: { en: 'People' } },
        });
      });
      const preview = await workspace.definitions.preview(['person']);
      expect(schemaSteps(preview.steps).map((s) => s.kind)).toEqual([
        'addColumn',
        'addIndex',
        'addForeignKey',
      ]);
      await workspace.definitions.publish(['person']);
      expect(await get('ann', 'person')).toMatchObject({ company: null });
      await workspace.records.update('person', people.ann.id, { company: acme.id }, SYSTEM_ACTOR);
      expect(
        (await workspace.records.related('company', acme.id, 'people', SYSTEM_ACTOR)).data.map((r) => r.name),
      ).toEqual(['ann']);
      const missing = await engineError(
        workspace.records.update('person', people.bob.id, { company: U1 }, SYSTEM_ACTOR),
      );
      expect(missing.problems).toMatchObject([{ pointer: '/company', code: 'relation' }]);
    });

    it('publishes two new modules pointing at each other together', async () => {
      await workspace.definitions.saveDraft({
        id: 'mod_mg_team',
        name: 'team',
        label: { en: 'Team' },
        fields: [
          { id: 'tm_name', name: 'name', type: 'text', label: { en: 'Name' } },
          {
            id: 'tm_lead',
            name: 'lead',
            type: 'relation',
            label: { en: 'Lead' },
            target: 'mod_mg_member',
            onDelete: 'setNull',
          },
        ],
      });
      await workspace.definitions.saveDraft({
        id: 'mod_mg_member',
        name: 'member',
        label: { en: 'Member' },
        fields: [
          { id: 'mb_name', name: 'name', type: 'text', label: { en: 'Name' } },
          { id: 'mb_team', name: 'team', type: 'relation', label: { en: 'Team' }, target: 'mod_mg_team' },
        ],
      });
      const preview = await workspace.definitions.preview(['team', 'member']);
      expect(preview.problems).toEqual([]);
      expect(schemaSteps(preview.steps).map((s) => s.kind)).toEqual([
        'createTable',
        'createTable',
        'addColumn',
        'addColumn',
        'addColumn',
        'addColumn',
        'addIndex',
        'addIndex',
        'addForeignKey',
        'addForeignKey',
      ]);
      await workspace.definitions.publish(['team', 'member']);
      const team = await workspace.records.create('team', { name: 'Core' }, SYSTEM_ACTOR);
      const member = await workspace.records.create('member', { name: 'Lin', team: team.id }, SYSTEM_ACTOR);
      const led = await workspace.records.update('team', team.id, { lead: member.id }, SYSTEM_ACTOR);
      expect(led.lead).toBe(member.id);
      expect((await engineError(workspace.records.delete('team', team.id, SYSTEM_ACTOR))).kind).toBe(
        'conflict',
      );
      await workspace.records.delete('member', member.id, SYSTEM_ACTOR);
      expect((await workspace.records.get('team', team.id, SYSTEM_ACTOR)).lead).toBeNull();
    });

    it('refuses a publish that fails halfway (orphans) and changes nothing, in any module', async () => {
      const before = await snapshot('person', 'deal');
      // `ext` holds ids of no company: turning it into a relation to company meets orphans
      await draft('person', (d) => {
        Object.assign(field(d, 'ext'), { type: 'relation', target: 'mod_mg_company' });
        d.fields.push({ id: 'c_more', name: 'more', type: 'text', label: { en: 'More' } });
        field(d, 'city').name = 'place';
        d.layout = { sections: [{ id: 'main', fields: ['name', 'place'] }] };
      });
      await draft('deal', (d) => {
        d.fields.push({ id: 'd_note', name: 'note', type: 'text', label: { en: 'Note' } });
      });
      const preview = await workspace.definitions.preview();
      expect(preview.problems).toHaveLength(1);
      const index = (await workspace.definitions.get('person')).draft?.fields.findIndex(
        (f) => f.name === 'ext',
      );
      expect(preview.problems[0]).toMatchObject({
        code: 'orphans',
        pointer: `/modules/person/fields/${index}`,
      });
      expect(preview.problems[0].message).toContain(U1);
      const error = await engineError(workspace.definitions.publish());
      expect(error.kind).toBe('migration-refused');
      expect(await snapshot('person', 'deal')).toEqual(before);
      expect(await columns('deal')).not.toContain('note');
      await workspace.definitions.discardDraft('person');
      await workspace.definitions.discardDraft('deal');
    });
  });

  it('recomputes a changed formula on the next save of each record only', async () => {
    await draft('person', (d) => {
      field(d, 'double').expression = 'number(score) * 3';
    });
    await workspace.definitions.publish(['person']);
    // stored values are those of the old formula until the record is saved again…
    expect((await get('eve', 'person')).double).toBe(10);
    expect(
      (
        await workspace.records.list('person', SYSTEM_ACTOR, {
          filter: { field: 'double', op: 'eq', value: 10 },
        })
      ).data,
    ).toHaveLength(1);
    // …by any update, even one that changes no field of its own
    const saved = await workspace.records.update('person', people.eve.id, {}, SYSTEM_ACTOR);
    expect(saved).toMatchObject({ double: 15, version: 2 });
    const history = await workspace.records.history('person', people.eve.id, SYSTEM_ACTOR);
    expect(history[0].changes).toEqual({ double: { from: 10, to: 15 } });
    expect((await get('dan', 'person')).double).toBe(8);
  });

  describe('versions', () => {
    it('keeps every published version, immutable and readable', async () => {
      const versions = await workspace.definitions.versions('mod_mg_contact');
      const numbers = versions.map((v) => v.version);
      expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => numbers.length - i));
      expect(numbers.length).toBeGreaterThanOrEqual(12);
      const first = await workspace.definitions.version('mod_mg_contact', 1);
      expect(first.definition).toEqual(contact);
      const kinds = (plan: unknown) => schemaSteps(plan as { kind: string }[]).map((step) => step.kind);
      expect(kinds(first.plan)).toEqual(['createTable', ...contact.fields.map(() => 'addColumn')]);
      const second = await workspace.definitions.version('person', 2);
      expect(second.definition.fields.map((f) => f.name)).toContain('phone');
      expect(kinds(second.plan)).toEqual(['addColumn', 'addColumn', 'addIndex']);
      const third = await workspace.definitions.version('person', 3);
      expect(third.definition.fields.map((f) => f.name)).toContain('town');
      expect(third.definition.fields.map((f) => f.name)).not.toContain('city');
      // reading again gives the same: publishing later changed none of them
      expect((await workspace.definitions.version('mod_mg_contact', 1)).definition).toEqual(first.definition);
      expect((await engineError(workspace.definitions.version('person', 999))).kind).toBe('not-found');
    });

    it('leaves published behaviour alone until a draft is published', async () => {
      const published = (await workspace.definitions.get('person')).publishedVersion;
      await draft('person', (d) => {
        d.fields.push({ id: 'c_must', name: 'must', type: 'text', label: { en: 'Must' }, required: true });
        field(d, 'name').maxLength = 3;
      });
      const state = await workspace.definitions.get('person');
      expect(state.publishedVersion).toBe(published);
      expect(state.draft?.fields.map((f) => f.name)).toContain('must');
      expect(state.published?.fields.map((f) => f.name)).not.toContain('must');
      expect(state.draftProblems).toEqual([]);
      // records still follow the published version
      const record = await workspace.records.create('person', { name: 'long name' }, SYSTEM_ACTOR);
      expect(record).not.toHaveProperty('must');
      expect(
        (await engineError(workspace.records.create('person', { name: 'x', must: 'y' }, SYSTEM_ACTOR))).kind,
      ).toBe('invalid-record');
      await workspace.definitions.preview(['person']);
      expect(workspace.catalog.byName('person').version).toBe(published);
      await workspace.definitions.discardDraft('person');
      expect((await workspace.definitions.get('person')).draft).toBeNull();
    });

    it('publishes the draft as it is at publish time, not as an earlier preview saw it', async () => {
      // preview one draft, then change the draft and publish: the published module is the second one
      await draft('person', (d) => {
        d.fields.push({ id: 'c_first', name: 'first_try', type: 'text', label: { en: 'First' } });
      });
      await workspace.definitions.preview(['person']);
      await draft('person', (d) => {
        d.fields.push({ id: 'c_second', name: 'second_try', type: 'integer', label: { en: 'Second' } });
      });
      const before = (await workspace.definitions.get('person')).publishedVersion ?? 0;
      await workspace.definitions.publish(['person']);
      const module = workspace.catalog.byName('person');
      expect(module.version).toBe(before + 1);
      expect(module.byName.has('second_try')).toBe(true);
      expect(module.byName.has('first_try')).toBe(false);
      const record = await workspace.records.create('person', { name: 'new', second_try: 2 }, SYSTEM_ACTOR);
      expect(record.second_try).toBe(2);
      expect(record).not.toHaveProperty('first_try');
      // the same after a refused publish of another draft under the same version number
      await draft('person', (d) => {
        Object.assign(field(d, 'score'), { type: 'integer' }); // refused: text → integer
        d.fields.push({ id: 'c_third', name: 'third_try', type: 'text', label: { en: 'Third' } });
      });
      await engineError(workspace.definitions.publish(['person']));
      await draft('person', (d) => {
        d.fields.push({ id: 'c_fourth', name: 'fourth_try', type: 'boolean', label: { en: 'Fourth' } });
      });
      await workspace.definitions.publish(['person']);
      expect(workspace.catalog.byName('person').byName.has('fourth_try')).toBe(true);
      expect(workspace.catalog.byName('person').byName.has('third_try')).toBe(false);
      expect(
        (await workspace.records.create('person', { name: 'b', fourth_try: true }, SYSTEM_ACTOR)).fourth_try,
      ).toBe(true);
    });
  });
});
