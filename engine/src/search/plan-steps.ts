import type { FieldDefinition, LocaleText } from '../definitions/types.ts';
import type { FieldTypeRegistry } from '../fields/registry.ts';
import { MAX_IDENTIFIER, quoteIdent } from '../storage/naming.ts';
import { SEARCH_COLUMN, type SearchSpec, searchSpec } from './spec.ts';
import { SEARCH_FUNCTION } from './sql-function.ts';

export interface SearchStep {
  kind: 'dropSearch' | 'addSearch';
  description: LocaleText;
  sql: string[];
}

export function searchIndexName(moduleId: string): string {
  return `sx_${moduleId}`.slice(0, MAX_IDENTIFIER);
}

export function specOfDefinitions(fields: FieldDefinition[], registry: FieldTypeRegistry): SearchSpec {
  return searchSpec(fields.map((definition) => ({ definition, type: registry.require(definition.type) })));
}

/** The DDL that (re)builds a module table's search column and its index, with `spec` as its comment. */
export function addSearchColumnSql(schema: string, table: string, moduleId: string, spec: SearchSpec) {
  const column = quoteIdent(SEARCH_COLUMN);
  return [
    `ALTER TABLE ${table} ADD COLUMN ${column} tsvector GENERATED ALWAYS AS (${quoteIdent(schema)}.${SEARCH_FUNCTION}(${spec.arguments})) STORED`,
    `CREATE INDEX ${quoteIdent(searchIndexName(moduleId))} ON ${table} USING gin (${column})`,
    `COMMENT ON COLUMN ${table}.${column} IS '${spec.signature.replace(/'/g, "''")}'`,
  ];
}

/**
 * Steps that keep a module's search column in step with its searchable fields: when what it indexes
 * changes, the column is dropped early in the publish and generated again at its end, which fills
 * it for every existing record (a table rewrite) so no record keeps stale terms.
 */
export function searchSteps(
  schema: string,
  table: string,
  moduleId: string,
  before: SearchSpec | undefined,
  after: SearchSpec,
): SearchStep[] {
  if (before && before.signature === after.signature) return [];
  const steps: SearchStep[] = [];
  if (before && before.signature !== '') {
    steps.push({
      kind: 'dropSearch',
      description: { en: 'Remove the keyword search index', 'zh-CN': '移除关键词搜索索引' },
      sql: [`ALTER TABLE ${table} DROP COLUMN IF EXISTS ${quoteIdent(SEARCH_COLUMN)}`],
    });
  }
  if (after.signature !== '') {
    const names = after.fields.map((f) => f.name).join(', ');
    steps.push({
      kind: 'addSearch',
      description: {
        en: `Build the keyword search index over ${names}`,
        'zh-CN': `为 ${names} 建立关键词搜索索引`,
      },
      sql: addSearchColumnSql(schema, table, moduleId, after),
    });
  }
  return steps;
}
