import type { HistoryEntry, Page, StoredRecord } from '@crm/engine';
import { expect, it } from 'vitest';
import { apiClient, counts, expectProblem } from '../../support/api.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { tableColumns } from '../../support/sql.ts';

/** SQL keywords are fine names: every identifier is quoted, every value a parameter. */
const selectModule = {
  name: 'select',
  label: { en: 'Select', 'zh-CN': '选择' },
  titleField: 'from',
  fields: [
    { name: 'from', type: 'text', label: { en: 'From' }, required: true, unique: true },
    { name: 'order', type: 'integer', label: { en: 'Order' }, indexed: true },
    {
      name: 'table',
      type: 'select',
      label: { en: 'Table' },
      options: [{ value: 'drop', label: { en: 'Drop' } }],
    },
    { name: 'group', type: 'date', label: { en: 'Group' } },
  ],
  rules: [{ expression: 'order >= 0', message: { en: 'order must not be negative' }, fields: ['order'] }],
};

forEachDatabase('REST API with SQL keywords as names', (handle) => {
  it('runs a module named select with fields from, order, table and group end to end', async () => {
    const api = apiClient(handle());
    const created = await api.post<{ id: string }>('/api/meta/modules', selectModule);
    expect(created.status).toBe(201);
    const preview = await api.post<{ problems: unknown[]; steps: { sql: string[] }[] }>(
      '/api/meta/publish/preview',
    );
    expect(preview.body.problems).toEqual([]);
    expect(preview.body.steps.flatMap((s) => s.sql).join('\n')).toContain('"select"');
    expect((await api.post('/api/meta/publish')).status).toBe(200);
    expect(await tableColumns(handle().engine, handle().workspace.schema, 'select')).toEqual(
      expect.arrayContaining(['from', 'order', 'table', 'group']),
    );

    const base = '/api/modules/select/records';
    const ids: string[] = [];
    for (const [from, order] of [
      ['where', 3],
      ['\'; DROP TABLE "select"; --', 1],
      ['union', 2],
    ] as const) {
      const response = await api.post<StoredRecord>(base, {
        from,
        order,
        table: 'drop',
        group: '2026-05-01',
      });
      expect(response.status).toBe(201);
      ids.push(response.body.id);
    }
    expectProblem(await api.post(base, { from: 'where' }), 409, ['/from']);
    expectProblem(await api.post(base, { from: 'having', order: -1 }), 422, ['/order']);

    const sorted = await api.get<Page<StoredRecord>>(`${base}?sort=order&fields=from,order`);
    expect(sorted.body.data.map((r) => r.order)).toEqual([1, 2, 3]);
    const filter = encodeURIComponent(
      JSON.stringify({
        or: [
          { field: 'from', op: 'startsWith', value: "'; DROP" },
          { field: 'order', op: 'gte', value: 3 },
        ],
      }),
    );
    const filtered = await api.get<Page<StoredRecord>>(`${base}?filter=${filter}&sort=-order&count=true`);
    expect(filtered.body).toMatchObject({ total: 2 });
    expect(filtered.body.data.map((r) => r.id)).toEqual([ids[0], ids[1]]);

    const updated = await api.patch<StoredRecord>(
      `${base}/${ids[2]}`,
      { order: 5, table: null },
      { headers: { 'if-match': '"1"' } },
    );
    expect(updated.body).toMatchObject({ order: 5, table: null, version: 2 });
    const history = await api.get<HistoryEntry[]>(`${base}/${ids[2]}/history`);
    expect(history.body[0].changes).toEqual({ order: { from: 2, to: 5 }, table: { from: 'drop', to: null } });
    expect((await api.delete(`${base}/${ids[2]}`)).status).toBe(204);
    expect((await api.get<{ data: unknown[] }>(base)).body.data).toHaveLength(2);
    // the deleted one waits in the recycle bin; purging it removes the row
    expect((await api.delete(`/api/modules/select/recycle-bin/${ids[2]}`)).status).toBe(204);
    expect(await counts(handle(), 'select')).toMatchObject({ rows: 2 });

    const schema = await api.get<{ jsonSchema: { properties: Record<string, unknown> } }>(
      '/api/meta/modules/select/schema',
    );
    expect(Object.keys(schema.body.jsonSchema.properties)).toEqual(['from', 'order', 'table', 'group']);
    const openapi = await api.get<{
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    }>('/api/openapi.json');
    expect(openapi.body.paths).toHaveProperty(['/api/modules/select/records/{id}']);
    expect(openapi.body.components.schemas).toHaveProperty(['Select']);
  });
});
