import { type SQL, sql } from 'drizzle-orm';
import type { ModuleCatalog } from '../catalog.ts';
import type { CompiledModule } from '../compile/module.ts';

/** The records a related list shows, as a condition on their table aliased `alias`. */
export interface RelatedList {
  records: CompiledModule;
  where(alias: string, id: string): SQL;
}

/**
 * The related list `name` of a record of `module`: the records pointing at it through a relation
 * (its inverse name), or linked to it through a many-relation (the field's name on the source, its
 * inverse name on the target). Only lists whose field the actor may read (`mayRead`).
 */
export function relatedList(
  catalog: ModuleCatalog,
  module: CompiledModule,
  name: string,
  mayRead: (module: CompiledModule, field: string) => boolean,
): RelatedList | undefined {
  const link = catalog.linkList(module.id, name);
  if (link) {
    if (!mayRead(link.source, link.field.name)) return undefined;
    const self = sql.identifier(link.self);
    return {
      records: link.other,
      where: (alias, id) =>
        sql`${sql.identifier(alias)}.id IN (SELECT l.${sql.identifier(link.others)} FROM ${link.table} l WHERE l.${self} = ${id})`,
    };
  }
  const inverse = catalog
    .inverses(module.id)
    .find((i) => i.name === name && !i.field.linkTable && mayRead(i.source, i.field.name));
  if (!inverse) return undefined;
  const column = inverse.field.columns[0];
  return {
    records: inverse.source,
    where: (alias, id) => sql`${sql.identifier(alias)}.${sql.identifier(column)} = ${id}`,
  };
}
