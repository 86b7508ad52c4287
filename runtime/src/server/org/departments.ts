import type { DepartmentChanges, Identity, NewDepartment } from '@crm/engine';
import { Hono } from 'hono';
import { engineInput } from '../engine-input.ts';
import type { ApiEnv } from '../env.ts';
import { booleanParam, queryParams } from '../params.ts';

/** `/api/org/departments`: the department tree. */
export function departmentRoutes(identity: Identity): Hono<ApiEnv> {
  const { departments } = identity;
  const app = new Hono<ApiEnv>();

  app.get('/', async (c) => {
    const { includeArchived } = queryParams(c, ['includeArchived']);
    return c.json(
      await departments.list({ includeArchived: booleanParam(includeArchived, 'includeArchived') }),
    );
  });

  app.post('/', async (c) => {
    const department = await departments.create(await engineInput<NewDepartment>(c));
    return c.json(department, 201, { Location: `/api/org/departments/${department.id}` });
  });

  app.get('/:id', async (c) => c.json(await departments.get(c.req.param('id'))));

  app.get('/:id/subtree', async (c) => c.json(await departments.subtree(c.req.param('id'))));

  app.patch('/:id', async (c) =>
    c.json(await departments.update(c.req.param('id'), await engineInput<DepartmentChanges>(c))),
  );

  app.post('/:id/move', async (c) => {
    const { parentId } = await engineInput<{ parentId: string | null }>(c);
    return c.json(await departments.move(c.req.param('id'), parentId));
  });

  app.post('/:id/archive', async (c) => c.json(await departments.archive(c.req.param('id'))));

  app.post('/:id/restore', async (c) => c.json(await departments.restore(c.req.param('id'))));

  return app;
}
