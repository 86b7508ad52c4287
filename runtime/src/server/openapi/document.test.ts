import { Engine, type JsonSchema, openPglite, type Workspace } from '@crm/engine';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

const label = (en: string) => ({ en });
const options = [
  { value: 'a', label: label('A') },
  { value: 'b', label: label('B') },
];

/** One field of every built-in type, so every type's schema goes through the conversion. */
const everyType = {
  id: 'mod_every',
  name: 'every_type',
  label: { en: 'Every type', 'zh-CN': '所有类型' },
  fields: [
    { name: 'title', type: 'text', label: label('Title'), required: true, pattern: '^[A-Z]' },
    { name: 'notes', type: 'longText', label: label('Notes') },
    { name: 'count', type: 'integer', label: label('Count'), min: 0 },
    { name: 'ratio', type: 'decimal', label: label('Ratio'), scale: 3 },
    { name: 'price', type: 'money', label: label('Price'), currencies: ['CNY', 'USD'], currency: 'CNY' },
    { name: 'share', type: 'percent', label: label('Share') },
    { name: 'active', type: 'boolean', label: label('Active') },
    { name: 'day', type: 'date', label: label('Day') },
    { name: 'moment', type: 'datetime', label: label('Moment') },
    { name: 'kind', type: 'select', label: label('Kind'), options, required: true },
    { name: 'labels', type: 'multiSelect', label: label('Labels'), options },
    { name: 'mail', type: 'email', label: label('Mail') },
    { name: 'phone', type: 'phone', label: label('Phone') },
    { name: 'site', type: 'url', label: label('Site') },
    { name: 'person', type: 'user', label: label('Person') },
    { name: 'team', type: 'department', label: label('Team') },
    {
      name: 'parent',
      type: 'relation',
      label: label('Parent'),
      target: 'mod_every',
      inverse: { name: 'children', label: label('Children') },
    },
    { name: 'ref_no', type: 'autonumber', label: label('No.'), pattern: 'R-{YYYY}-{0000}' },
    { name: 'papers', type: 'file', label: label('Papers'), multiple: true, accept: ['.pdf'] },
    {
      name: 'links',
      type: 'relations',
      label: label('Links'),
      target: 'mod_every',
      inverse: { name: 'linked_from', label: label('Linked from') },
      maxItems: 5,
    },
    {
      name: 'double',
      type: 'formula',
      label: label('Double'),
      expression: 'count * 2',
      resultType: 'integer',
    },
  ],
};
/** Names chosen to collide with derived component names and operation ids if they were built naively. */
const collisions = [
  {
    id: 'mod_input',
    name: 'every_type_input',
    label: label('Input'),
    fields: [{ name: 'x', type: 'text', label: label('X') }],
  },
  { id: 'mod_q_1', name: 'q_1', label: label('Q 1'), fields: [] },
  { id: 'mod_q1', name: 'q1', label: label('Q1'), fields: [] },
  { id: 'mod_problem', name: 'problem', label: label('Problem'), fields: [] },
];

type Doc = JsonSchema & {
  paths: Record<string, Record<string, JsonSchema>>;
  components: Record<string, Record<string, JsonSchema>>;
};

/** Every `$ref` in the document, with where it is. */
function refsOf(node: unknown, at = ''): { ref: string; at: string }[] {
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string' ? [{ ref: value, at }] : refsOf(value, `${at}/${key}`),
  );
}

function resolvePointer(doc: unknown, ref: string): unknown {
  return ref
    .slice(2)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (node, key) =>
        typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined,
      doc,
    );
}

