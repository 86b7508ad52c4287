import type { FieldDefinition } from '../definitions/types.ts';
import type { FieldType } from '../fields/registry.ts';
import { quoteIdent } from '../storage/naming.ts';
import { SEARCH_FUNCTION } from './sql-function.ts';

/** The generated column holding a record's search terms, and its GIN index. */
export const SEARCH_COLUMN = '_search';

export interface SearchField {
  id: string;
  name: string;
  /** Prefixes the field's terms in the search column: `0_`, `1_`, … */
  tag: string;
  digits: boolean;
}

/** What a module's search column indexes, and how. */
export interface SearchSpec {
  fields: SearchField[];
  /** The search function's arguments in the column's generation expression; empty when nothing is searchable. */
  arguments: string;
  /**
   * Identifies what the column holds, by field ids rather than names: a rename keeps it, any other
   * change (a field searchable or not, a type or option label changed, a new search function)
   * changes it, and the column is rebuilt. Kept as the column's comment.
   */
  signature: string;
}

interface FieldLike {
  definition: FieldDefinition;
  type: FieldType;
}

/** A field is searchable when its type supports search and the field does not opt out (or opts in). */
export function isSearchable({ definition, type }: FieldLike): boolean {
  if (!type.search) return false;
  return typeof definition.searchable === 'boolean' ? definition.searchable : type.search.byDefault;
}

export function searchSpec(fields: readonly FieldLike[]): SearchSpec {
  // tags by id order: they depend on which fields are searchable, not on the order fields are shown in
  const searchable = fields.filter(isSearchable).sort((a, b) => (a.definition.id < b.definition.id ? -1 : 1));
  const parts: string[] = [];
  const phones: string[] = [];
  const identity: unknown[] = [SEARCH_FUNCTION];
  const result: SearchField[] = searchable.map(({ definition, type }, i) => {
    const support = type.search;
    const tag = `${i.toString(36)}_`;
    const texts = support ? support.texts(definition, quoteIdent(definition.name)) : [];
    for (const text of texts) parts.push(`'${tag}'`, text);
    if (support?.digits) phones.push(`'${tag}'`, quoteIdent(definition.name));
    const columnFree = support ? support.texts(definition, `$${definition.id}`) : [];
    identity.push([definition.id, tag, columnFree, support?.digits === true]);
    return { id: definition.id, name: definition.name, tag, digits: support?.digits === true };
  });
  const array = (items: string[]) => (items.length > 0 ? `ARRAY[${items.join(', ')}]` : 'ARRAY[]::text[]');
  return {
    fields: result,
    arguments: result.length > 0 ? `${array(parts)}::text[], ${array(phones)}::text[]` : '',
    signature: result.length > 0 ? JSON.stringify(identity) : '',
  };
}
