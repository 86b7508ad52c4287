// Keyword search through the REST API: `q` on the list, the export and related lists, combined with
// the other list parameters; an over-long query is a 400 naming `q`; the OpenAPI document has it.
import type { StoredRecord } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { type ApiClient, apiClient } from '../../support/api.ts';
import { forEachDatabase } from '../../support/engines.ts';

const lead = {
  name: 'lead',
  label: { en: 'Lead', 'zh-CN': '线索' },
  fields: [
    { name: 'company', type: 'text', label: { en: 'Company', 'zh-CN': '公司' }, required: true },
    { name: 'phone', type: 'phone', label: { en: 'Phone', 'zh-CN': '电话' } },
    { name: 'budget', type: 'integer', label: { en: 'Budget', 'zh-CN': '预算' } },
  ],
};
const RECORDS = '/api/modules/lead/records';
const names = (body: { data: StoredRecord[] }) => body.data.map((r) => r.company).sort();

forEachDatabase('keyword search API', (handle) => {
  let admin: ApiClient;

  beforeAll(async () => {
    admin = apiClient(handle());
    expect((await admin.post('/api/meta/modules', lead)).status).toBe(201);
    expect((await admin.post('/api/meta/publish')).status).toBe(200);
    for (const [company, phone, budget] of [
      ['上海华东精密', '021-5555 0101', 50000],
      ['北京星辰科技有限公司', '13800138000', 8000],
      ['Shanghai Star Trading', null, 20000],
    ] as const) {
      expect((await admin.post(RECORDS, { company, phone, budget })).status).toBe(201);
    }
  });

  it('searches with q alongside filter, limit and count', async () => {
    const chinese = await admin.get<{ data: StoredRecord[] }>(`${RECORDS}?q=${encodeURIComponent('华东')}`);
    expect(chinese.status).toBe(200);
    expect(names(chinese.body)).toEqual(['上海华东精密']);
    const words = await admin.get<{ data: StoredRecord[] }>(
      `${RECORDS}?q=${encodeURIComponent('shanghai sta')}`,
    );
    expect(names(words.body)).toEqual(['Shanghai Star Trading']);
    const digits = await admin.get<{ data: StoredRecord[] }>(`${RECORDS}?q=0013`);
    expect(names(digits.body)).toEqual(['北京星辰科技有限公司']);
    const filter = encodeURIComponent(JSON.stringify({ field: 'budget', op: 'gte', value: 10000 }));
    const combined = await admin.get<{ data: StoredRecord[]; total: number }>(
      `${RECORDS}?q=${encodeURIComponent('上海 精密')}&filter=${filter}&limit=1&count=true`,
    );
    expect(combined.body.total).toBe(1);
    expect(names(combined.body)).toEqual(['上海华东精密']);
    const exported = await admin.get<string>(
      `${RECORDS}/export?format=jsonl&q=${encodeURIComponent('星辰')}`,
    );
    expect(exported.status).toBe(200);
    expect(exported.body.trim().split('\n')).toHaveLength(1);
  });

  it('refuses an over-long q with a problem naming it', async () => {
    const response = await admin.get<{ errors: { pointer: string; code: string }[] }>(
      `${RECORDS}?q=${'x'.repeat(101)}`,
    );
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ pointer: '/q', code: 'too-long' })]);
  });

  it('takes tsquery operators and SQL as plain text', async () => {
    for (const q of ["' OR 1=1 --", '星辰 & !', "a:* | b'", '\\', ')(']) {
      const response = await admin.get(`${RECORDS}?q=${encodeURIComponent(q)}`);
      expect(response.status).toBe(200);
    }
  });

  it('tells which field types are searched', async () => {
    const types = await admin.get<{ type: string; search: string | null }[]>('/api/meta/field-types');
    const search = Object.fromEntries(types.body.map((t) => [t.type, t.search]));
    expect(search).toMatchObject({ text: 'default', phone: 'default', select: 'default', integer: null });
  });

  it('documents q in the OpenAPI document', async () => {
    const doc = await admin.get<{ components: { parameters: Record<string, { name: string }> } }>(
      '/api/openapi.json',
    );
    expect(doc.body.components.parameters.Search).toMatchObject({ name: 'q', in: 'query' });
  });
});
