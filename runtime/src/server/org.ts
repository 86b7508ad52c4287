import type { Workspace } from '@crm/engine';
import { Hono } from 'hono';
import { adminOnly } from './admin-only.ts';
import type { ApiEnv } from './env.ts';
import { departmentRoutes } from './org/departments.ts';
import { loginHistoryRoutes } from './org/login-history.ts';
import { positionRoutes } from './org/positions.ts';
import { roleAssignmentRoutes } from './org/role-assignments.ts';
import { securityRoutes } from './org/security.ts';
import { userRoutes } from './org/users.ts';

/** `/api/org`: the organisation and its security, for administrators. */
export function orgRoutes(workspace: Workspace): Hono<ApiEnv> {
  const { identity } = workspace;
  const app = new Hono<ApiEnv>();
  app.use('*', adminOnly);
  app.route('/departments', departmentRoutes(identity));
  app.route('/positions', positionRoutes(identity));
  app.route('/users', userRoutes(identity));
  app.route('/role-assignments', roleAssignmentRoutes(identity));
  app.route('/login-history', loginHistoryRoutes(identity));
  app.route('/security', securityRoutes(identity));
  return app;
}
