import { mayRead } from '../access/field-rights.ts';
import type { Policy } from '../access/policy.ts';
import type { CompiledModule } from '../compile/module.ts';
import { listViewFields, listViewOf } from '../definitions/list-view.ts';
import type { ListQuery } from './service.ts';
import { SYSTEM_COLUMNS } from './statements.ts';

/**
 * A list query in the module's list view: its sort and its fields where the query names none. Fields the
 * actor may not read are left out, and a sort by one falls back to the engine's default sort.
 */
export function inListView(module: CompiledModule, query: ListQuery, policy: Policy): ListQuery {
  const view = listViewOf(module.definition);
  const access = policy.fields(module);
  const readable = (name: string) =>
    SYSTEM_COLUMNS.includes(name) || (module.byName.has(name) && mayRead(access, name));
  const sortFields = view.sort.split(',').map((part) => part.trim().replace(/^[-+]/, ''));
  return {
    ...query,
    view: undefined,
    sort: query.sort ?? (sortFields.every(readable) ? view.sort : undefined),
    fields: query.fields ?? listViewFields(module.definition).filter(readable),
  };
}
