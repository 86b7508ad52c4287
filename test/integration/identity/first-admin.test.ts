import type { EngineError } from '@crm/engine';
import { expect, it } from 'vitest';
import { apiClient, expectProblem, sessionFrom } from '../../support/api.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';

forEachDatabase('the first admin', (handle) => {
  const anonymous = () => apiClient(handle(), { auth: 'none' });

  it('has no default password: a new workspace has no user to log in as', async () => {
    for (const [username, password] of [
      ['admin', 'admin'],
      ['admin', 'password'],
      ['root', 'root'],
    ]) {
      expectProblem(await anonymous().post('/api/auth/login', { username, password }), 401);
    }
  });

  it('is made by trading the printed one-time secret, which then stops working', async () => {
    const { firstAdmin } = handle().workspace.identity;
    const started = await firstAdmin.prepare({});
    if (started.state !== 'awaiting-setup') throw new Error(`expected a setup secret, got ${started.state}`);
    // a second server start prints another secret; each printed one works
    const again = await firstAdmin.prepare({});
    if (again.state !== 'awaiting-setup') throw new Error('expected a second secret');
    expect(again.secret).not.toBe(started.secret);

    const body = { secret: started.secret, username: 'Boss', password: 'First-admin-1', displayName: '老板' };
    const wrongSecret = expectProblem(
      await anonymous().post('/api/auth/setup', { ...body, secret: 'guess' }),
      403,
      ['/secret'],
    );
    expect(wrongSecret.errors[0].code).toBe('invalid-secret');
    expectProblem(await anonymous().post('/api/auth/setup', { ...body, password: 'short' }), 422, [
      '/password',
    ]);
    expectProblem(await anonymous().post('/api/auth/setup', { ...body, password: 'boss' }), 422, [
      '/password',
    ]);
    expectProblem(await anonymous().post('/api/auth/setup', { secret: started.secret }), 422, [
      '/username',
      '/password',
    ]);

    const done = await anonymous().post<{
      user: { username: string; isAdmin: boolean; displayName: string };
      csrfToken: string;
    }>('/api/auth/setup', body);
    expect(done.status).toBe(201);
    expect(done.body.user).toMatchObject({ username: 'boss', isAdmin: true, displayName: '老板' });
    expect(sessionFrom(done)).toBeDefined();

    for (const secret of [started.secret, again.secret]) {
      const refused = expectProblem(
        await anonymous().post('/api/auth/setup', { ...body, secret, username: 'boss2' }),
        409,
      );
      expect(refused.errors[0].code).toBe('already-set-up');
    }
    expect((await firstAdmin.prepare({})).state).toBe('ready');
    expect(
      (await anonymous().post('/api/auth/login', { username: 'boss', password: 'First-admin-1' })).status,
    ).toBe(200);
    expect((await handle().workspace.identity.users.list({ count: true })).total).toBe(1);
  });

  it('is made from CRM_ADMIN_USERNAME and CRM_ADMIN_PASSWORD on first start, policy-checked', async () => {
    const other = await handle().engine.workspace('second');
    const weak = (await engineError(
      other.identity.firstAdmin.prepare({ username: 'ops', password: 'ops' }),
    )) as EngineError;
    expect(weak.kind).toBe('invalid-input');
    expect(weak.problems.map((p) => p.code)).toEqual(
      expect.arrayContaining(['password.minLength', 'password.digits', 'password.sameAsUsername']),
    );
    expect(
      (await engineError(other.identity.firstAdmin.prepare({ username: 'ops' }))).problems[0].pointer,
    ).toBe('/password');
    const created = await other.identity.firstAdmin.prepare({ username: 'ops', password: 'Ops-password-1' });
    expect(created).toMatchObject({ state: 'created', user: { username: 'ops', isAdmin: true } });
    expect(
      await other.identity.firstAdmin.prepare({ username: 'ops', password: 'Other-password-1' }),
    ).toEqual({
      state: 'ready',
    });
    const login = await other.identity.logins.login({ username: 'ops', password: 'Ops-password-1' }, {});
    expect(login.ok).toBe(true);
  });

  it('is still to be made when only imported people without admin rights exist (sample data)', async () => {
    const third = await handle().engine.workspace('third');
    await third.identity.users.create({ username: 'wang.fang', displayName: '王芳' });
    const started = await third.identity.firstAdmin.prepare({});
    expect(started.state).toBe('awaiting-setup');
    const created = await third.identity.firstAdmin.prepare({ username: 'ops', password: 'Ops-password-1' });
    expect(created).toMatchObject({ state: 'created', user: { username: 'ops', isAdmin: true } });
    expect((await third.identity.firstAdmin.prepare({})).state).toBe('ready');
  });
});
