import { createMiddleware } from 'hono/factory';
import { principalOf } from './auth.ts';
import type { ApiEnv } from './env.ts';
import { HttpProblem } from './problem.ts';

/** Lets only the workspace's administrators through (403 for everyone else). */
export const adminOnly = createMiddleware<ApiEnv>(async (c, next) => {
  // the auth middleware has loaded the user already: no query here
  if (!principalOf(c).user.isAdmin) {
    const detail = 'only administrators may do this';
    throw new HttpProblem('forbidden', detail, [
      {
        pointer: '',
        code: 'admin-only',
        detail,
        messages: { en: detail, 'zh-CN': '只有管理员可以执行此操作' },
      },
    ]);
  }
  await next();
});
