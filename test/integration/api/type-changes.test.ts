// A type change through the REST API: the preview shows what would not convert, the publish is refused
// (409, nothing changed) until the request confirms the loss, and the archived data is listed and purged
// by administrators only.
import type { ArchivedData, ConversionReport, ModuleDefinition, OperationEntry, Page } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectProblem, tokenFor } from '../../support/api.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { tableColumns } from '../../support/sql.ts';

interface PreviewBody {
  steps: { kind: string; field?: string; conversion?: ConversionReport }[];
  problems: { pointer: string; code: string; messages?: Record<string, string> }[];
}

const ticket: ModuleDefinition = {
  id: 'mod_api_ticket',
  name: 'ticket',
  label: { en: 'Ticket', 'zh-CN': '工单' },
  fields: [
    { id: 't_title', name: 'title', type: 'text', label: { en: 'Title' } },
    { id: 't_hours', name: 'hours', type: 'text', label: { en: 'Hours' } },
  ],
};

forEachDatabase('REST API type changes', (handle) => {
  let api: ApiClient;
  let userApi: ApiClient;
  const ids: Record<string, string> = {};
  const columns = () => tableColumns(handle().engine, handle().workspace.schema, 'ticket');

  beforeAll(async () => {
    api = apiClient(handle());
    expect((await api.post('/api/meta/modules', ticket)).status).toBe(201);
    expect((await api.post('/api/meta/publish', { modules: ['ticket'] })).status).toBe(200);
    for (const [title, hours] of [
      ['a', '3'],
      ['b', 'three'],
      ['c', ' 12 '],
      ['d', '1.5'],
    ]) {
      const created = await api.post<{ id: string }>('/api/modules/ticket/records', { title, hours });
      expect(created.status).toBe(201);
      ids[title] = created.body.id;
    }
    const user = await handle().workspace.identity.users.create({
      username: 'agent',
      password: 'Agent-passw0rd',
      displayName: 'Agent',
    });
    userApi = apiClient(handle(), { auth: { token: await tokenFor(handle(), user.id) } });
  });

  it('previews a type change with counts and samples, in en and zh-CN', async () => {
    const draft = structuredClone(ticket);
    draft.fields[1] = { ...draft.fields[1], type: 'integer' };
    expect((await api.put('/api/meta/modules/ticket/draft', draft)).status).toBe(200);
    const preview = await api.post<PreviewBody>('/api/meta/publish/preview', { modules: ['ticket'] });
    expect(preview.status).toBe(200);
    const step = preview.body.steps.find((s) => s.kind === 'convertColumn');
    expect(step?.conversion).toMatchObject({
      field: 'hours',
      from: 'text',
      to: 'integer',
      values: 4,
      unconvertible: 2,
      lossy: 0,
      archivedColumn: '_arch_v2_hours',
      samples: [
        { id: ids.b, value: 'three', converted: null, problem: 'unconvertible' },
        { id: ids.d, value: '1.5', converted: null, problem: 'unconvertible' },
      ],
    });
    expect(step?.conversion?.summary['zh-CN']).toContain('4 个值中有 2 个无法转换');
    expect(preview.body.problems).toMatchObject([
      { code: 'data-loss', pointer: '/modules/ticket/fields/1/type' },
    ]);
    const confirmed = await api.post<PreviewBody>('/api/meta/publish/preview', {
      modules: ['ticket'],
      confirmDataLoss: true,
    });
    expect(confirmed.body.problems).toEqual([]);
    expect(await columns()).not.toContain('_arch_v2_hours');
  });

  it('refuses the publish until the loss is confirmed, then keeps the old values archived', async () => {
    const before = await columns();
    const refused = await api.post('/api/meta/publish', { modules: ['ticket'] });
    const problem = expectProblem(refused, 409, ['/modules/ticket/fields/1/type']);
    expect(problem.errors[0]).toMatchObject({ code: 'data-loss' });
    expect(await columns()).toEqual(before);
    expect((await api.get<{ hours: unknown }>(`/api/modules/ticket/records/${ids.c}`)).body.hours).toBe(
      ' 12 ',
    );

    const badFlag = await api.post('/api/meta/publish', { modules: ['ticket'], confirmDataLoss: 'yes' });
    expectProblem(badFlag, 422, ['/confirmDataLoss']);

    const published = await api.post<PreviewBody & { published: boolean }>('/api/meta/publish', {
      modules: ['ticket'],
      confirmDataLoss: true,
    });
    expect(published.status).toBe(200);
    expect(published.body.steps.find((s) => s.conversion)?.conversion?.unconvertible).toBe(2);
    const read = async (id: string) =>
      (await api.get<{ hours: unknown }>(`/api/modules/ticket/records/${id}`)).body.hours;
    expect([await read(ids.a), await read(ids.b), await read(ids.c), await read(ids.d)]).toEqual([
      3,
      null,
      12,
      null,
    ]);
    expect(await columns()).toContain('_arch_v2_hours');
  });

  it('lists and purges archived data for administrators only, logged', async () => {
    expect((await userApi.get('/api/meta/modules/ticket/archived-columns')).status).toBe(403);
    expect((await userApi.delete('/api/meta/modules/ticket/archived-columns')).status).toBe(403);
    const listed = await api.get<ArchivedData[]>('/api/meta/modules/ticket/archived-columns');
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject([
      {
        columns: ['_arch_v2_hours'],
        field: { id: 't_hours', name: 'hours', type: 'text' },
        version: 2,
        reason: 'typeChange',
        values: 4,
      },
    ]);
    expectProblem(await api.delete('/api/meta/modules/ticket/archived-columns/_arch_v9_nothing'), 404);
    expectProblem(await api.get('/api/meta/modules/nothing/archived-columns'), 404);

    const purged = await api.delete<{ purged: ArchivedData[] }>(
      '/api/meta/modules/ticket/archived-columns/_arch_v2_hours',
    );
    expect(purged.status).toBe(200);
    expect(purged.body.purged.map((p) => p.columns)).toEqual([['_arch_v2_hours']]);
    expect(await columns()).not.toContain('_arch_v2_hours');
    expect((await api.get('/api/meta/modules/ticket/archived-columns')).body).toEqual([]);
    const log = await api.get<Page<OperationEntry>>('/api/admin/operation-log?action=archive.purge');
    expect(log.body.data).toMatchObject([
      { action: 'archive.purge', module: 'ticket', details: { purged: [{ field: 'hours', version: 2 }] } },
    ]);
    // the OpenAPI document describes the new endpoints and the confirmation
    const document = await api.get<{ paths: Record<string, unknown>; components: { schemas: object } }>(
      '/api/openapi.json',
    );
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/meta/modules/{module}/archived-columns',
        '/api/meta/modules/{module}/archived-columns/{column}',
      ]),
    );
    expect(JSON.stringify(document.body.components.schemas)).toContain('confirmDataLoss');
  });
});