describe('the OpenAPI document', () => {
  let engine: Engine;
  let workspace: Workspace;
  let app: ReturnType<typeof createApp>;
  let doc: Doc;
  let authorization = '';
  /** A request as the workspace's admin, with a personal token. */
  const request = (path: string, init: RequestInit = {}) =>
    app.request(path, { ...init, headers: { ...(init.headers as Record<string, string>), authorization } });

  beforeAll(async () => {
    engine = await Engine.open({ db: await openPglite() });
    workspace = await engine.workspace('default');
    for (const module of [everyType, ...collisions]) await workspace.definitions.saveDraft(module);
    await workspace.definitions.publish();
    app = createApp({ engine, workspace });
    const admin = await workspace.identity.users.create({
      username: 'admin',
      displayName: 'Admin',
      isAdmin: true,
    });
    const { token } = await workspace.identity.tokens.create(admin.id, {
      name: 'docs',
      scopes: ['meta:write', 'records:write'],
    });
    authorization = `Bearer ${token}`;
    const response = await request('/api/openapi.json');
    expect(response.status).toBe(200);
    doc = (await response.json()) as Doc;
  });
  afterAll(async () => {
    await engine.close();
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('has every $ref resolving and no draft-07 leftovers', () => {
    const refs = refsOf(doc);
    expect(refs.length).toBeGreaterThan(50);
    for (const { ref, at } of refs) {
      expect(ref.startsWith('#/'), at).toBe(true);
      expect(resolvePointer(doc, ref), `${ref} at ${at}`).toBeDefined();
    }
    const text = JSON.stringify(doc);
    expect(text).not.toContain('"$schema"');
    expect(text).not.toContain('#/definitions/');
  });

  it('gives operations unique ids and modules distinct component names', () => {
    const ids = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).flatMap((op) => (typeof op.operationId === 'string' ? [op.operationId] : [])),
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        'listEveryType',
        'relatedEveryType_Children',
        'relatedEveryType_Links',
        'relatedEveryType_LinkedFrom',
        'meta.publish',
      ]),
    );
    const schemas = doc.components.schemas;
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining([
        'EveryType',
        'EveryType.Input',
        'EveryTypeInput',
        'Q_1',
        'Q1',
        'Problem',
        'crm.Problem',
      ]),
    );
  });

  it("describes each module's records from its field schemas", () => {
    const record = doc.components.schemas.EveryType;
    const properties = record.properties as Record<string, JsonSchema>;
    expect(record.required).toEqual([
      'id',
      'version',
      'owner',
      'created_at',
      'created_by',
      'updated_at',
      'updated_by',
    ]);
    expect(properties.title).toMatchObject({ type: ['string', 'null'], pattern: '^[A-Z]', title: 'Title' });
    expect(properties.kind).toMatchObject({ type: ['string', 'null'], enum: ['a', 'b', null] });
    expect(properties.double).toMatchObject({ type: ['integer', 'null'], readOnly: true });
    expect(properties.price).toMatchObject({ type: ['object', 'null'] });
    const input = doc.components.schemas['EveryType.Input'];
    expect(input.required).toEqual(['title', 'kind']);
    expect(input.properties).not.toHaveProperty('double');
    expect((input.properties as Record<string, JsonSchema>).title).toMatchObject({ type: 'string' });
    expect(doc.paths['/api/modules/every_type/records/{id}/related/children'].get).toBeDefined();
    expect(properties.links).toMatchObject({
      type: ['array', 'null'],
      items: { type: 'string', format: 'uuid' },
      uniqueItems: true,
      maxItems: 5,
    });
    expect((input.properties as Record<string, JsonSchema>).links).toMatchObject({ type: ['array', 'null'] });
    for (const name of ['links', 'linked_from']) {
      expect(doc.paths[`/api/modules/every_type/records/{id}/related/${name}`].get).toMatchObject({
        summary: expect.stringContaining('every_type records'),
      });
    }
  });

  it('matches the records and problems the API really returns', async () => {
    const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
    ajv.addSchema({ ...doc, $id: 'openapi' }, 'openapi');
    const check = (component: string, value: unknown) => {
      const validate = ajv.getSchema(`openapi#/components/schemas/${component}`);
      if (!validate) throw new Error(`no schema ${component}`);
      expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
    };
    const post = (path: string, body: unknown) =>
      request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    const full = {
      title: 'Alpha',
      notes: 'long\ntext',
      count: 3,
      ratio: 1.234,
      price: { amount: 9.99, currency: 'USD' },
      share: 12.5,
      active: true,
      day: '2026-01-02',
      moment: '2026-01-02T03:04:05Z',
      kind: 'a',
      labels: ['a', 'b'],
      mail: 'a@example.com',
      phone: '+86 21 1234 5678',
      site: 'https://example.com',
      person: '01890000-0000-7000-8000-000000000001',
      team: '01890000-0000-7000-8000-000000000002',
    };
    check('EveryType.Input', full);
    const created = await post('/api/modules/every_type/records', full);
    expect(created.status).toBe(201);
    const record = await created.json();
    check('EveryType', record);
    const id = (record as { id: string }).id;
    const linking = { title: 'Beta', kind: 'b', links: [id] };
    check('EveryType.Input', linking);
    const beta = await (await post('/api/modules/every_type/records', linking)).json();
    expect(beta).toMatchObject({ links: [id] });
    check('EveryType', beta);
    const page = await (await request('/api/modules/every_type/records?count=true')).json();
    check('EveryTypePage', page);
    const history = await (
      await request(`/api/modules/every_type/records/${(record as { id: string }).id}/history`)
    ).json();
    expect(Array.isArray(history)).toBe(true);
    for (const entry of history as unknown[]) check('crm.HistoryEntry', entry);

    const problem = await (await post('/api/modules/every_type/records', { title: 'lower' })).json();
    check('crm.Problem', problem);
    check('crm.ModuleState', await (await request('/api/meta/modules/every_type')).json());
    check('crm.PublishPreview', await (await post('/api/meta/publish/preview', {})).json());
    for (const type of (await (await request('/api/meta/field-types')).json()) as unknown[])
      check('crm.FieldType', type);
  });

  it('is rebuilt after a publish and cached until then', async () => {
    const first = await (await request('/api/openapi.json')).text();
    expect(await (await request('/api/openapi.json')).text()).toBe(first);
    const state = await workspace.definitions.get('q1');
    await workspace.definitions.saveDraft({
      ...state.published,
      fields: [{ name: 'added', type: 'text', label: label('Added') }],
    });
    await workspace.definitions.publish(['q1']);
    const next = JSON.parse(await (await request('/api/openapi.json')).text()) as Doc;
    expect(next.components.schemas.Q1.properties).toHaveProperty('added');
  });
});
