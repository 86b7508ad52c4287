import type { ApiTokenInfo } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectProblem, loginAs, tokenFor } from '../../support/api.ts';
import { customerModule } from '../../support/api-fixtures.ts';
import { testClock } from '../../support/clock.ts';
import { forEachDatabase } from '../../support/engines.ts';

const clock = testClock();
const PASSWORD = 'Token-test-42';

forEachDatabase(
  'personal API tokens',
  (handle) => {
    let admin: ApiClient;
    let user: { id: string };
    const as = (token: string) => apiClient(handle(), { auth: { token } });

    beforeAll(async () => {
      admin = apiClient(handle());
      expect((await admin.post('/api/meta/modules', customerModule)).status).toBe(201);
      expect((await admin.post('/api/meta/publish')).status).toBe(200);
      user = await handle().workspace.identity.users.create({
        username: 'developer',
        displayName: 'Dev',
        password: PASSWORD,
        isAdmin: true,
      });
    });

    it('are made from a session, shown once, listed without their secret', async () => {
      const { api } = await loginAs(handle(), 'developer', PASSWORD);
      const created = await api.post<ApiTokenInfo & { token: string }>('/api/auth/tokens', {
        name: 'CI export',
        scopes: ['records:read'],
      });
      expect(created.status).toBe(201);
      expect(created.body.token).toMatch(/^crm_[\w-]{43}$/);
      expect(created.body).toMatchObject({
        name: 'CI export',
        scopes: ['records:read'],
        expiresAt: null,
        revokedAt: null,
      });
      const listed = await api.get<ApiTokenInfo[]>('/api/auth/tokens');
      expect(listed.body.find((t) => t.id === created.body.id)).toMatchObject({
        name: 'CI export',
        lastUsedAt: null,
      });
      expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
      expect(JSON.stringify(listed.body)).not.toContain(created.body.token.slice(4));

      expect((await as(created.body.token).get('/api/modules/customer/records')).status).toBe(200);
      const used = (await api.get<ApiTokenInfo[]>('/api/auth/tokens')).body.find(
        (t) => t.id === created.body.id,
      );
      expect(used?.lastUsedAt).not.toBeNull();
      expectProblem(await api.post('/api/auth/tokens', { name: '', scopes: ['everything'] }), 422, [
        '/name',
        '/scopes/0',
      ]);
      expectProblem(await api.post('/api/auth/tokens', { name: 'x', scopes: [] }), 422, ['/scopes']);
    });

    it('do only what their scopes allow: reading an area, writing it, administering', async () => {
      const reader = as(await tokenFor(handle(), user.id, ['records:read']));
      const writer = as(await tokenFor(handle(), user.id, ['records:write']));
      const designer = as(await tokenFor(handle(), user.id, ['meta:read']));
      const administrator = as(await tokenFor(handle(), user.id, ['admin']));

      expect((await reader.get('/api/modules/customer/records')).status).toBe(200);
      const refused = expectProblem(
        await reader.post('/api/modules/customer/records', { name: 'Nope' }),
        403,
      );
      expect(refused.errors[0]).toMatchObject({ code: 'scope', messages: { 'zh-CN': expect.any(String) } });
      expectProblem(await reader.get('/api/meta/modules'), 403);
      expectProblem(await reader.get('/api/org/users'), 403);

      expect((await writer.post('/api/modules/customer/records', { name: 'Written by token' })).status).toBe(
        201,
      );
      expect((await writer.get('/api/modules/customer/records')).status).toBe(200); // write covers read
      expectProblem(await writer.delete('/api/meta/modules/customer/draft'), 403);

      expect((await designer.get('/api/meta/modules')).status).toBe(200);
      expectProblem(await designer.post('/api/meta/publish'), 403);
      expectProblem(await designer.get('/api/modules/customer/records'), 403);

      expect((await administrator.get('/api/org/users')).status).toBe(200);
      expectProblem(await administrator.get('/api/modules/customer/records'), 403);

      // every token may ask who it is; only an admin-scoped one may manage credentials
      for (const api of [reader, writer, designer, administrator]) {
        expect((await api.get('/api/auth/me')).status).toBe(200);
      }
      expectProblem(await reader.post('/api/auth/tokens', { name: 'escalate', scopes: ['admin'] }), 403);
      expectProblem(await reader.get('/api/auth/tokens'), 403);
      expect((await administrator.get('/api/auth/tokens')).status).toBe(200);
    });

    it('never carry more than the user has: only admins get the admin scope', async () => {
      const { users } = handle().workspace.identity;
      const clerk = await users.create({ username: 'clerk', displayName: 'Clerk', password: PASSWORD });
      const { api } = await loginAs(handle(), 'clerk', PASSWORD);
      expectProblem(
        await api.post('/api/auth/tokens', { name: 'x', scopes: ['records:read', 'admin'] }),
        422,
        ['/scopes/1'],
      );
      const token = await tokenFor(handle(), clerk.id, ['records:read']);
      const me = await as(token).get<{ via: string; scopes: string[]; user: { id: string } }>('/api/auth/me');
      expect(me.body).toMatchObject({ via: 'token', scopes: ['records:read'], user: { id: clerk.id } });
      expect(me.body).not.toHaveProperty('csrfToken');
    });

    it('stop working at once when revoked (401), and only their owner revokes them', async () => {
      const { api } = await loginAs(handle(), 'developer', PASSWORD);
      const created = await api.post<{ id: string; token: string }>('/api/auth/tokens', {
        name: 'to revoke',
        scopes: ['records:read'],
      });
      const token = as(created.body.token);
      expect((await token.get('/api/modules/customer/records')).status).toBe(200);
      expectProblem(await admin.delete(`/api/auth/tokens/${created.body.id}`), 404); // the test admin's own tokens only
      expect((await api.delete(`/api/auth/tokens/${created.body.id}`)).status).toBe(204);
      const revoked = expectProblem(await token.get('/api/modules/customer/records'), 401);
      expect(revoked.errors[0].code).toBe('token-revoked');
      expectProblem(await api.delete('/api/auth/tokens/not-an-id'), 404);
      const listed = await api.get<ApiTokenInfo[]>('/api/auth/tokens');
      expect(listed.body.find((t) => t.id === created.body.id)?.revokedAt).not.toBeNull();
    });

    it('stop working once expired (401)', async () => {
      const { api } = await loginAs(handle(), 'developer', PASSWORD);
      const expiresAt = new Date(clock.now().getTime() + 3_600_000).toISOString();
      const created = await api.post<{ token: string; expiresAt: string }>('/api/auth/tokens', {
        name: 'one hour',
        scopes: ['records:read'],
        expiresAt,
      });
      expect(created.body.expiresAt).toBe(expiresAt);
      const token = as(created.body.token);
      expect((await token.get('/api/modules/customer/records')).status).toBe(200);
      clock.advance(3_600_000);
      expect(expectProblem(await token.get('/api/modules/customer/records'), 401).errors[0].code).toBe(
        'token-expired',
      );
      const past = new Date(clock.now().getTime() - 1000).toISOString();
      expectProblem(
        await api.post('/api/auth/tokens', { name: 'x', scopes: ['records:read'], expiresAt: past }),
        422,
        ['/expiresAt'],
      );
    });

    it('die with their user: someone who left cannot use a session or token (401)', async () => {
      const { users } = handle().workspace.identity;
      const temp = await users.create({ username: 'temp.worker', displayName: 'Temp', password: PASSWORD });
      const token = as(await tokenFor(handle(), temp.id, ['records:read']));
      const { api } = await loginAs(handle(), 'temp.worker', PASSWORD);
      expect((await token.get('/api/auth/me')).status).toBe(200);
      expect((await admin.post(`/api/org/users/${temp.id}/leave`)).status).toBe(200);
      expectProblem(await token.get('/api/auth/me'), 401);
      expectProblem(await api.get('/api/auth/me'), 401);
      expectProblem(
        await apiClient(handle(), { auth: 'none' }).post('/api/auth/login', {
          username: 'temp.worker',
          password: PASSWORD,
        }),
        401,
      );
      // taken back: they log in again, but the old token stays revoked
      expect((await admin.post(`/api/org/users/${temp.id}/reinstate`)).status).toBe(200);
      expect((await loginAs(handle(), 'temp.worker', PASSWORD)).response.status).toBe(200);
      expectProblem(await token.get('/api/auth/me'), 401);
    });

    it('refuse anything but a well-formed bearer token of ours', async () => {
      const anonymous = apiClient(handle(), { auth: 'none' });
      for (const value of [
        'Bearer crm_',
        `Bearer crm_${'A'.repeat(43)}`,
        'Bearer not-ours',
        'Token abc',
        'Bearer a b',
      ]) {
        expectProblem(await anonymous.get('/api/auth/me', { headers: { authorization: value } }), 401);
      }
    });
  },
  { identity: { clock: clock.now } },
);
