import { type ListQuery, MAX_PAGE } from '@crm/engine';
import type { Context } from 'hono';
import { findForbiddenJson } from './json-guard.ts';
import { booleanParam, integerParam, queryParams } from './params.ts';
import { HttpProblem, httpProblem } from './problem.ts';

export const LIST_PARAMETERS = ['filter', 'sort', 'limit', 'cursor', 'fields', 'count', 'q'] as const;
/** The records list also takes `view=default`: the module's list view fills the sort and the fields. */
export const RECORD_LIST_PARAMETERS = [...LIST_PARAMETERS, 'view'] as const;

function parseFilter(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  let filter: unknown;
  try {
    filter = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'not valid JSON';
    throw httpProblem('invalid-query', '/filter', 'malformed-json', `must be JSON text: ${reason}`);
  }
  const forbidden = findForbiddenJson(filter, '/filter');
  if (forbidden)
    throw new HttpProblem('invalid-query', `${forbidden.pointer}: ${forbidden.detail}`, [forbidden]);
  return filter;
}

/**
 * `?filter=…&sort=-amount,name&limit=&cursor=&fields=a,b&count=true&q=…` as the engine's list query;
 * `allowed` narrows (or widens) the parameters the endpoint takes.
 */
export function listQueryFrom(c: Context, allowed: readonly string[] = LIST_PARAMETERS): ListQuery {
  const params = queryParams(c, allowed);
  const query: ListQuery = {};
  const filter = parseFilter(params.filter);
  if (filter !== undefined) query.filter = filter;
  if (params.sort !== undefined) query.sort = params.sort;
  const limit = integerParam(params.limit, 'limit', 1, MAX_PAGE);
  if (limit !== undefined) query.limit = limit;
  if (params.cursor !== undefined) query.cursor = params.cursor;
  if (params.fields !== undefined) query.fields = params.fields.split(',').map((name) => name.trim());
  const count = booleanParam(params.count, 'count');
  if (count !== undefined) query.count = count;
  if (params.q !== undefined) query.q = params.q;
  if (params.view !== undefined) {
    if (params.view !== 'default') {
      throw httpProblem(
        'invalid-query',
        '/view',
        'invalid-view',
        "must be 'default' (the module's list view)",
      );
    }
    query.view = 'default';
  }
  return query;
}
