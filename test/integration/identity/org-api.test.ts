import type { Department, Page, Position, User } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectProblem, loginAs, tokenFor } from '../../support/api.ts';
import { forEachDatabase } from '../../support/engines.ts';

const PASSWORD = 'Org-api-pass-1';
const MISSING = '01890000-0000-7000-8000-00000000dead';

forEachDatabase('organisation API', (handle) => {
  let admin: ApiClient;

  beforeAll(async () => {
    admin = apiClient(handle());
  });

  it('is for admins only: 403 for everyone else, by session or token', async () => {
    const { users } = handle().workspace.identity;
    const clerk = await users.create({ username: 'org.clerk', displayName: 'Clerk', password: PASSWORD });
    const { api } = await loginAs(handle(), 'org.clerk', PASSWORD);
    const token = apiClient(handle(), { auth: { token: await tokenFor(handle(), clerk.id) } });
    for (const path of [
      '/api/org/users',
      '/api/org/departments',
      '/api/org/login-history',
      '/api/org/security',
    ]) {
      expect(expectProblem(await api.get(path), 403).errors[0].code, path).toBe('admin-only');
      expectProblem(await token.get(path), 403);
    }
    expectProblem(await api.post('/api/org/users', { username: 'x', displayName: 'x' }), 403);
    expectProblem(
      await api.post(`/api/org/users/${clerk.id}/password`, { password: 'Hijacked-pass-1' }),
      403,
    );
  });

  it('builds and reshapes the department tree', async () => {
    const created = await admin.post<Department>('/api/org/departments', {
      name: { en: 'Head office', 'zh-CN': '总部' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/org/departments/${created.body.id}`);
    const root = created.body;
    const sales = (
      await admin.post<Department>('/api/org/departments', { name: { en: 'Sales' }, parentId: root.id })
    ).body;
    const east = (
      await admin.post<Department>('/api/org/departments', { name: { en: 'East' }, parentId: sales.id })
    ).body;
    const branch = (await admin.post<Department>('/api/org/departments', { name: { en: 'Branch' } })).body;

    const moved = await admin.post<Department>(`/api/org/departments/${sales.id}/move`, {
      parentId: branch.id,
    });
    expect(moved.body.path).toBe(`/${branch.id}/${sales.id}/`);
    expect((await admin.get<Department>(`/api/org/departments/${east.id}`)).body.path).toBe(
      `/${branch.id}/${sales.id}/${east.id}/`,
    );
    const cycle = expectProblem(
      await admin.post(`/api/org/departments/${branch.id}/move`, { parentId: east.id }),
      422,
      ['/parentId'],
    );
    expect(cycle.errors[0].messages?.['zh-CN']).toContain('下级');
    expectProblem(await admin.post(`/api/org/departments/${branch.id}/move`, {}), 422, ['/parentId']);
    expect((await admin.get<Department[]>(`/api/org/departments/${branch.id}/subtree`)).body).toHaveLength(3);

    const renamed = await admin.patch<Department>(`/api/org/departments/${east.id}`, {
      name: { en: 'East China', 'zh-CN': '华东' },
      sort: 3,
    });
    expect(renamed.body).toMatchObject({ name: { en: 'East China', 'zh-CN': '华东' }, sort: 3 });
    expectProblem(await admin.patch(`/api/org/departments/${east.id}`, { parentId: root.id }), 422, [
      '/parentId',
    ]);
    expectProblem(await admin.patch(`/api/org/departments/${east.id}`, { headId: MISSING }), 422, [
      '/headId',
    ]);
    expectProblem(await admin.get(`/api/org/departments/${MISSING}`), 404);
    expectProblem(await admin.get('/api/org/departments/not-an-id'), 404);
    expectProblem(await admin.post(`/api/org/departments/${sales.id}/archive`), 409);
    expect((await admin.post<Department>(`/api/org/departments/${east.id}/archive`)).body.archived).toBe(
      true,
    );
    const listed = await admin.get<Department[]>('/api/org/departments');
    expect(listed.body.map((d) => d.id)).not.toContain(east.id);
    const all = await admin.get<Department[]>('/api/org/departments?includeArchived=true');
    expect(all.body.map((d) => d.id)).toContain(east.id);
    expectProblem(await admin.get('/api/org/departments?archived=true'), 400, ['/archived']);
  });

  it('manages people: create, update, managers, leave, reinstate', async () => {
    const dept = (await admin.post<Department>('/api/org/departments', { name: { en: 'People' } })).body;
    const position = await admin.post<Position>('/api/org/positions', {
      name: { en: 'Manager', 'zh-CN': '经理' },
    });
    expect(position.status).toBe(201);
    const boss = (
      await admin.post<User>('/api/org/users', {
        username: 'p.boss',
        displayName: 'Boss',
        departmentId: dept.id,
        positionId: position.body.id,
      })
    ).body;
    const worker = await admin.post<User>('/api/org/users', {
      username: 'p.worker',
      displayName: 'Worker',
      email: 'worker@example.com',
      managerId: boss.id,
      departmentId: dept.id,
      password: PASSWORD,
    });
    expect(worker.status).toBe(201);
    expect(worker.body).toMatchObject({ managerId: boss.id, status: 'active', hasPassword: true });
    expect(worker.body).not.toHaveProperty('passwordHash');
    expect(JSON.stringify(worker.body)).not.toContain('argon2');

    expectProblem(await admin.patch(`/api/org/users/${boss.id}`, { managerId: worker.body.id }), 422, [
      '/managerId',
    ]);
    expectProblem(await admin.post('/api/org/users', { username: 'p.worker', displayName: 'Again' }), 409, [
      '/username',
    ]);
    expectProblem(
      await admin.post('/api/org/users', { username: 'x y', displayName: '', email: 'nope' }),
      422,
      ['/username', '/displayName', '/email'],
    );
    expectProblem(await admin.patch(`/api/org/users/${boss.id}`, { username: 'renamed' }), 422, [
      '/username',
    ]);
    const updated = await admin.patch<User>(`/api/org/users/${worker.body.id}`, {
      locale: 'zh-CN',
      phone: '021-1234',
    });
    expect(updated.body).toMatchObject({ locale: 'zh-CN', phone: '021-1234' });
    expect((await admin.get<string[]>(`/api/org/users/${worker.body.id}/managers?levels=3`)).body).toEqual([
      { id: boss.id, username: 'p.boss', displayName: 'Boss' },
    ]);
    expectProblem(await admin.delete(`/api/org/positions/${position.body.id}`), 409);

    const page = await admin.get<Page<User>>(`/api/org/users?department=${dept.id}&count=true&limit=1`);
    expect(page.body.total).toBe(2);
    expect(page.body.data.map((u) => u.username)).toEqual(['p.boss']);
    const next = await admin.get<Page<User>>(
      `/api/org/users?department=${dept.id}&limit=1&cursor=${page.body.nextCursor}`,
    );
    expect(next.body.data.map((u) => u.username)).toEqual(['p.worker']);
    expectProblem(await admin.get('/api/org/users?status=gone'), 400, ['/status']);
    expectProblem(await admin.get('/api/org/users?limit=0'), 400, ['/limit']);

    const left = await admin.post<User>(`/api/org/users/${worker.body.id}/leave`);
    expect(left.body.status).toBe('left');
    expect((await admin.get<Page<User>>('/api/org/users?status=left')).body.data.map((u) => u.id)).toContain(
      worker.body.id,
    );
    expect((await admin.post<User>(`/api/org/users/${worker.body.id}/reinstate`)).body.status).toBe('active');
    expectProblem(await admin.post(`/api/org/users/${MISSING}/leave`), 404);
  });

  it('never leaves the workspace without an active admin', async () => {
    const me = await admin.get<{ user: User }>('/api/auth/me');
    const refused = expectProblem(await admin.post(`/api/org/users/${me.body.user.id}/leave`), 409);
    expect(refused.errors[0].code).toBe('last-admin');
    expectProblem(await admin.patch(`/api/org/users/${me.body.user.id}`, { isAdmin: false }), 409);
  });

  it('assigns roles to users and departments and shows what a user ends up with', async () => {
    const { roles } = handle().workspace.identity;
    await roles.ensureRole({ id: 'org_sales', label: { en: 'Sales' } });
    await roles.ensureRole({ id: 'org_viewer', label: { en: 'Viewer' } });
    const top = (await admin.post<Department>('/api/org/departments', { name: { en: 'Role top' } })).body;
    const below = (
      await admin.post<Department>('/api/org/departments', { name: { en: 'Role below' }, parentId: top.id })
    ).body;
    const user = (
      await admin.post<User>('/api/org/users', {
        username: 'r.user',
        displayName: 'R',
        departmentId: below.id,
      })
    ).body;
    expect(
      (await admin.post('/api/org/role-assignments', { roleId: 'org_viewer', departmentId: top.id })).status,
    ).toBe(201);
    expect(
      (await admin.post('/api/org/role-assignments', { roleId: 'org_sales', userId: user.id })).status,
    ).toBe(201);
    expect((await admin.get(`/api/org/users/${user.id}/roles`)).body).toEqual(['org_sales', 'org_viewer']);
    expect((await admin.get(`/api/org/role-assignments?departmentId=${top.id}`)).body).toEqual([
      { roleId: 'org_viewer', departmentId: top.id, includeChildren: true },
    ]);
    expectProblem(await admin.post('/api/org/role-assignments', { roleId: 'nope', userId: user.id }), 422, [
      '/roleId',
    ]);
    expectProblem(await admin.post('/api/org/role-assignments', { roleId: 'org_sales' }), 422, [
      '/departmentId',
    ]);
    expectProblem(
      await admin.post('/api/org/role-assignments', { roleId: 'org_sales', userId: MISSING }),
      422,
      ['/userId'],
    );
    const removed = await admin.delete(`/api/org/role-assignments?roleId=org_viewer&departmentId=${top.id}`);
    expect(removed.status).toBe(204);
    expect((await admin.get(`/api/org/users/${user.id}/roles`)).body).toEqual(['org_sales']);
    expectProblem(
      await admin.delete(`/api/org/role-assignments?roleId=org_viewer&departmentId=${top.id}`),
      404,
    );
  });

  it('shows the security settings with their defaults', async () => {
    const settings = await admin.get('/api/org/security');
    expect(settings.body).toEqual({
      passwordPolicy: {
        minLength: 10,
        letters: true,
        digits: true,
        uppercase: false,
        lowercase: false,
        symbols: false,
        notUsername: true,
      },
      sessions: { idleMinutes: 720, absoluteHours: 168 },
      lockout: { threshold: 5, baseSeconds: 60, maxSeconds: 3600 },
      ipAllowlist: { workspace: [], roles: {} },
    });
    expectProblem(
      await admin.patch('/api/org/security', { lockout: { baseSeconds: 600, maxSeconds: 60 } }),
      422,
      ['/lockout/maxSeconds'],
    );
  });
});
