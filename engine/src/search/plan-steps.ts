import type { FieldDefinition, LocaleText } from '../definitions/types.ts';
import type { FieldTypeRegistry } from '../fields/registry.ts';
import { MAX_IDENTIFIER, quoteIdent, quoteLiteral } from '../storage/naming.ts';
import { newColumn, SEARCH_COLUMN, type SearchSpec, searchSpec } from './spec.ts';
import { SEARCH_FUNCTION } from './sql-function.ts';

export interface SearchStep {
  kind: 'pauseSearch' | 'addSearch' | 'changeSearch' | 'dropSearch' | 'backfillSearch';
  description: LocaleText;
  sql: string[];
  rewritesTable: boolean;
}

export function searchIndexName(moduleId: string): string {
  return `sx_${moduleId}`.slice(0, MAX_IDENTIFIER);
}

function triggerFunctionName(moduleId: string): string {
  return `_search_${moduleId}`.slice(0, MAX_IDENTIFIER);
}

export function specOfDefinitions(fields: FieldDefinition[], registry: FieldTypeRegistry): SearchSpec {
  return searchSpec(fields.map((definition) => ({ definition, type: registry.require(definition.type) })));
}

const column = quoteIdent(SEARCH_COLUMN);

/**
 * The trigger that fills the search column on every insert, and on updates that change a searchable
 * column. It names no columns in its definition (`UPDATE OF …` would forbid changing their types).
 */
function triggerSql(schema: string, table: string, moduleId: string, spec: SearchSpec): string[] {
  const fn = `${quoteIdent(schema)}.${quoteIdent(triggerFunctionName(moduleId))}`;
  const row = (prefix: string) => spec.fields.map((f) => `${prefix}.${quoteIdent(f.name)}`).join(', ');
  return [
    `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'UPDATE' AND ROW(${row('NEW')}, NULL) IS NOT DISTINCT FROM ROW(${row('OLD')}, NULL) THEN
    RETURN NEW;
  END IF;
  NEW.${column} := ${quoteIdent(schema)}.${SEARCH_FUNCTION}(${spec.arguments(newColumn)});
  RETURN NEW;
END $fn$`,
    `DROP TRIGGER IF EXISTS ${column} ON ${table}`,
    `CREATE TRIGGER ${column} BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
    `COMMENT ON COLUMN ${table}.${column} IS ${quoteLiteral(spec.signature)}`,
  ];
}

/** Computes every record's terms again (when what existing values are indexed as has changed). */
function backfillSql(schema: string, table: string, spec: SearchSpec): string {
  return `UPDATE ${table} SET ${column} = ${quoteIdent(schema)}.${SEARCH_FUNCTION}(${spec.arguments(quoteIdent)})`;
}

/** The search column, its index and its trigger (the rows it holds are not indexed yet). */
function addSearchSql(schema: string, table: string, moduleId: string, spec: SearchSpec): string[] {
  return [
    `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${column} tsvector`,
    `CREATE INDEX IF NOT EXISTS ${quoteIdent(searchIndexName(moduleId))} ON ${table} USING gin (${column})`,
    ...triggerSql(schema, table, moduleId, spec),
  ];
}

/** Everything a table needs for search: column, index, trigger, and the terms of the rows it holds. */
export function installSearchSql(
  schema: string,
  table: string,
  moduleId: string,
  spec: SearchSpec,
): string[] {
  return [...addSearchSql(schema, table, moduleId, spec), backfillSql(schema, table, spec)];
}

export function dropSearchSql(schema: string, table: string, moduleId: string): string[] {
  return [
    `DROP TRIGGER IF EXISTS ${column} ON ${table}`,
    `DROP FUNCTION IF EXISTS ${quoteIdent(schema)}.${quoteIdent(triggerFunctionName(moduleId))}()`,
    `ALTER TABLE ${table} DROP COLUMN IF EXISTS ${column}`,
  ];
}

/**
 * Steps that keep a module's search column in step with its searchable fields. Terms are tagged by
 * field id, so a field added (empty in every record), removed (its tag is never asked for again) or
 * renamed needs no more than a new trigger; only a field whose existing values are indexed
 * differently (made searchable, options relabelled, type changed) makes every record's terms be
 * computed again, and the step says it rewrites the table.
 */
export function searchSteps(
  schema: string,
  table: string,
  moduleId: string,
  before: { spec: SearchSpec; fieldIds: ReadonlySet<string> } | undefined,
  after: SearchSpec,
  /** Whether the publish changes the table otherwise: the trigger then steps aside meanwhile. */
  touched = false,
): SearchStep[] {
  const had = before !== undefined && before.spec.signature !== '';
  if (had && before.spec.signature === after.signature && !touched) return [];
  const names = after.fields.map((f) => f.name).join(', ');
  // Conversions and renames write and reshape the table before the trigger is made again (or
  // dropped); the old one, compiled for the old columns, must not fire on their writes.
  const pause: SearchStep = {
    kind: 'pauseSearch',
    description: { en: 'Pause keyword search upkeep', 'zh-CN': '暂停关键词搜索索引维护' },
    sql: [`DROP TRIGGER IF EXISTS ${column} ON ${table}`],
    rewritesTable: false,
  };
  if (after.signature === '') {
    if (!had) return [];
    return [
      pause,
      {
        kind: 'dropSearch',
        description: { en: 'Remove the keyword search index', 'zh-CN': '移除关键词搜索索引' },
        sql: dropSearchSql(schema, table, moduleId),
        rewritesTable: false,
      },
    ];
  }
  const oldTerms = new Map((had ? before.spec.fields : []).map((f) => [f.id, f.terms]));
  const backfill = after.fields.some(
    (f) => before?.fieldIds.has(f.id) === true && oldTerms.get(f.id) !== f.terms,
  );
  const steps: SearchStep[] = had ? [pause] : [];
  steps.push({
    kind: had ? 'changeSearch' : 'addSearch',
    description: {
      en: `${had ? 'Update' : 'Build'} the keyword search index over ${names}`,
      'zh-CN': `${had ? '更新' : '建立'} ${names} 的关键词搜索索引`,
    },
    sql: had ? triggerSql(schema, table, moduleId, after) : addSearchSql(schema, table, moduleId, after),
    rewritesTable: false,
  });
  // last in the plan: after conversions have put the converted values in place
  if (backfill) {
    steps.push({
      kind: 'backfillSearch',
      description: {
        en: 'Index every record again for keyword search',
        'zh-CN': '为所有记录重建关键词搜索索引',
      },
      sql: [backfillSql(schema, table, after)],
      rewritesTable: true,
    });
  }
  return steps;
}
