import { TASK_ACTIONS, type TaskAction, type Workspace } from '@crm/engine';
import { Hono } from 'hono';
import { principalOf } from './auth.ts';
import { readJsonBody } from './body.ts';
import type { ApiEnv } from './env.ts';
import { integerParam, queryParams } from './params.ts';
import { HttpProblem } from './problem.ts';

const PAGE_PARAMETERS = ['cursor', 'limit'] as const;
const INBOX_LISTS = ['pending', 'done', 'cc', 'submitted'] as const;

/**
 * `/api/approvals`: each user's own inbox (pending, done, CC'd, submitted, with counts), an approval
 * task's detail and the actions on it, and the submitter's recall and remind.
 */
export function approvalRoutes(workspace: Workspace): Hono<ApiEnv> {
  const approvals = workspace.approvals;
  const app = new Hono<ApiEnv>();
  const asAdmin = (c: Parameters<typeof principalOf>[0]) => ({ asAdmin: principalOf(c).user.isAdmin });

  app.get('/inbox/counts', async (c) => {
    const principal = principalOf(c);
    return c.json(await approvals.inbox.counts(principal.user.id, principal.roles));
  });

  for (const list of INBOX_LISTS) {
    app.get(`/inbox/${list}`, async (c) => {
      const { cursor, limit } = queryParams(c, PAGE_PARAMETERS);
      const query = { cursor, limit: integerParam(limit, 'limit', 1, 200) };
      const principal = principalOf(c);
      const page =
        list === 'pending'
          ? await approvals.inbox.pending(principal.user.id, query, principal.roles)
          : await approvals.inbox[list](principal.user.id, query);
      return c.json(await approvals.withRecordTitles<(typeof page.data)[number]>(page, c.var.actor));
    });
  }

  app.get('/tasks/:id', async (c) =>
    c.json(await approvals.taskDetail(c.req.param('id'), c.var.actor, asAdmin(c))),
  );

  app.post('/tasks/:id/:action', async (c) => {
    const action = c.req.param('action');
    if (!TASK_ACTIONS.includes(action as TaskAction)) {
      throw new HttpProblem('route-not-found', `no approval action '${action}' (${TASK_ACTIONS.join(', ')})`);
    }
    const body = await readJsonBody(c, { optional: true });
    return c.json(
      await approvals.act(c.req.param('id'), action as TaskAction, body, c.var.actor, asAdmin(c)),
    );
  });

  app.post('/instances/:id/recall', async (c) => {
    const body = await readJsonBody(c, { optional: true });
    return c.json(await approvals.recall(c.req.param('id'), body, c.var.actor, asAdmin(c)));
  });

  app.post('/instances/:id/remind', async (c) => {
    const body = await readJsonBody(c, { optional: true });
    return c.json(await approvals.remind(c.req.param('id'), body, c.var.actor, asAdmin(c)));
  });

  return app;
}

/** `GET /api/modules/{module}/records/{id}/approvals`: the record's approval timeline (needs read access to it). */
export function recordApprovalRoutes(workspace: Workspace): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get('/:module/records/:id/approvals', async (c) =>
    c.json(await workspace.approvals.timeline(c.req.param('module'), c.req.param('id'), c.var.actor)),
  );
  return app;
}
