// Sub-tables and rollups through HTTP: whole-array writes, row endpoints with ETags, errors with
// pointers into the rows, nothing half-written, rollups in the answers, the OpenAPI document.
import type { HistoryEntry, StoredRecord } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { apiClient, counts, expectProblem } from '../../support/api.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { SUBTABLE_MODULES } from '../../support/subtable-fixtures.ts';

type Row = Record<string, unknown>;
const cny = (amount: number) => ({ amount, currency: 'CNY' });
const line = (item: string, quantity: number, price = 2) => ({ item, quantity, unit_price: cny(price) });

forEachDatabase('REST API sub-tables and rollups', (handle) => {
  let api: ReturnType<typeof apiClient>;
  const url = (rest = '') => `/api/modules/quote/records${rest}`;

  beforeAll(async () => {
    api = apiClient(handle());
    for (const module of SUBTABLE_MODULES)
      expect((await api.post('/api/meta/modules', module)).status).toBe(201);
    expect((await api.post('/api/meta/publish')).status).toBe(200);
  });

  it('creates a record with its rows and reads them back, rows out of lists unless asked', async () => {
    const created = await api.post<StoredRecord>(url(), {
      title: 'HTTP',
      lines: [line('a', 2), line('b', 3)],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ rolled_total: 10, total: 10, with_tax: 11, taxed_lines: 2 });
    const read = await api.get<StoredRecord>(url(`/${created.body.id}`));
    expect(read.body.lines).toEqual(created.body.lines);
    const list = await api.get<{ data: StoredRecord[] }>(url('?sort=-created_at&limit=1'));
    expect(list.body.data[0]).not.toHaveProperty('lines');
    const asked = await api.get<{ data: StoredRecord[] }>(
      url('?sort=-created_at&limit=1&fields=title,lines'),
    );
    expect(asked.body.data[0].lines).toEqual(created.body.lines);
    const rows = await api.get<Row[]>(url(`/${created.body.id}/rows/lines`));
    expect(rows.body.map((r) => r.item)).toEqual(['a', 'b']);
  });

  it('exports rows when asked for by name, as JSON in a CSV cell', async () => {
    const csv = await api.get<string>(url('/export?format=csv'));
    expect(csv.status).toBe(200);
    expect(csv.body.split('\n')[0].split(',')).not.toContain('lines');
    const asked = await api.get<string>(url('/export?format=csv&fields=title,lines'));
    expect(asked.body.split('\n')[0].split(',')).toEqual(expect.arrayContaining(['title', 'lines']));
    expect(asked.body).toContain('""item"":""a""');
  });

  it('refuses a bad row with pointers into the rows and writes nothing', async () => {
    const before = await counts(handle(), 'quote');
    const response = await api.post(url(), {
      title: 'Bad',
      lines: [line('a', 1), line('b', 0), { item: 'c', quantity: 'x' }],
    });
    const problem = expectProblem(response, 422);
    expect(problem.errors.map((e) => [e.pointer, e.code])).toEqual([
      ['/lines/1/quantity', 'minimum'],
      ['/lines/2/quantity', 'type'],
    ]);
    const rule = expectProblem(await api.post(url(), { title: 'Bad', lines: [line('a', 5000)] }), 422);
    expect(rule.errors).toEqual([
      {
        pointer: '/lines/0/quantity',
        code: 'rule',
        detail: 'at most 1000 per line',
        messages: { en: 'at most 1000 per line', 'zh-CN': '每行最多 1000' },
      },
    ]);
    expect(await counts(handle(), 'quote')).toEqual(before);
  });

  it('appends, changes and removes single rows, each a new version with a row-level history', async () => {
    const created = await api.post<StoredRecord>(url(), { title: 'Rows', lines: [line('a', 1)] });
    const id = created.body.id;
    const appended = await api.post<StoredRecord>(url(`/${id}/rows/lines`), line('b', 4), {
      headers: { 'If-Match': '"1"' },
    });
    expect(appended.status).toBe(201);
    expect(appended.headers.get('etag')).toBe('"2"');
    const rowId = String((appended.body.lines as Row[])[1].id);
    expect(appended.headers.get('location')).toBe(url(`/${id}/rows/lines/${rowId}`));
    expect((await api.get<Row>(url(`/${id}/rows/lines/${rowId}`))).body).toMatchObject({
      item: 'b',
      quantity: 4,
    });

    const stale = await api.patch(
      url(`/${id}/rows/lines/${rowId}`),
      { quantity: 5 },
      { headers: { 'If-Match': '"1"' } },
    );
    expectProblem(stale, 409, ['/version']);
    const changed = await api.patch<StoredRecord>(url(`/${id}/rows/lines/${rowId}`), { quantity: 5 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ version: 3, rolled_total: 12 });
    const invalid = await api.patch(url(`/${id}/rows/lines/${rowId}`), { quantity: 'x' });
    expectProblem(invalid, 422, ['/lines/1/quantity']);

    const removed = await api.delete<StoredRecord>(url(`/${id}/rows/lines/${rowId}`));
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ version: 4, rolled_total: 2 });
    expectProblem(await api.delete(url(`/${id}/rows/lines/${rowId}`)), 404);
    expectProblem(await api.get(url(`/${id}/rows/title`)), 404);

    const history = await api.get<HistoryEntry[]>(url(`/${id}/history`));
    expect(history.body.map((h) => h.version)).toEqual([4, 3, 2, 1]);
    expect(history.body[1].changes.lines.rows?.changed).toEqual([
      { id: rowId, fields: { quantity: { from: 4, to: 5 }, amount: { from: 8, to: 10 } } },
    ]);
    expect(history.body[0].changes.lines.rows?.removed.map((r) => r.item)).toEqual(['b']);
  });

  it('keeps rollups over related records current through HTTP writes', async () => {
    const account = await api.post<StoredRecord>('/api/modules/account/records', { name: 'HTTP account' });
    const opportunity = await api.post<StoredRecord>('/api/modules/opportunity/records', {
      name: 'Deal',
      account: account.body.id,
      amount: cny(250),
      stage: 'new',
    });
    expect(opportunity.status).toBe(201);
    const read = await api.get<StoredRecord>(`/api/modules/account/records/${account.body.id}`);
    expect(read.body).toMatchObject({ open_amount: cny(250), opportunity_count: 1, version: 1 });
    await api.patch(`/api/modules/opportunity/records/${opportunity.body.id}`, { stage: 'lost' });
    const after = await api.get<StoredRecord>(`/api/modules/account/records/${account.body.id}`);
    expect(after.body).toMatchObject({ open_amount: cny(0), opportunity_count: 1 });
    const filtered = await api.get<{ data: StoredRecord[] }>(
      `/api/modules/account/records?filter=${encodeURIComponent(JSON.stringify({ field: 'opportunity_count', op: 'gte', value: 1 }))}`,
    );
    expect(filtered.body.data.map((r) => r.name)).toContain('HTTP account');
  });

  it('refuses a rollup filter outside the SQL subset at publish', async () => {
    const [, , quote] = SUBTABLE_MODULES;
    const draft = structuredClone(quote) as { fields: Row[] };
    draft.fields = draft.fields.map((f) =>
      f.id === 'q_taxed' ? { ...f, filter: 'upper case(item) = "A"' } : f,
    );
    expect((await api.put('/api/meta/modules/mod_st_quote/draft', draft)).status).toBe(200);
    const refused = await api.post('/api/meta/publish');
    const problem = expectProblem(refused, 422, ['/modules/quote/fields/5/filter']);
    expect(problem.errors[0].detail).toContain('upper case(item)');
    await api.delete('/api/meta/modules/mod_st_quote/draft');
  });

  it('describes the rows and the row endpoints in the OpenAPI document', async () => {
    const document = await api.get<{
      paths: Record<string, Record<string, { operationId: string }>>;
      components: { schemas: Record<string, { properties: Record<string, Row> }> };
    }>('/api/openapi.json');
    expect(document.status).toBe(200);
    const paths = document.body.paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/api/modules/quote/records/{id}/rows/lines',
        '/api/modules/quote/records/{id}/rows/lines/{rowId}',
      ]),
    );
    expect(paths['/api/modules/quote/records/{id}/rows/lines'].post.operationId).toBe('appendRowQuote_Lines');
    const record = document.body.components.schemas.Quote.properties;
    expect(record.lines).toBeDefined();
    expect(record.rolled_total).toBeDefined();
  });
});
