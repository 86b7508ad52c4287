import type { FieldDefinition } from '../definitions/types.ts';
import type { FieldType } from '../fields/registry.ts';
import { quoteIdent } from '../storage/naming.ts';
import { SEARCH_FUNCTION } from './sql-function.ts';

/** The column holding a record's search terms (kept by a trigger), and its GIN index. */
export const SEARCH_COLUMN = '_search';

export interface SearchField {
  id: string;
  name: string;
  /** Prefixes the field's terms in the search column; from the field's id, so it never changes. */
  tag: string;
  digits: boolean;
  /** What the field's terms are made of, independent of its name: a change needs a backfill. */
  terms: string;
}

/** What a module's search column indexes, and how. */
export interface SearchSpec {
  fields: SearchField[];
  /**
   * The search function's arguments for a row whose columns `column(name)` gives; empty when
   * nothing is searchable.
   */
  arguments(column: (name: string) => string): string;
  /** Identifies the whole spec (names included): kept as the column's comment. */
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

/** FNV-1a 32-bit in base 36: a short tag from a field id. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

export function searchSpec(fields: readonly FieldLike[]): SearchSpec {
  const searchable = fields.filter(isSearchable).sort((a, b) => (a.definition.id < b.definition.id ? -1 : 1));
  const used = new Set<string>();
  const result = searchable.map(({ definition, type }) => {
    let tag = `${shortHash(definition.id)}_`;
    // two field ids of one module with the same hash: the later (by id) takes a salted one
    for (let salt = 1; used.has(tag); salt++) tag = `${shortHash(`${definition.id}#${salt}`)}_`;
    used.add(tag);
    const support = type.search;
    const digits = support?.digits === true;
    const texts = (column: string) => (support ? support.texts(definition, column) : []);
    const terms = JSON.stringify([SEARCH_FUNCTION, tag, definition.type, texts(`$${definition.id}`), digits]);
    return { field: { id: definition.id, name: definition.name, tag, digits, terms }, texts };
  });
  const array = (items: string[]) => (items.length > 0 ? `ARRAY[${items.join(', ')}]` : 'ARRAY[]::text[]');
  return {
    fields: result.map((r) => r.field),
    arguments: (column) => {
      if (result.length === 0) return '';
      const parts: string[] = [];
      const phones: string[] = [];
      for (const { field, texts } of result) {
        // as text: mid-publish (a refused type change) a column may still hold its old type
        for (const text of texts(column(field.name))) parts.push(`'${field.tag}'`, `(${text})::text`);
        if (field.digits) phones.push(`'${field.tag}'`, `(${column(field.name)})::text`);
      }
      return `${array(parts)}::text[], ${array(phones)}::text[]`;
    },
    signature:
      result.length > 0 ? JSON.stringify(result.map(({ field }) => [field.id, field.name, field.terms])) : '',
  };
}

/** A column of the row a trigger is writing. */
export const newColumn = (name: string) => `NEW.${quoteIdent(name)}`;
