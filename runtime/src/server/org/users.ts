import { type Identity, MAX_USER_PAGE, type NewUser, type UserChanges } from '@crm/engine';
import { Hono } from 'hono';
import { engineInput } from '../engine-input.ts';
import type { ApiEnv } from '../env.ts';
import { booleanParam, integerParam, queryParams } from '../params.ts';
import { httpProblem } from '../problem.ts';

const LIST_PARAMETERS = ['department', 'subDepartments', 'status', 'search', 'limit', 'cursor', 'count'];

/** `/api/org/users`: people, their place in the organisation, leaving, passwords and lockouts. */
export function userRoutes(identity: Identity): Hono<ApiEnv> {
  const { users } = identity;
  const app = new Hono<ApiEnv>();

  app.get('/', async (c) => {
    const params = queryParams(c, LIST_PARAMETERS);
    if (params.status !== undefined && params.status !== 'active' && params.status !== 'left') {
      throw httpProblem('invalid-query', '/status', 'enum', 'must be active or left');
    }
    return c.json(
      await users.list({
        departmentId: params.department,
        includeSubDepartments: booleanParam(params.subDepartments, 'subDepartments'),
        status: params.status,
        search: params.search,
        limit: integerParam(params.limit, 'limit', 1, MAX_USER_PAGE),
        cursor: params.cursor,
        count: booleanParam(params.count, 'count'),
      }),
    );
  });

  app.post('/', async (c) => {
    const user = await users.create(await engineInput<NewUser>(c));
    return c.json(user, 201, { Location: `/api/org/users/${user.id}` });
  });

  app.get('/:id', async (c) => c.json(await users.get(c.req.param('id'))));

  app.patch('/:id', async (c) =>
    c.json(await users.update(c.req.param('id'), await engineInput<UserChanges>(c))),
  );

  app.post('/:id/leave', async (c) => c.json(await users.leave(c.req.param('id'))));

  app.post('/:id/reinstate', async (c) => c.json(await users.reinstate(c.req.param('id'))));

  app.post('/:id/password', async (c) => {
    await users.setPassword(c.req.param('id'), await engineInput<{ password: string }>(c));
    return c.body(null, 204);
  });

  app.post('/:id/unlock', async (c) => c.json(await users.unlock(c.req.param('id'))));

  app.get('/:id/roles', async (c) => {
    const user = await users.get(c.req.param('id'));
    return c.json(await identity.roles.rolesOf(user.id));
  });

  app.get('/:id/managers', async (c) => {
    const { levels } = queryParams(c, ['levels']);
    const user = await users.get(c.req.param('id'));
    return c.json(await identity.managerChain(user.id, integerParam(levels, 'levels', 1, 100) ?? 1));
  });

  return app;
}
