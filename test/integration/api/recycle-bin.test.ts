// The recycle bin and reverting to a version, through HTTP: status codes, problems and documentation.
import type { HistoryEntry, Page, StoredRecord } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectProblem, tokenFor } from '../../support/api.ts';
import { customerModule } from '../../support/api-fixtures.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { organisation } from '../../support/org.ts';

forEachDatabase('REST API recycle bin', (handle) => {
  let api: ApiClient;
  let rep: ApiClient;
  const records = (rest = '') => `/api/modules/customer/records${rest}`;
  const bin = (rest = '') => `/api/modules/customer/recycle-bin${rest}`;

  beforeAll(async () => {
    api = apiClient(handle());
    expect((await api.post('/api/meta/modules', customerModule)).status).toBe(201);
    expect((await api.post('/api/meta/publish', {})).status).toBe(200);
    const org = organisation(handle());
    const user = await org.user('bin_rep');
    await org.role({
      id: 'bin_rep',
      label: { en: 'Rep' },
      modules: { [customerModule.id]: { read: 'own', create: 'own', update: 'own', delete: 'own' } },
    });
    await org.grant(user, 'bin_rep');
    rep = apiClient(handle(), { auth: { token: await tokenFor(handle(), user.id) } });
  });

  it('deletes into the bin, lists it, restores with the new version as ETag', async () => {
    const created = await rep.post<StoredRecord>(records(), { name: '回收站客户' });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await rep.delete(records(`/${id}`))).status).toBe(204);
    expectProblem(await rep.get(records(`/${id}`)), 404);

    const listed = await rep.get<Page<StoredRecord & { deleted_at: string }>>(bin());
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((r) => [r.id, r.name])).toEqual([[id, '回收站客户']]);
    expect(typeof listed.body.data[0].deleted_at).toBe('string');

    const restored = await rep.post<StoredRecord>(bin(`/${id}/restore`));
    expect(restored.status).toBe(200);
    expect(restored.headers.get('etag')).toBe('"3"');
    expect(restored.body).toMatchObject({ id, version: 3, name: '回收站客户' });
    expect((await rep.get(records(`/${id}`))).status).toBe(200);
    expectProblem(await rep.post(bin(`/${id}/restore`)), 404);
  });

  it('purges for administrators only, one record or the whole bin', async () => {
    const one = (await rep.post<StoredRecord>(records(), { name: 'Purge one' })).body.id;
    const two = (await rep.post<StoredRecord>(records(), { name: 'Purge two' })).body.id;
    await rep.delete(records(`/${one}`));
    await rep.delete(records(`/${two}`));
    expectProblem(await rep.delete(bin(`/${one}`)), 403);
    expect((await api.delete(bin(`/${one}`))).status).toBe(204);
    expectProblem(await api.delete(bin(`/${one}`)), 404);
    expectProblem(await api.delete(bin('?deletedBefore=yesterday')), 400, ['/deletedBefore']);
    const emptied = await api.delete<{ purged: number }>(bin());
    expect(emptied).toMatchObject({ status: 200, body: { purged: 1 } });
    expect((await api.get<Page<StoredRecord>>(bin())).body.data).toEqual([]);
  });

  it('reverts to an earlier version, honouring If-Match and refusing versions that are not earlier', async () => {
    const id = (await rep.post<StoredRecord>(records(), { name: 'Before', employees: 5 })).body.id;
    await rep.patch(records(`/${id}`), { name: 'After', employees: 50 });
    expectProblem(
      await rep.post(records(`/${id}/history/1/revert`), undefined, { headers: { 'if-match': '"1"' } }),
      409,
      ['/version'],
    );
    expectProblem(await rep.post(records(`/${id}/history/2/revert`)), 422, ['/version']);
    expectProblem(await rep.post(records(`/${id}/history/x/revert`)), 400, ['/version']);
    const reverted = await rep.post<StoredRecord>(records(`/${id}/history/1/revert`), undefined, {
      headers: { 'if-match': '"2"' },
    });
    expect(reverted).toMatchObject({ status: 200, body: { version: 3, name: 'Before', employees: 5 } });
    const history = await rep.get<HistoryEntry[]>(records(`/${id}/history`));
    expect(history.body[0]).toMatchObject({ op: 'revert', revertedTo: 1 });
  });

  it('documents the bin and revert operations', async () => {
    const doc = await api.get<{ paths: Record<string, Record<string, { operationId: string }>> }>(
      '/api/openapi.json',
    );
    expect(doc.body.paths['/api/modules/customer/recycle-bin'].get.operationId).toBe('binListCustomer');
    expect(doc.body.paths['/api/modules/customer/recycle-bin/{id}/restore'].post.operationId).toBe(
      'binRestoreCustomer',
    );
    expect(doc.body.paths['/api/modules/customer/records/{id}/history/{version}/revert'].post).toBeDefined();
  });
});
