import type { Workspace } from '@crm/engine';
import { Hono } from 'hono';
import { principalOf } from './auth.ts';
import { isPlainObject, readJsonBody } from './body.ts';
import type { ApiEnv } from './env.ts';
import { integerParam, queryParams } from './params.ts';
import { httpProblem } from './problem.ts';

const PARAMETERS = ['unread', 'cursor', 'limit'] as const;

/** `/api/notifications`: the caller's own in-app notifications, newest first, and marking them read. */
export function notificationRoutes(workspace: Workspace): Hono<ApiEnv> {
  const notifications = workspace.notifications;
  const app = new Hono<ApiEnv>();

  app.get('/', async (c) => {
    const { unread, cursor, limit } = queryParams(c, PARAMETERS);
    if (unread !== undefined && unread !== 'true' && unread !== 'false') {
      throw httpProblem('invalid-query', '/unread', 'type', 'must be true or false');
    }
    return c.json(
      await notifications.list(principalOf(c).user.id, {
        unreadOnly: unread === 'true',
        cursor,
        limit: integerParam(limit, 'limit', 1, 200),
      }),
    );
  });

  app.get('/unread-count', async (c) =>
    c.json({ unread: await notifications.unreadCount(principalOf(c).user.id) }),
  );

  app.post('/read', async (c) => {
    const body = await readJsonBody(c, { optional: true });
    if (body !== undefined && !isPlainObject(body)) {
      throw httpProblem('invalid-request', '', 'type', 'the body must be a JSON object');
    }
    const ids = body?.ids;
    if (ids !== undefined && (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string'))) {
      throw httpProblem('invalid-request', '/ids', 'type', 'must be a list of notification ids');
    }
    const updated = await notifications.markRead(principalOf(c).user.id, ids as string[] | undefined);
    return c.json({ updated });
  });

  return app;
}
