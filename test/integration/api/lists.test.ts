// What the list view needs from the API: each user's private saved views, bulk edit and delete (all or
// nothing, each failed record named), and the export as an .xlsx workbook.
import type { StoredRecord } from '@crm/engine';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectProblem, testAdmin, tokenFor } from '../../support/api.ts';
import { customerModule } from '../../support/api-fixtures.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { rawRows } from '../../support/sql.ts';

interface View {
  id: string;
  module: string;
  name: string;
  filter?: unknown;
  sort?: string;
  columns?: string[];
}

forEachDatabase('list views, bulk changes and xlsx export over the API', (handle) => {
  let api: ApiClient;
  let other: ApiClient;
  const ids: string[] = [];

  beforeAll(async () => {
    api = apiClient(handle());
    expect((await api.post('/api/meta/modules', customerModule)).status).toBe(201);
    expect((await api.post('/api/meta/publish', {})).status).toBe(200);
    for (const [i, name] of ['Acme', 'Beta', 'Gamma', 'Delta'].entries()) {
      const created = await api.post<StoredRecord>('/api/modules/customer/records', {
        name,
        level: 'b',
        employees: (i + 1) * 10,
        credit: { amount: 1000 * (i + 1), currency: 'CNY' },
      });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    const user = await handle().workspace.identity.users.create({
      username: 'lister',
      password: 'Lister-passw0rd',
      displayName: 'Lister',
      isAdmin: true,
    });
    other = apiClient(handle(), { auth: { token: await tokenFor(handle(), user.id) } });
  });

  describe('saved views', () => {
    it('saves, lists, renames and deletes a view of the owner only', async () => {
      const created = await api.post<View>('/api/views', {
        module: 'customer',
        name: 'Big ones',
        filter: { field: 'employees', op: 'gte', value: 20 },
        sort: '-employees',
        columns: ['name', 'employees'],
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ module: 'customer', name: 'Big ones', sort: '-employees' });
      const listed = await api.get<View[]>('/api/views?module=customer');
      expect(listed.body.map((v) => v.name)).toEqual(['Big ones']);

      // private: another user neither lists, reads, changes nor deletes it
      expect((await other.get<View[]>('/api/views?module=customer')).body).toEqual([]);
      expectProblem(await other.get(`/api/views/${created.body.id}`), 404);
      expectProblem(await other.patch(`/api/views/${created.body.id}`, { name: 'Mine' }), 404);
      expectProblem(await other.delete(`/api/views/${created.body.id}`), 404);
      // and may use the same name for a view of their own
      expect((await other.post('/api/views', { module: 'customer', name: 'Big ones' })).status).toBe(201);

      const renamed = await api.patch<View>(`/api/views/${created.body.id}`, { name: 'Large', sort: 'name' });
      expect(renamed.body).toMatchObject({ name: 'Large', sort: 'name', columns: ['name', 'employees'] });
      expect(renamed.body.filter).toEqual({ field: 'employees', op: 'gte', value: 20 });
      expect((await api.delete(`/api/views/${created.body.id}`)).status).toBe(204);
      expect((await api.get<View[]>('/api/views?module=customer')).body).toEqual([]);
    });

    it('names what is wrong with a view and saves nothing', async () => {
      expectProblem(await api.post('/api/views', { module: 'customer' }), 422, ['/name']);
      expectProblem(
        await api.post('/api/views', {
          module: 'customer',
          name: 'x',
          filter: { field: 'ghost', op: 'eq', value: 1 },
        }),
        400,
        ['/filter/field'],
      );
      expectProblem(await api.post('/api/views', { module: 'customer', name: 'x', sort: 'tags' }), 400, [
        '/sort/0',
      ]);
      const columns = expectProblem(
        await api.post('/api/views', { module: 'customer', name: 'x', columns: ['name', 'nope'] }),
        422,
        ['/columns/1'],
      );
      expect(columns.errors[0].messages?.['zh-CN']).toContain('nope');
      expectProblem(await api.post('/api/views', { module: 'nowhere', name: 'x' }), 404);
      expectProblem(await api.get('/api/views'), 400, ['/module']);
      await api.post('/api/views', { module: 'customer', name: 'Dup' });
      const dup = expectProblem(await api.post('/api/views', { module: 'customer', name: 'dup' }), 409, [
        '/name',
      ]);
      expect(dup.errors[0].messages?.['zh-CN']).toBeDefined();
      const rows = await rawRows(
        handle().engine,
        `SELECT name FROM ${handle().workspace.schema}._saved_views`,
      );
      expect(rows.map((r) => r.name).sort()).toEqual(['Big ones', 'Dup']);
    });
  });

  describe('bulk changes', () => {
    it('sets one field on many records, each with its history entry', async () => {
      const done = await api.post<{ updated: number; records: StoredRecord[] }>(
        '/api/modules/customer/records/bulk',
        {
          action: 'update',
          ids: ids.slice(0, 3),
          patch: { level: 'a' },
        },
      );
      expect(done.status).toBe(200);
      expect(done.body.updated).toBe(3);
      expect(done.body.records.map((r) => [r.level, r.version])).toEqual([
        ['a', 2],
        ['a', 2],
        ['a', 2],
      ]);
      const history = await api.get<{ op: string }[]>(`/api/modules/customer/records/${ids[0]}/history`);
      expect(history.body.map((h) => h.op)).toContain('update');
    });

    it('changes nothing when any record fails, and names each failed record', async () => {
      const missing = '00000000-0000-4000-8000-000000000000';
      const refused = expectProblem(
        await api.post('/api/modules/customer/records/bulk', {
          action: 'update',
          ids: [ids[3], missing, ids[0]],
          // a unique field set to one value on many records: the second and later fail in the database
          patch: { name: 'Same' },
        }),
        422,
        ['/ids/1', '/ids/2'],
      );
      const failed = refused.records as { id: string; index: number; errors: { pointer: string }[] }[];
      expect(failed.map((r) => r.index)).toEqual([1, 2]);
      expect(failed[1].errors[0].pointer).toBe('/name');
      expect(refused.errors[0].messages?.['zh-CN']).toContain('记录');
      const names = await api.get<{ data: StoredRecord[] }>('/api/modules/customer/records?sort=name');
      expect(names.body.data.map((r) => r.name)).toEqual(['Acme', 'Beta', 'Delta', 'Gamma']);
      // a value the field refuses: every record named, nothing written
      const invalid = expectProblem(
        await api.post('/api/modules/customer/records/bulk', {
          action: 'update',
          ids,
          patch: { employees: -1 },
        }),
        422,
        ['/ids/0', '/ids/3'],
      );
      expect((invalid.records as unknown[]).length).toBe(4);
    });

    it('deletes many records into the recycle bin, all or nothing', async () => {
      const missing = '00000000-0000-4000-8000-000000000001';
      expectProblem(
        await api.post('/api/modules/customer/records/bulk', { action: 'delete', ids: [ids[2], missing] }),
        422,
        ['/ids/1'],
      );
      expect((await api.get(`/api/modules/customer/records/${ids[2]}`)).status).toBe(200);
      const done = await api.post<{ deleted: number }>('/api/modules/customer/records/bulk', {
        action: 'delete',
        ids: [ids[2], ids[3]],
      });
      expect(done.body).toEqual({ deleted: 2 });
      const bin = await api.get<{ data: StoredRecord[] }>('/api/modules/customer/recycle-bin');
      expect(bin.body.data.map((r) => r.id).sort()).toEqual([ids[2], ids[3]].sort());
    });

    it('refuses malformed requests with pointers', async () => {
      const post = (body: unknown) => api.post('/api/modules/customer/records/bulk', body);
      expectProblem(await post({ action: 'merge', ids }), 422, ['/action']);
      expectProblem(await post({ action: 'update', ids }), 422, ['/patch']);
      expectProblem(await post({ action: 'delete', ids: [] }), 422, ['/ids']);
      expectProblem(await post({ action: 'delete', ids: ['nope'] }), 422, ['/ids/0']);
      expectProblem(await post({ action: 'delete', ids: [ids[0], ids[0]] }), 422, ['/ids/1']);
      expectProblem(await post({ action: 'delete', ids, extra: 1 }), 422, ['/extra']);
      expectProblem(await api.post('/api/modules/nowhere/records/bulk', { action: 'delete', ids }), 404);
    });
  });

  it('exports the list as an xlsx workbook with numbers as numbers', async () => {
    const response = await api.app.request('/api/modules/customer/records/export?format=xlsx&sort=name', {
      headers: { authorization: `Bearer ${(await testAdmin(handle())).token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(response.headers.get('content-disposition')).toContain('customer.xlsx');
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    const sheet = strFromU8(files['xl/worksheets/sheet1.xml']);
    expect(sheet).toContain('Acme');
    expect(sheet).toContain('Beta');
    expect(sheet).not.toContain('Gamma'); // deleted above
    // employees is a number cell (no t="s"/"inlineStr" type), holding 10
    expect(sheet).toMatch(/<c r="[A-Z]+2"[^>]*><v>10<\/v><\/c>/);
    expectProblem(await api.get('/api/modules/customer/records/export?format=pdf'), 400, ['/format']);
  });
});
