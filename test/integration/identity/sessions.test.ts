import { beforeAll, expect, it } from 'vitest';
import { apiClient, expectProblem, loginAs, sessionFrom, tokenFor } from '../../support/api.ts';
import { testClock } from '../../support/clock.ts';
import { forEachDatabase } from '../../support/engines.ts';

const clock = testClock();
const PASSWORD = 'Session-test-42';
const HOUR = 3_600_000;

forEachDatabase(
  'sessions',
  (handle) => {
    const client = (session: string, csrfToken = 'none') =>
      apiClient(handle(), { auth: { session, csrfToken } });
    const department = { name: { en: 'CSRF target' } };
    let userId = '';

    beforeAll(async () => {
      const { users } = handle().workspace.identity;
      const user = await users.create({
        username: 'session.user',
        displayName: 'S',
        password: PASSWORD,
        isAdmin: true,
      });
      userId = user.id;
    });

    it('issues a new session id at every login, and the one the client held before dies (fixation)', async () => {
      const first = await loginAs(handle(), 'session.user', PASSWORD);
      expect((await first.api.get('/api/auth/me')).status).toBe(200);
      // log in again from the same browser, which still sends the old cookie
      const again = await apiClient(handle(), { auth: 'none' }).post(
        '/api/auth/login',
        { username: 'session.user', password: PASSWORD },
        { headers: { cookie: `crm_session=${first.session}` } },
      );
      const second = sessionFrom(again);
      expect(second).toBeDefined();
      expect(second).not.toBe(first.session);
      const dead = await first.api.get('/api/auth/me');
      expectProblem(dead, 401);
      expect(dead.headers.get('set-cookie')).toMatch(/crm_session=;.*Max-Age=0/);
      expect((await client(second ?? '').get('/api/auth/me')).status).toBe(200);
    });

    it('never takes up a session id chosen by someone else', async () => {
      const planted = 'attacker-chosen-session-id-0000000000000000';
      expectProblem(await client(planted).get('/api/auth/me'), 401);
      const response = await apiClient(handle(), { auth: 'none' }).post(
        '/api/auth/login',
        { username: 'session.user', password: PASSWORD },
        { headers: { cookie: `crm_session=${planted}` } },
      );
      expect(sessionFrom(response)).not.toBe(planted);
      expectProblem(await client(planted).get('/api/auth/me'), 401);
    });

    it('refuses a cookie-borne write without the session CSRF token, or with a wrong one (403)', async () => {
      const { api, session, csrfToken } = await loginAs(handle(), 'session.user', PASSWORD);
      const missing = expectProblem(await api.post('/api/org/departments', department, { csrf: false }), 403);
      expect(missing.errors[0].code).toBe('csrf');
      const wrong = await api.post('/api/org/departments', department, {
        headers: { cookie: `crm_session=${session}`, 'x-csrf-token': 'x'.repeat(43) },
      });
      expect(expectProblem(wrong, 403).errors[0].code).toBe('csrf');
      // another session's token does not fit this one
      const other = await loginAs(handle(), 'session.user', PASSWORD);
      const crossed = await api.post('/api/org/departments', department, {
        headers: { cookie: `crm_session=${session}`, 'x-csrf-token': other.csrfToken },
      });
      expectProblem(crossed, 403);
      for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
        expectProblem(
          await api.send(
            method,
            '/api/org/positions/01890000-0000-7000-8000-000000000001',
            {},
            { csrf: false },
          ),
          403,
        );
      }
      expect(await handle().workspace.identity.departments.list()).toEqual([]);

      expect((await api.post('/api/org/departments', department)).status).toBe(201);
      expect((await api.get('/api/org/departments')).status).toBe(200); // reads need none
      expect(csrfToken).toMatch(/^[\w-]{43}$/);
      expect((await api.get<{ csrfToken: string }>('/api/auth/me')).body.csrfToken).toBe(csrfToken);
    });

    it('needs no CSRF token from a bearer token, which no browser sends by itself', async () => {
      const token = await tokenFor(handle(), userId);
      const api = apiClient(handle(), { auth: { token } });
      expect((await api.post('/api/org/positions', { name: { en: 'Bearer made' } })).status).toBe(201);
    });

    it('logs out this session only, and forgets the cookie', async () => {
      const one = await loginAs(handle(), 'session.user', PASSWORD);
      const two = await loginAs(handle(), 'session.user', PASSWORD);
      expectProblem(await one.api.post('/api/auth/logout', undefined, { csrf: false }), 403);
      const out = await one.api.post('/api/auth/logout');
      expect(out.status).toBe(204);
      expect(out.headers.get('set-cookie')).toMatch(/crm_session=;/);
      expectProblem(await one.api.get('/api/auth/me'), 401);
      expect((await two.api.get('/api/auth/me')).status).toBe(200);
    });

    it('logs out everywhere: every session of the user ends, tokens stay', async () => {
      const sessions = await Promise.all([1, 2, 3].map(() => loginAs(handle(), 'session.user', PASSWORD)));
      const token = apiClient(handle(), { auth: { token: await tokenFor(handle(), userId) } });
      const out = await sessions[0].api.post<{ sessionsEnded: number }>('/api/auth/logout-all');
      expect(out.status).toBe(200);
      expect(out.body.sessionsEnded).toBeGreaterThanOrEqual(3);
      for (const { api } of sessions) expectProblem(await api.get('/api/auth/me'), 401);
      expect((await token.get('/api/auth/me')).status).toBe(200);
    });

    it('ends a session after 12 idle hours, sliding with use, and after 7 days however used', async () => {
      const idle = await loginAs(handle(), 'session.user', PASSWORD);
      const active = await loginAs(handle(), 'session.user', PASSWORD);
      clock.advance(11 * HOUR);
      expect((await active.api.get('/api/auth/me')).status).toBe(200);
      clock.advance(2 * HOUR);
      expect((await active.api.get('/api/auth/me')).status).toBe(200);
      const expired = expectProblem(await idle.api.get('/api/auth/me'), 401);
      expect(expired.errors[0].code).toBe('session-expired');
      // keep it busy for a week: the absolute limit still ends it
      for (let elapsed = 13; elapsed < 7 * 24 - 10; elapsed += 10) {
        clock.advance(10 * HOUR);
        expect((await active.api.get('/api/auth/me')).status, `after ${elapsed + 10} h`).toBe(200);
      }
      clock.advance(11 * HOUR);
      expect(expectProblem(await active.api.get('/api/auth/me'), 401).errors[0].code).toBe('session-expired');
    });

    it('follows the workspace session settings', async () => {
      const admin = apiClient(handle());
      const saved = await admin.patch('/api/org/security', { sessions: { idleMinutes: 30 } });
      expect(saved.status).toBe(200);
      const { api } = await loginAs(handle(), 'session.user', PASSWORD);
      clock.advance(31 * 60_000);
      expectProblem(await api.get('/api/auth/me'), 401);
      expectProblem(await admin.patch('/api/org/security', { sessions: { idleMinutes: 1 } }), 422, [
        '/sessions/idleMinutes',
      ]);
      await admin.patch('/api/org/security', { sessions: { idleMinutes: 720 } });
    });

    it('answers 401 without credentials, except on the public endpoints', async () => {
      const anonymous = apiClient(handle(), { auth: 'none' });
      for (const path of [
        '/api/meta/modules',
        '/api/modules/x/records',
        '/api/org/users',
        '/api/auth/me',
        '/api/nope',
      ]) {
        const response = await anonymous.get(path);
        expect(expectProblem(response, 401).errors[0].code, path).toBe('not-authenticated');
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
      for (const path of ['/api/health', '/api/openapi.json', '/api/docs']) {
        expect((await anonymous.get(path)).status, path).toBe(200);
      }
      expectProblem(
        await anonymous.get('/api/meta/modules', { headers: { authorization: 'Basic YTpi' } }),
        401,
      );
      expectProblem(await anonymous.get('/api/meta/modules', { headers: { authorization: 'Bearer ' } }), 401);
      expectProblem(await anonymous.get('/api/meta/modules', { headers: { cookie: 'crm_session=' } }), 401);
    });
  },
  { identity: { clock: clock.now } },
);
