import type { HistoryEntry, ModuleDefinition, Page, StoredRecord } from '@crm/engine';
import { expect, it } from 'vitest';
import { apiClient, counts, expectProblem } from '../../support/api.ts';
import { customerModule, opportunityModule } from '../../support/api-fixtures.ts';
import { type EngineHandle, forEachDatabase } from '../../support/engines.ts';
import { schemaSteps } from '../../support/plan.ts';
import { tableColumns } from '../../support/sql.ts';

interface PreviewBody {
  modules: { name: string; fromVersion: number | null; toVersion: number }[];
  steps: {
    kind: string;
    module: string;
    field?: string;
    description: Record<string, string>;
    sql: string[];
  }[];
  problems: { pointer: string }[];
}
interface ModuleStateBody {
  id: string;
  draft: ModuleDefinition | null;
  published: ModuleDefinition | null;
  publishedVersion: number | null;
  draftProblems: unknown[];
}

const columnsOf = (handle: EngineHandle, table: string) =>
  tableColumns(handle.engine, handle.workspace.schema, table);

forEachDatabase('REST API lifecycle', (handle) => {
  let api: ReturnType<typeof apiClient>;
  const records = (module: string, rest = '') => `/api/modules/${module}/records${rest}`;

  it('reports health and the field types', async () => {
    api = apiClient(handle());
    const health = await api.get('/api/health');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok', database: handle().kind } });

    const types =
      await api.get<{ type: string; operators: string[]; settings: object }[]>('/api/meta/field-types');
    expect(types.status).toBe(200);
    const text = types.body.find((t) => t.type === 'text');
    expect(text).toMatchObject({ widget: 'text', filter: 'text', settings: { type: 'object' } });
    expect(text?.operators).toContain('contains');
    expect(types.body.map((t) => t.type)).toEqual(expect.arrayContaining(['money', 'relation', 'formula']));
  });

  it('defines modules as drafts, previews the plan and publishes real tables', async () => {
    const created = await api.post<ModuleStateBody>('/api/meta/modules', customerModule);
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/api/meta/modules/mod_customer');
    expect(created.body).toMatchObject({ id: 'mod_customer', publishedVersion: null, draftProblems: [] });
    expect((await api.post('/api/meta/modules', opportunityModule)).status).toBe(201);

    const listed = await api.get<{ name: string; hasDraft: boolean }[]>('/api/meta/modules');
    expect(listed.body.map((m) => [m.name, m.hasDraft])).toEqual([
      ['customer', true],
      ['opportunity', true],
    ]);

    const preview = await api.post<PreviewBody>('/api/meta/publish/preview', {});
    expect(preview.status).toBe(200);
    expect(preview.body.problems).toEqual([]);
    const createCustomer = preview.body.steps.find(
      (s) => s.kind === 'createTable' && s.module === 'customer',
    );
    expect(createCustomer?.sql.join('\n')).toMatch(/CREATE TABLE/i);
    expect(createCustomer?.description).toMatchObject({
      en: expect.any(String),
      'zh-CN': expect.any(String),
    });
    expect(await columnsOf(handle(), 'customer')).toEqual([]);

    const published = await api.post<PreviewBody & { published: boolean }>('/api/meta/publish');
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ published: true, problems: [] });
    expect(published.body.modules.map((m) => [m.name, m.fromVersion, m.toVersion])).toEqual([
      ['customer', null, 1],
      ['opportunity', null, 1],
    ]);
    expect(await columnsOf(handle(), 'customer')).toEqual(
      expect.arrayContaining([
        'id',
        'version',
        'name',
        'level',
        'credit',
        'credit__currency',
        'since',
        'tags',
      ]),
    );
    expect(await columnsOf(handle(), 'opportunity')).toEqual(expect.arrayContaining(['customer', 'net']));

    const versions = await api.get<{ version: number }[]>('/api/meta/modules/customer/versions');
    expect(versions.body.map((v) => v.version)).toEqual([1]);
    const version = await api.get<{ version: number; definition: ModuleDefinition; plan: unknown[] }>(
      '/api/meta/modules/customer/versions/1',
    );
    expect(version.body).toMatchObject({ version: 1, definition: { name: 'customer' } });
    expect(version.body.plan.length).toBeGreaterThan(0);
    expectProblem(await api.get('/api/meta/modules/customer/versions/2'), 404);
  });

  it('serves the form schema of a published module in the requested locale', async () => {
    type FormBody = {
      jsonSchema: { title: string; properties: Record<string, { title: string }> };
      version: number;
    };
    const zh = await api.get<FormBody>('/api/meta/modules/customer/schema?locale=zh-CN');
    expect(zh.status).toBe(200);
    expect(zh.body).toMatchObject({
      version: 1,
      jsonSchema: { title: '客户', properties: { name: { title: '客户名称' } } },
    });
    expect(zh.headers.get('content-language')).toBe('zh-CN');

    const negotiated = await api.get<FormBody>('/api/meta/modules/customer/schema', {
      headers: { 'accept-language': 'fr;q=1, zh;q=0.8, en;q=0.5' },
    });
    expect(negotiated.body.jsonSchema.title).toBe('客户');
    const fallback = await api.get<FormBody>('/api/meta/modules/customer/schema', {
      headers: { 'accept-language': 'fr' },
    });
    expect(fallback.body.jsonSchema.title).toBe('Customer');
    expectProblem(await api.get('/api/meta/modules/customer/schema?locale=xx'), 400, ['/locale']);
    expectProblem(await api.get('/api/meta/modules/nothing/schema'), 404);
  });

  it('creates, reads, updates with optimistic concurrency and deletes records', async () => {
    const created = await api.post<StoredRecord>(records('customer'), {
      name: 'Acme 上海',
      level: 'a',
      credit: { amount: 1000.5 },
      since: '2026-01-02',
      vip: true,
    });
    expect(created.status).toBe(201);
    const acme = created.body;
    expect(acme).toMatchObject({
      name: 'Acme 上海',
      credit: { amount: 1000.5, currency: 'CNY' },
      version: 1,
    });
    expect(created.headers.get('location')).toBe(records('customer', `/${acme.id}`));
    expect(created.headers.get('etag')).toBe('"1"');

    const read = await api.get<StoredRecord>(records('customer', `/${acme.id}`));
    expect(read).toMatchObject({ status: 200, body: acme });
    expect(read.headers.get('etag')).toBe('"1"');
    expect(
      (await api.get(records('customer', `/${acme.id}`), { headers: { 'if-none-match': '"1"' } })).status,
    ).toBe(304);

    const updated = await api.patch<StoredRecord>(
      records('customer', `/${acme.id}`),
      { employees: 250, since: null },
      { headers: { 'if-match': '"1"' } },
    );
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ employees: 250, since: null, version: 2, name: 'Acme 上海' });
    expect(updated.headers.get('etag')).toBe('"2"');

    const stale = await api.patch(
      records('customer', `/${acme.id}`),
      { employees: 1 },
      { headers: { 'if-match': '"1"' } },
    );
    const problem = expectProblem(stale, 409, ['/version']);
    expect(problem.current).toMatchObject({ id: acme.id, version: 2, employees: 250 });
    expect(stale.headers.get('etag')).toBe('"2"');

    const byBodyVersion = await api.patch<StoredRecord>(records('customer', `/${acme.id}`), {
      version: 2,
      level: 'b',
      vip: false,
    });
    expect(byBodyVersion.body).toMatchObject({ version: 3, level: 'b', vip: false });

    const deal = await api.post<StoredRecord>(records('opportunity'), {
      title: 'Big deal',
      customer: acme.id,
      amount: 0.1 + 0.2,
      discount: 10,
      close_at: '2026-03-04T05:06:07Z',
    });
    expect(deal.body).toMatchObject({ net: 0.27, close_at: '2026-03-04T05:06:07.000Z' });
    const related = await api.get<Page<StoredRecord>>(
      records('customer', `/${acme.id}/related/opportunities`),
    );
    expect(related.body.data.map((r) => r.id)).toEqual([deal.body.id]);
    const throughRelation = await api.get<Page<StoredRecord>>(
      `${records('opportunity')}?filter=${encodeURIComponent(JSON.stringify({ field: 'customer.level', op: 'eq', value: 'b' }))}`,
    );
    expect(throughRelation.body.data.map((r) => r.id)).toEqual([deal.body.id]);

    const history = await api.get<HistoryEntry[]>(records('customer', `/${acme.id}/history`));
    expect(history.body.map((h) => [h.op, h.version])).toEqual([
      ['update', 3],
      ['update', 2],
      ['create', 1],
    ]);
    expect(history.body[1].changes).toEqual({
      employees: { from: null, to: 250 },
      since: { from: '2026-01-02', to: null },
    });
    expect(history.body[2].changes.name).toEqual({ to: 'Acme 上海' });
    const older = await api.get<HistoryEntry[]>(records('customer', `/${acme.id}/history?before=3&limit=1`));
    expect(older.body.map((h) => h.version)).toEqual([2]);

    // Still referenced by the opportunity: refused, nothing removed.
    expectProblem(await api.delete(records('customer', `/${acme.id}`)), 409);
    expect((await api.delete(records('opportunity', `/${deal.body.id}`))).status).toBe(204);
    expectProblem(
      await api.delete(records('customer', `/${acme.id}`), { headers: { 'if-match': '"2"' } }),
      409,
      ['/version'],
    );
    expect(
      (await api.delete(records('customer', `/${acme.id}`), { headers: { 'if-match': '"3"' } })).status,
    ).toBe(204);
    expectProblem(await api.get(records('customer', `/${acme.id}`)), 404);
    const afterDelete = await api.get<HistoryEntry[]>(records('customer', `/${acme.id}/history`));
    // in the recycle bin: the values stay, so the entry changes no field
    expect(afterDelete.body[0]).toMatchObject({ op: 'delete', version: 4, changes: {} });
  });

  it('lists with filter, sort and keyset pagination across pages with no duplicates or gaps', async () => {
    const made: StoredRecord[] = [];
    for (let i = 0; i < 23; i++) {
      const response = await api.post<StoredRecord>(records('customer'), {
        name: `cust${String(i).padStart(2, '0')}`,
        employees: (i * 7) % 5, // many ties on the first sort key
        level: i % 3 === 0 ? 'a' : 'b',
      });
      expect(response.status).toBe(201);
      made.push(response.body);
    }
    const expected = made
      .filter((r) => (r.employees as number) >= 1 && r.level === 'b')
      .sort(
        (a, b) =>
          (b.employees as number) - (a.employees as number) || String(a.name).localeCompare(String(b.name)),
      )
      .map((r) => r.name);

    const filter = encodeURIComponent(
      JSON.stringify({
        and: [
          { field: 'employees', op: 'gte', value: 1 },
          { field: 'level', op: 'in', value: ['b'] },
        ],
      }),
    );
    const seen: unknown[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?filter=${filter}&sort=-employees,name&limit=4&fields=name,employees&count=true${
        cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
      }`;
      const page: { status: number; body: Page<StoredRecord> } = await api.get<Page<StoredRecord>>(
        records('customer', query),
      );
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(expected.length);
      expect(page.body.data.every((r) => !('level' in r) && 'employees' in r && 'version' in r)).toBe(true);
      seen.push(...page.body.data.map((r) => r.name));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBeGreaterThan(2);
    expect(seen).toEqual(expected);

    // Default order (newest first), walked page by page, gives every record exactly once.
    const all: string[] = [];
    let next: string | null = null;
    do {
      const page: { body: Page<StoredRecord> } = await api.get<Page<StoredRecord>>(
        records('customer', `?limit=5${next ? `&cursor=${encodeURIComponent(next)}` : ''}`),
      );
      all.push(...page.body.data.map((r) => r.id));
      next = page.body.nextCursor;
    } while (next);
    expect(new Set(all).size).toBe(all.length);
    expect(all.slice(0, made.length)).toEqual(made.map((r) => r.id).reverse());
  });

  it('adds, renames and removes fields with the plan shown first, keeping the data', async () => {
    const state = await api.get<ModuleStateBody>('/api/meta/modules/customer');
    const next = structuredClone(state.body.published) as ModuleDefinition;
    const level = next.fields.find((f) => f.name === 'level');
    if (!level) throw new Error('no level field');
    level.name = 'tier';
    next.rules = [
      { ...(next.rules ?? [])[0], expression: 'not(vip = true) or tier = "a"', fields: ['tier'] },
    ];
    next.fields = next.fields.filter((f) => f.name !== 'since');
    next.fields.push({
      id: 'f_phone',
      name: 'phone',
      type: 'phone',
      label: { en: 'Phone', 'zh-CN': '电话' },
    });
    const saved = await api.put<ModuleStateBody>('/api/meta/modules/customer/draft', next);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ publishedVersion: 1, draftProblems: [] });

    const before = await counts(handle(), 'customer');
    const preview = await api.post<PreviewBody>('/api/meta/publish/preview', { modules: ['customer'] });
    expect(preview.body.problems).toEqual([]);
    // the order of the steps is the planner's business; what they are is the admin's
    expect(
      schemaSteps(preview.body.steps)
        .map((s) => [s.kind, s.field])
        .sort(),
    ).toEqual([
      ['addColumn', 'phone'],
      ['archiveColumn', 'since'],
      ['renameColumn', 'tier'],
    ]);
    expect(preview.body.steps.every((s) => s.sql.length > 0 && s.description.en)).toBe(true);
    expect(await columnsOf(handle(), 'customer')).toContain('level');

    const published = await api.post<PreviewBody>('/api/meta/publish', { modules: ['customer'] });
    expect(published.status).toBe(200);
    const columns = await columnsOf(handle(), 'customer');
    expect(columns).toEqual(expect.arrayContaining(['tier', 'phone']));
    expect(columns).not.toContain('level');
    expect(columns).not.toContain('since');
    expect(await counts(handle(), 'customer')).toEqual(before);

    const list = await api.get<Page<StoredRecord>>(records('customer', '?sort=name&limit=1'));
    expect(list.body.data[0]).toMatchObject({ name: 'cust00', tier: 'a', phone: null });
    expect(list.body.data[0]).not.toHaveProperty('since');
    expect(list.body.data[0]).not.toHaveProperty('level');

    const form = await api.get<{ version: number }>('/api/meta/modules/customer/schema');
    expect(form.body.version).toBe(2);
  });

  it('discards a draft', async () => {
    const state = await api.get<ModuleStateBody>('/api/meta/modules/opportunity');
    const draft = { ...(state.body.published as ModuleDefinition), label: { en: 'Deal' } };
    expect((await api.put('/api/meta/modules/opportunity/draft', draft)).status).toBe(200);
    expect((await api.delete('/api/meta/modules/opportunity/draft')).status).toBe(204);
    const after = await api.get<ModuleStateBody>('/api/meta/modules/opportunity');
    expect(after.body).toMatchObject({ draft: null, publishedVersion: 1 });
  });
});
