// The permission matrix through the HTTP API: every operation × scope, each user calling with a
// personal token of their own; field-level denial in list, get, export, filter and history; the
// roles, shares, assign and operation-log endpoints.
import { OPERATIONS, SCOPES, type StoredRecord } from '@crm/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildTree,
  customerDefinition,
  dealDefinition,
  inScope,
  role,
  type Tree,
} from '../../support/access-fixtures.ts';
import { type ApiClient, apiClient, expectProblem, tokenFor } from '../../support/api.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { type FixtureDepartment, type FixtureUser, organisation } from '../../support/org.ts';

const MODULE = customerDefinition.id;
const records = (rest = '') => `/api/modules/customer/records${rest}`;

forEachDatabase('HTTP access matrix', (handle) => {
  let admin: ApiClient;
  let tree: Tree;
  const departments = new Map<string, FixtureDepartment>();
  let owners: (FixtureUser | null)[];
  const actors = new Map<string, { user: FixtureUser; api: ApiClient }>();
  let batchNumber = 0;

  const clientOf = async (user: FixtureUser) =>
    apiClient(handle(), { auth: { token: await tokenFor(handle(), user.id) } });

  beforeAll(async () => {
    admin = apiClient(handle());
    expect((await admin.post('/api/meta/modules', customerDefinition)).status).toBe(201);
    expect((await admin.post('/api/meta/modules', dealDefinition)).status).toBe(201);
    expect((await admin.post('/api/meta/publish')).status).toBe(200);
    tree = await buildTree(handle());
    for (const d of Object.values(tree)) departments.set(d.id, d);
    const org = organisation(handle());
    owners = [
      await org.user('h_colleague', { department: tree.shanghai }),
      await org.user('h_below', { department: tree.team }),
      await org.user('h_above', { department: tree.east }),
      await org.user('h_beside', { department: tree.west }),
      null,
    ];
    for (const operation of OPERATIONS) {
      for (const scope of SCOPES) {
        const id = `${operation}_${scope}`;
        const created = await admin.post(
          '/api/roles',
          role(id, MODULE, { read: operation === 'read' ? scope : 'all', [operation]: scope }),
        );
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        const user = await org.user(`h_${id}`, { department: tree.shanghai });
        await org.grant(user, id);
        actors.set(id, { user, api: await clientOf(user) });
      }
    }
  });

  async function targets(actor: FixtureUser) {
    const batch = `h${++batchNumber}`;
    const list: { owner: FixtureUser | null; id: string }[] = [];
    for (const owner of [actor, ...owners]) {
      const created = await admin.post<StoredRecord>(records(), {
        name: `${batch} ${owner?.username ?? 'nobody'}`,
        batch,
        ...(owner ? { owner: owner.id } : {}),
      });
      expect(created.status).toBe(201);
      // the admin's create names them as owner unless told: give 'nobody' records no owner
      if (!owner) await handle().workspace.records.update('customer', created.body.id, {}, { userId: null });
      list.push({ owner: owner ?? null, id: created.body.id });
    }
    return { batch, list };
  }

  const allowed = (scope: (typeof SCOPES)[number], actor: FixtureUser, owner: FixtureUser | null) =>
    inScope(scope, actor, owner, departments);

  describe.each(SCOPES)('scope %s', (scope) => {
    it('read: list and count, get, history: exactly the records in scope, 404 for the others', async () => {
      const { user, api } = actors.get(`read_${scope}`) as { user: FixtureUser; api: ApiClient };
      const { batch, list } = await targets(user);
      const adminOwned = list.map((t) => ({ ...t, owner: t.owner }));
      const expected = adminOwned.filter((t) => allowed(scope, user, t.owner)).map((t) => t.id);
      const filter = encodeURIComponent(JSON.stringify({ field: 'batch', op: 'eq', value: batch }));
      const page = await api.get<{ data: StoredRecord[]; total: number }>(
        records(`?filter=${filter}&count=true`),
      );
      expect(page.status).toBe(200);
      expect(page.body.data.map((r) => r.id).sort()).toEqual([...expected].sort());
      expect(page.body.total).toBe(expected.length);
      for (const target of list) {
        const visible = expected.includes(target.id);
        expect((await api.get(records(`/${target.id}`))).status).toBe(visible ? 200 : 404);
        expect((await api.get(records(`/${target.id}/history`))).status).toBe(visible ? 200 : 404);
        expect((await api.get(records(`/${target.id}/shares`))).status).toBe(visible ? 200 : 404);
        expect((await api.patch(records(`/${target.id}`), { credit: 1 })).status).toBe(visible ? 403 : 404);
        expect((await api.delete(records(`/${target.id}`))).status).toBe(visible ? 403 : 404);
      }
    });

    it.each(['update', 'delete', 'share', 'assign'] as const)(
      '%s: in scope yes, out of scope 403',
      async (operation) => {
        const { user, api } = actors.get(`${operation}_${scope}`) as { user: FixtureUser; api: ApiClient };
        const colleague = owners[0] as FixtureUser;
        const { list } = await targets(user);
        for (const target of list) {
          const response = await {
            update: () => api.patch(records(`/${target.id}`), { credit: 7 }),
            delete: () => api.delete(records(`/${target.id}`)),
            share: () =>
              api.post(records(`/${target.id}/shares`), {
                principalType: 'user',
                principalId: colleague.id,
                access: 'read',
              }),
            assign: () => api.post(records(`/${target.id}/assign`), { owner: user.id }),
          }[operation]();
          const ok = allowed(scope, user, target.owner);
          const success = { update: 200, delete: 204, share: 201, assign: 200 }[operation];
          if (ok) expect(response.status, JSON.stringify(response.body)).toBe(success);
          else expectProblem(response, 403);
        }
      },
    );

    it('create: granted in any scope, the actor owns what they create', async () => {
      const { user, api } = actors.get(`create_${scope}`) as { user: FixtureUser; api: ApiClient };
      const created = await api.post<StoredRecord>(records(), { name: 'created over HTTP' });
      expect(created.status).toBe(201);
      expect(created.body.owner).toBe(user.id);
      expectProblem(
        await api.post(records(), { name: 'given away', owner: (owners[0] as FixtureUser).id }),
        403,
      );
    });
  });

  it('refuses create without the create permission (403)', async () => {
    const { api } = actors.get('read_all') as { api: ApiClient };
    expectProblem(await api.post(records(), { name: 'nope' }), 403);
  });

  describe('fields', () => {
    let finance: ApiClient;
    let acme: StoredRecord;

    beforeAll(async () => {
      const org = organisation(handle());
      await admin.post('/api/roles', {
        id: 'h_finance',
        label: { en: 'Finance', 'zh-CN': '财务' },
        modules: { [MODULE]: { read: 'all', export: true, fields: { phone: 'none', credit: 'read' } } },
      });
      const user = await org.user('h_finance', { department: tree.finance });
      await org.grant(user, 'h_finance');
      finance = await clientOf(user);
      acme = (
        await admin.post<StoredRecord>(records(), { name: 'Acme', phone: '021-1', credit: 5, batch: 'acme' })
      ).body;
      await admin.patch(records(`/${acme.id}`), { phone: '021-2' });
    });

    it('leaves a hidden field out of list, get and history', async () => {
      const filter = encodeURIComponent(JSON.stringify({ field: 'batch', op: 'eq', value: 'acme' }));
      const page = await finance.get<{ data: StoredRecord[] }>(records(`?filter=${filter}`));
      expect(page.body.data).toHaveLength(1);
      expect(page.body.data[0]).not.toHaveProperty('phone');
      expect(page.body.data[0].credit).toBe(5);
      const one = await finance.get<StoredRecord>(records(`/${acme.id}`));
      expect(one.body).not.toHaveProperty('phone');
      const history = await finance.get<{ changes: object }[]>(records(`/${acme.id}/history`));
      expect(history.body.map((h) => Object.keys(h.changes).sort())).toEqual([
        [],
        ['batch', 'credit', 'name'],
      ]);
    });

    it('gives forms without the hidden field, and with read-only fields marked', async () => {
      const form = await finance.get<{
        jsonSchema: { properties: object };
        uiSchema: Record<string, unknown>;
      }>('/api/meta/modules/customer/schema');
      expect(form.status).toBe(200);
      expect(Object.keys(form.body.jsonSchema.properties)).not.toContain('phone');
      expect(form.body.uiSchema).not.toHaveProperty('phone');
      expect(form.body.uiSchema['ui:order']).toEqual(['name', 'credit', 'batch']);
      expect(form.body.uiSchema.credit).toMatchObject({ 'ui:readonly': true });
      const full = await admin.get<{ jsonSchema: { properties: object } }>(
        '/api/meta/modules/customer/schema',
      );
      expect(Object.keys(full.body.jsonSchema.properties)).toContain('phone');
    });

    it('answers a filter or sort by a hidden field as for an unknown one (400)', async () => {
      const hidden = await finance.get(records(`?sort=phone`));
      const unknown = await finance.get(records(`?sort=phonx`));
      expectProblem(hidden, 400, ['/sort/0']);
      expect(JSON.stringify(hidden.body).replaceAll('phone', 'phonx')).toBe(
        JSON.stringify(unknown.body).replace(records('?sort=phonx'), records('?sort=phonx')),
      );
      const filter = (field: string) =>
        finance.get(records(`?filter=${encodeURIComponent(JSON.stringify({ field, op: 'notEmpty' }))}`));
      const byHidden = await filter('phone');
      expectProblem(byHidden, 400, ['/filter/field']);
      expect((byHidden.body as { detail: string }).detail).toBe(
        ((await filter('phonx')).body as { detail: string }).detail.replaceAll('phonx', 'phone'),
      );
      expectProblem(await finance.patch(records(`/${acme.id}`), { credit: 6 }), 403);
    });

    it('exports without the hidden field, as CSV and as JSON lines, and only with the export permission', async () => {
      const filter = encodeURIComponent(JSON.stringify({ field: 'batch', op: 'eq', value: 'acme' }));
      const csv = await finance.get<string>(records(`/export?filter=${filter}`));
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      const [header, row, ...rest] = csv.body.trim().split('\n');
      expect(header.split(',')).toEqual([
        'id',
        'version',
        'owner',
        'created_at',
        'created_by',
        'updated_at',
        'updated_by',
        'name',
        'credit',
        'batch',
      ]);
      expect(row).toContain('Acme');
      // the hidden phone (021-2) is absent: the row holds exactly the header's columns
      expect(row.split(',')).toHaveLength(header.split(',').length);
      expect(row.split(',')).not.toContain('021-2');
      expect(rest).toEqual([]);
      const lines = await finance.get<unknown>(records(`/export?format=jsonl&filter=${filter}`));
      expect(lines.headers.get('content-type')).toMatch(/^application\/jsonl/);
      // (the test client parses a body of one JSON line as JSON)
      const text = typeof lines.body === 'string' ? lines.body : JSON.stringify(lines.body);
      const parsed = text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(parsed).toHaveLength(1);
      expect(parsed[0]).not.toHaveProperty('phone');
      const { api } = actors.get('read_all') as { api: ApiClient };
      expectProblem(await api.get(records('/export')), 403);
      expectProblem(await finance.get(records('/export?format=xml')), 400, ['/format']);
      expectProblem(await finance.get(records('/export?limit=5')), 400);
    });
  });

  describe('administration', () => {
    it('lets only admins manage roles and read the operation log', async () => {
      const { api } = actors.get('read_all') as { api: ApiClient };
      for (const response of [
        await api.get('/api/roles'),
        await api.post('/api/roles', role('sneaky', MODULE, { read: 'all' })),
        await api.get('/api/admin/operation-log'),
        await api.post('/api/meta/publish'),
      ]) {
        expect([401, 403]).toContain(response.status);
      }
      const roles = await admin.get<{ id: string }[]>('/api/roles');
      expect(roles.body.map((r) => r.id)).toContain('read_all');
      const one = await admin.get<{ id: string; modules: object }>('/api/roles/read_all');
      expect(one.body).toMatchObject({ id: 'read_all', modules: { [MODULE]: { read: 'all' } } });
      const invalid = await admin.post('/api/roles', { id: 'x', label: { en: 'X' }, modules: { nope: {} } });
      expectProblem(invalid, 422, ['/modules/nope']);
      expect((await admin.put('/api/roles/x', { label: { en: 'X' }, modules: {} })).status).toBe(404);
      expect((await admin.post('/api/roles', role('temp', MODULE, {}))).status).toBe(201);
      expect((await admin.put('/api/roles/temp', { label: { en: 'T' }, modules: {} })).status).toBe(200);
      expect((await admin.delete('/api/roles/temp')).status).toBe(204);
      expect((await admin.get('/api/roles/temp')).status).toBe(404);
    });

    it('searches the operation log, with where each change came from', async () => {
      const log = await admin.get<{
        data: { action: string; ip: string | null; userAgent: string | null }[];
      }>('/api/admin/operation-log?action=role.delete&limit=1', { headers: {} });
      expect(log.status).toBe(200);
      expect(log.body.data).toHaveLength(1);
      expect(log.body.data[0].action).toBe('role.delete');
      expectProblem(await admin.get('/api/admin/operation-log?actor=nobody'), 400, ['/actor']);
      expectProblem(await admin.get('/api/admin/operation-log?limit=0'), 400, ['/limit']);
      expectProblem(await admin.get('/api/admin/operation-log?colour=red'), 400);
    });
  });
});
