import { type SQL, sql } from 'drizzle-orm';
import type { ModuleCatalog } from '../catalog.ts';
import type { CompiledModule } from '../compile/module.ts';
import { titleFieldOf } from '../definitions/title.ts';
import type { LocaleText } from '../definitions/types.ts';

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

/** A list on a module's records of other records pointing at them, as a record page shows it. */
export interface RelatedListInfo {
  /** The name `GET …/related/{name}` takes. */
  name: string;
  label: LocaleText;
  /** The module of the records listed, and the field that titles them. */
  module: string;
  titleField: string;
  /** The field of the listed module that holds the relation. */
  field: string;
}

/** The inverse lists (of single and many relations) on `module`'s records whose relation field the reader sees. */
export function relatedListsOf(
  catalog: ModuleCatalog,
  module: CompiledModule,
  mayRead: (module: CompiledModule, field: string) => boolean,
): RelatedListInfo[] {
  const info = (name: string, label: LocaleText, source: CompiledModule, field: string): RelatedListInfo => ({
    name,
    label,
    module: source.name,
    titleField: titleFieldOf(source.definition),
    field,
  });
  const single = catalog
    .inverses(module.id)
    .filter((i) => !i.field.linkTable && mayRead(i.source, i.field.name))
    .map((i) => info(i.name, i.label, i.source, i.field.name));
  const many = catalog
    .linkLists(module.id)
    .filter((l) => !l.forward && mayRead(l.source, l.field.name))
    .map((l) => info(l.name, l.label, l.other, l.field.name));
  return [...single, ...many];
}
