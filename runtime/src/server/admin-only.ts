import type { Workspace } from '@crm/engine';
import { createMiddleware } from 'hono/factory';
import type { ApiEnv } from './env.ts';
import { HttpProblem } from './problem.ts';

/** Lets only the workspace's administrators through (403 for everyone else). */
export function adminOnly(workspace: Workspace) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    if (!(await workspace.access.control.isAdmin(c.var.actor))) {
      throw new HttpProblem('forbidden', 'only administrators may do this');
    }
    await next();
  });
}
