import { type Identity, type LoginResult, MAX_HISTORY_PAGE } from '@crm/engine';
import { Hono } from 'hono';
import type { ApiEnv } from '../env.ts';
import { booleanParam, integerParam, queryParams } from '../params.ts';

/** `/api/org/login-history`: every login attempt, newest first, searchable by user, result and time. */
export function loginHistoryRoutes(identity: Identity): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get('/', async (c) => {
    const params = queryParams(c, ['userId', 'username', 'result', 'from', 'to', 'limit', 'cursor', 'count']);
    return c.json(
      await identity.loginHistory.search({
        userId: params.userId,
        username: params.username,
        result: params.result as LoginResult | undefined,
        from: params.from,
        to: params.to,
        limit: integerParam(params.limit, 'limit', 1, MAX_HISTORY_PAGE),
        cursor: params.cursor,
        count: booleanParam(params.count, 'count'),
      }),
    );
  });

  return app;
}
