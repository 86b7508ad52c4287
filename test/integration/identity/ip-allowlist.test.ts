import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectProblem, loginAs, testAdmin, tokenFor } from '../../support/api.ts';
import { forEachDatabase } from '../../support/engines.ts';

const PASSWORD = 'Allowlist-42x';
const OFFICE = '10.0.0.0/8';

forEachDatabase('IP allowlists', (handle) => {
  let admin: ApiClient;
  /** A client whose requests come from `ip` (the app trusts one proxy's X-Forwarded-For). */
  const from = (ip: string, auth: Parameters<typeof apiClient>[1] = {}) => {
    const api = apiClient(handle(), { trustedProxies: 1, ...auth });
    const headers = { 'x-forwarded-for': ip };
    return {
      get: (path: string) => api.get(path, { headers }),
      post: (path: string, body?: unknown) => api.post(path, body, { headers }),
      patch: (path: string, body?: unknown) => api.patch(path, body, { headers }),
    };
  };

  beforeAll(async () => {
    admin = apiClient(handle());
    const { users, roles } = handle().workspace.identity;
    await users.create({ username: 'office.worker', displayName: 'W', password: PASSWORD });
    const accountant = await users.create({ username: 'accountant', displayName: 'A', password: PASSWORD });
    await roles.ensureRole({ id: 'finance', label: { en: 'Finance', 'zh-CN': '财务' } });
    await roles.assign({ roleId: 'finance', userId: accountant.id });
  });
  afterAll(async () => {
    await handle().workspace.identity.settings.update({ ipAllowlist: { workspace: [], roles: {} } });
  });

  it('refuses a workspace allowlist that would lock out the admin saving it, or that is not CIDR', async () => {
    const outside = from('192.168.1.10');
    const refused = expectProblem(
      await outside.patch('/api/org/security', { ipAllowlist: { workspace: [OFFICE] } }),
      422,
      ['/ipAllowlist/workspace'],
    );
    expect(refused.errors[0]).toMatchObject({
      code: 'locks-you-out',
      messages: { 'zh-CN': expect.any(String) },
    });
    expectProblem(
      await from('10.1.1.1').patch('/api/org/security', {
        ipAllowlist: { workspace: ['10.0.0.0/33', 'office'] },
      }),
      422,
      ['/ipAllowlist/workspace/0', '/ipAllowlist/workspace/1'],
    );
    expectProblem(
      await from('10.1.1.1').patch('/api/org/security', { ipAllowlist: { roles: { ghost: ['10.0.0.1'] } } }),
      422,
      ['/ipAllowlist/roles/ghost'],
    );
  });

  it('admits logins, sessions and tokens only from the workspace allowlist, once set', async () => {
    const token = await tokenFor(handle(), (await testAdmin(handle())).userId);
    const inside = await loginAs(handle(), 'office.worker', PASSWORD, {
      trustedProxies: 1,
      headers: { 'x-forwarded-for': '10.2.3.4' },
    });
    const saved = await from('10.1.1.1').patch('/api/org/security', {
      ipAllowlist: { workspace: [OFFICE, '2001:db8::/32'] },
    });
    expect(saved.status).toBe(200);

    const denied = expectProblem(
      await from('192.168.1.10').post('/api/auth/login', { username: 'office.worker', password: PASSWORD }),
      403,
    );
    expect(denied.errors[0].code).toBe('ip-denied');
    expect(
      (
        await from('10.9.9.9', { auth: 'none' }).post('/api/auth/login', {
          username: 'office.worker',
          password: PASSWORD,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await from('2001:db8::7', { auth: 'none' }).post('/api/auth/login', {
          username: 'office.worker',
          password: PASSWORD,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await from('::ffff:10.1.2.3', { auth: 'none' }).post('/api/auth/login', {
          username: 'office.worker',
          password: PASSWORD,
        })
      ).status,
    ).toBe(200);

    // a session or token taken elsewhere is refused there, and still works inside
    const session = { auth: { session: inside.session, csrfToken: inside.csrfToken } };
    expect(expectProblem(await from('192.168.1.10', session).get('/api/auth/me'), 403).errors[0].code).toBe(
      'ip-denied',
    );
    expect((await from('10.2.3.4', session).get('/api/auth/me')).status).toBe(200);
    expect(
      expectProblem(await from('203.0.113.5', { auth: { token } }).get('/api/org/users'), 403).errors[0].code,
    ).toBe('ip-denied');
    expect((await from('10.0.0.1', { auth: { token } }).get('/api/org/users')).status).toBe(200);
    // no address known at all (no socket, no trusted proxy): nothing to admit
    expectProblem(await apiClient(handle(), { auth: { token } }).get('/api/org/users'), 403);
    // a client cannot talk its way in by adding addresses of its own in front
    const spoofed = apiClient(handle(), { trustedProxies: 1, auth: { token } });
    expectProblem(
      await spoofed.get('/api/org/users', { headers: { 'x-forwarded-for': '10.0.0.1, 192.168.1.10' } }),
      403,
    );

    const history = await from('10.1.1.1').get(
      '/api/org/login-history?result=ip-denied&username=office.worker',
    );
    expect((history.body as { data: { ip: string }[] }).data[0].ip).toBe('192.168.1.10');
    await from('10.1.1.1').patch('/api/org/security', { ipAllowlist: { workspace: [] } });
  });

  it('limits the holders of a role to its own list', async () => {
    const saved = await admin.patch('/api/org/security', {
      ipAllowlist: { roles: { finance: ['10.9.0.0/16'] } },
    });
    expect(saved.status).toBe(200);
    const finance = await loginAs(handle(), 'accountant', PASSWORD, {
      trustedProxies: 1,
      headers: { 'x-forwarded-for': '10.9.1.1' },
    });
    const denied = await from('10.1.1.1', { auth: 'none' }).post('/api/auth/login', {
      username: 'accountant',
      password: PASSWORD,
    });
    expect(expectProblem(denied, 403).errors[0].code).toBe('ip-denied');
    // others are not bound by the finance list
    expect(
      (
        await from('192.168.7.7', { auth: 'none' }).post('/api/auth/login', {
          username: 'office.worker',
          password: PASSWORD,
        })
      ).status,
    ).toBe(200);
    const session = { auth: { session: finance.session, csrfToken: finance.csrfToken } };
    expectProblem(await from('10.1.1.1', session).get('/api/auth/me'), 403);
    expect((await from('10.9.200.1', session).get('/api/auth/me')).status).toBe(200);
    // the role taken away, the list no longer applies to them
    await handle().workspace.identity.roles.unassign({
      roleId: 'finance',
      userId: (await handle().workspace.identity.users.findByUsername('accountant'))?.id ?? '',
    });
    expect((await from('10.1.1.1', session).get('/api/auth/me')).status).toBe(200);
  });
});
