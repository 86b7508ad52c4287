import type { Department, Identity, User } from '@crm/engine';
import { Hono } from 'hono';
import type { ApiEnv } from '../env.ts';
import { integerParam, queryParams } from '../params.ts';
import { httpProblem } from '../problem.ts';

/** The most ids one directory lookup resolves (a page of records' user and department values). */
export const MAX_DIRECTORY_IDS = 200;

/** Who someone is, as every signed-in user may see them (pickers, names of user fields). */
export interface DirectoryUser {
  id: string;
  username: string;
  displayName: string;
  departmentId: string | null;
  active: boolean;
}

/** A department as pickers show it: its name and the ids from the root down to it. */
export interface DirectoryDepartment {
  id: string;
  name: Department['name'];
  parentId: string | null;
  path: string;
}

const toDirectoryUser = (user: User): DirectoryUser => ({
  id: user.id,
  username: user.username,
  displayName: user.displayName,
  departmentId: user.departmentId,
  active: user.status === 'active',
});

function idsParam(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const ids = text.split(',').filter((id) => id.length > 0);
  if (ids.length > MAX_DIRECTORY_IDS)
    throw httpProblem('invalid-query', '/ids', 'range', `must name at most ${MAX_DIRECTORY_IDS} ids`);
  return ids;
}

/**
 * `/api/org/directory`: people and departments for any signed-in user to pick from and to name
 * the values of user and department fields; nothing of their security (admins manage that under
 * the rest of `/api/org`). `q` searches, `ids` resolves; people who left are found only by id.
 */
export function directoryRoutes(identity: Identity): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get('/users', async (c) => {
    const params = queryParams(c, ['q', 'ids', 'limit']);
    const ids = idsParam(params.ids);
    const page = await identity.users.list({
      search: params.q?.trim() || undefined,
      ids,
      status: ids ? undefined : 'active',
      limit: integerParam(params.limit, 'limit', 1, MAX_DIRECTORY_IDS) ?? (ids ? MAX_DIRECTORY_IDS : 20),
    });
    return c.json({ data: page.data.map(toDirectoryUser) });
  });

  app.get('/departments', async (c) => {
    const params = queryParams(c, ['q', 'ids']);
    const ids = idsParam(params.ids);
    const wanted = ids ? new Set(ids) : undefined;
    const query = params.q?.trim().toLowerCase();
    const all = await identity.departments.list({ includeArchived: wanted !== undefined });
    const data = all
      .filter((d) => !wanted || wanted.has(d.id))
      .filter((d) => !query || Object.values(d.name).some((name) => name.toLowerCase().includes(query)))
      .map((d): DirectoryDepartment => ({ id: d.id, name: d.name, parentId: d.parentId, path: d.path }));
    return c.json({ data });
  });

  return app;
}
