import type { LoginHistoryEntry, Page } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectProblem, sessionFrom } from '../../support/api.ts';
import { testClock } from '../../support/clock.ts';
import { forEachDatabase } from '../../support/engines.ts';

const clock = testClock();
const PASSWORD = 'correct-horse-7';

forEachDatabase(
  'password login',
  (handle) => {
    let admin: ApiClient;
    let anonymous: ApiClient;
    const login = (username: string, password: string, headers: Record<string, string> = {}) =>
      anonymous.post(
        '/api/auth/login',
        { username, password },
        { headers: { 'user-agent': 'vitest', ...headers } },
      );
    const history = async (query: string) =>
      (await admin.get<Page<LoginHistoryEntry>>(`/api/org/login-history?${query}`)).body;

    beforeAll(async () => {
      admin = apiClient(handle());
      anonymous = apiClient(handle(), { auth: 'none', trustedProxies: 1 });
    });

    it('logs in with username and password: a session cookie, the user and a CSRF token', async () => {
      const user = await handle().workspace.identity.users.create({
        username: 'Wang.Fang',
        displayName: '王芳',
        password: PASSWORD,
      });
      const response = await login('WANG.fang', PASSWORD, { 'x-forwarded-for': '203.0.113.9' });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        user: { id: user.id, username: 'wang.fang', displayName: '王芳' },
        csrfToken: expect.stringMatching(/^[\w-]{43}$/),
        via: 'session',
      });
      expect(JSON.stringify(response.body)).not.toMatch(/argon2|password_hash/i);
      const cookie = response.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^crm_session=[\w-]{43};/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).toMatch(/Path=\//);
      expect(cookie).not.toMatch(/Secure/); // plain http here
      const [entry] = (await history(`userId=${user.id}`)).data;
      expect(entry).toMatchObject({
        result: 'success',
        ip: '203.0.113.9',
        userAgent: 'vitest',
        username: 'wang.fang',
      });
    });

    it('marks the cookie Secure behind an https proxy', async () => {
      const response = await login('wang.fang', PASSWORD, { 'x-forwarded-proto': 'https' });
      expect(response.headers.get('set-cookie')).toMatch(/Secure/);
    });

    it('answers a wrong password, an unknown user and someone who left alike, and records which it was', async () => {
      const { users } = handle().workspace.identity;
      const leaver = await users.create({ username: 'leaver', displayName: 'Leaver', password: PASSWORD });
      await users.leave(leaver.id);
      const wrong = expectProblem(await login('wang.fang', 'wrong-password-1'), 401);
      const unknown = expectProblem(await login('nobody.here', PASSWORD), 401);
      const left = expectProblem(await login('leaver', PASSWORD), 401);
      for (const problem of [wrong, unknown, left]) {
        expect(problem.errors).toEqual([
          {
            pointer: '',
            code: 'invalid-credentials',
            detail: 'wrong username or password',
            messages: { en: 'wrong username or password', 'zh-CN': '用户名或密码错误' },
          },
        ]);
      }
      expect((await history('username=nobody.here')).data[0]).toMatchObject({
        result: 'unknown-user',
        userId: null,
      });
      expect((await history('username=leaver')).data[0]).toMatchObject({ result: 'left', userId: leaver.id });
      expect((await history('username=wang.fang&result=bad-password')).data).toHaveLength(1);
      expect(sessionFrom(await login('leaver', PASSWORD))).toBeUndefined();
    });

    it('checks the body like any other: 422 with pointers, and no history for a malformed attempt', async () => {
      expectProblem(await anonymous.post('/api/auth/login', { username: 'x' }), 422, ['/password']);
      expectProblem(await anonymous.post('/api/auth/login', { username: 1, password: 2 }), 422, [
        '/username',
        '/password',
      ]);
      expectProblem(
        await anonymous.post('/api/auth/login', { username: 'x', password: 'y', extra: 1 }),
        422,
        ['/extra'],
      );
      expectProblem(await anonymous.post('/api/auth/login', 'text', { raw: 'username=x' }), 415);
    });

    it('locks an account after 5 failures, doubling the lock on each further failure; a success resets', async () => {
      const { users } = handle().workspace.identity;
      const user = await users.create({
        username: 'brute.target',
        displayName: 'Target',
        password: PASSWORD,
      });
      for (let i = 1; i <= 4; i++) expectProblem(await login('brute.target', `guess-${i}-x`), 401);
      expect((await users.get(user.id)).lockedUntil).toBeNull();
      expectProblem(await login('brute.target', 'guess-5-x'), 401); // the 5th failure locks
      const locked = expectProblem(await login('brute.target', PASSWORD), 429); // even the right password
      expect(locked.errors[0]).toMatchObject({
        code: 'locked',
        messages: { 'zh-CN': expect.stringContaining('秒') },
      });
      const lockedResponse = await login('brute.target', PASSWORD);
      expect(Number(lockedResponse.headers.get('retry-after'))).toBeGreaterThan(55);
      expect(Number(lockedResponse.headers.get('retry-after'))).toBeLessThanOrEqual(60);

      clock.advance(61_000);
      expectProblem(await login('brute.target', 'guess-6-x'), 401); // evaluated, and locks for 2 minutes
      const second = await login('brute.target', PASSWORD);
      expect(second.status).toBe(429);
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(115);
      expect(Number(second.headers.get('retry-after'))).toBeLessThanOrEqual(120);
      clock.advance(121_000);
      expectProblem(await login('brute.target', 'guess-7-x'), 401); // 4 minutes
      const third = await login('brute.target', PASSWORD);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(235);

      clock.advance(241_000);
      expect((await login('brute.target', PASSWORD)).status).toBe(200);
      expect((await users.get(user.id)).failedLogins).toBe(0);
      for (let i = 1; i <= 4; i++) expectProblem(await login('brute.target', `again-${i}-x`), 401);
      expect((await login('brute.target', PASSWORD)).status).toBe(200); // 4 failures do not lock

      const results = (await history(`userId=${user.id}&limit=100`)).data.map((e) => e.result);
      expect(results.filter((r) => r === 'locked')).toHaveLength(4);
      expect(results.filter((r) => r === 'bad-password')).toHaveLength(11);
    });

    it('caps the lock at an hour, and an admin can lift it', async () => {
      const { users } = handle().workspace.identity;
      const user = await users.create({ username: 'capped', displayName: 'Capped', password: PASSWORD });
      for (let i = 0; i < 5; i++) await login('capped', 'nope-nope-1');
      for (let i = 0; i < 8; i++) {
        clock.advance(3_600_000);
        expectProblem(await login('capped', 'nope-nope-1'), 401);
      }
      expect(Number((await login('capped', PASSWORD)).headers.get('retry-after'))).toBe(3600);
      const unlocked = await admin.post<{ lockedUntil: string | null; failedLogins: number }>(
        `/api/org/users/${user.id}/unlock`,
      );
      expect(unlocked.body).toMatchObject({ lockedUntil: null, failedLogins: 0 });
      expect((await login('capped', PASSWORD)).status).toBe(200);
    });

    it('gives a burst of parallel guesses no more tries than the threshold', async () => {
      const { users } = handle().workspace.identity;
      const user = await users.create({ username: 'parallel', displayName: 'Parallel', password: PASSWORD });
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => login('parallel', `parallel-guess-${i}`)),
      );
      expect(responses.filter((r) => r.status === 401).length).toBeLessThanOrEqual(5);
      expect(responses.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(15);
      const tried = (await history(`userId=${user.id}&result=bad-password&count=true`)).total;
      expect(tried).toBeLessThanOrEqual(5);
    });

    it('searches the login history by user, result and time range, newest first, a page at a time', async () => {
      const from = clock.now().toISOString();
      const { users } = handle().workspace.identity;
      await users.create({ username: 'historian', displayName: 'H', password: PASSWORD });
      for (let i = 0; i < 5; i++) {
        clock.advance(1000);
        await login('historian', i % 2 === 0 ? PASSWORD : 'wrong-wrong-1');
      }
      const to = new Date(clock.now().getTime() + 1).toISOString();
      const all = await history(`username=historian&from=${from}&to=${to}&count=true&limit=2`);
      expect(all.total).toBe(5);
      expect(all.data.map((e) => e.result)).toEqual(['success', 'bad-password']);
      const next = await history(`username=historian&limit=2&cursor=${all.nextCursor}`);
      expect(next.data.map((e) => e.result)).toEqual(['success', 'bad-password']);
      expect(next.data[0].at < all.data[1].at).toBe(true);
      expect((await history(`username=historian&result=success&count=true`)).total).toBe(3);
      expect((await history(`username=historian&to=${from}&count=true`)).total).toBe(0);
      expectProblem(await admin.get('/api/org/login-history?result=maybe'), 400, ['/result']);
      expectProblem(await admin.get('/api/org/login-history?from=yesterday'), 400, ['/from']);
      expectProblem(await admin.get('/api/org/login-history?userId=1'), 400, ['/userId']);
      expectProblem(await admin.get('/api/org/login-history?cursor=x'), 400, ['/cursor']);
    });
  },
  { identity: { clock: clock.now } },
);
