import type { Identity, RoleAssignmentInput } from '@crm/engine';
import { Hono } from 'hono';
import { engineInput } from '../engine-input.ts';
import type { ApiEnv } from '../env.ts';
import { queryParams } from '../params.ts';

/**
 * `/api/org/role-assignments`: which user or department holds which role. An assignment is named
 * by what it joins, so it is removed with the same fields as query parameters.
 */
export function roleAssignmentRoutes(identity: Identity): Hono<ApiEnv> {
  const { roles } = identity;
  const app = new Hono<ApiEnv>();

  app.get('/', async (c) => {
    const { userId, departmentId, roleId } = queryParams(c, ['userId', 'departmentId', 'roleId']);
    return c.json(await roles.list({ userId, departmentId, roleId }));
  });

  app.post('/', async (c) => c.json(await roles.assign(await engineInput<RoleAssignmentInput>(c)), 201));

  app.delete('/', async (c) => {
    const { roleId, userId, departmentId } = queryParams(c, ['roleId', 'userId', 'departmentId']);
    const assignment: Record<string, unknown> = { roleId };
    if (userId !== undefined) assignment.userId = userId;
    if (departmentId !== undefined) assignment.departmentId = departmentId;
    await roles.unassign(assignment as RoleAssignmentInput);
    return c.body(null, 204);
  });

  return app;
}
