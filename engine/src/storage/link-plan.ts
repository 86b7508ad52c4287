import type { FieldDefinition, LocaleText, ModuleDefinition } from '../definitions/types.ts';
import { relationSettings } from '../fields/relation.ts';
import { relationsSettings } from '../fields/relations.ts';
import { archivedColumnName, constraintName, linkTableName, qualified, quoteIdent } from './naming.ts';

export interface LinkStep {
  kind: 'archiveLinkTable' | 'createLinkTable';
  field: string;
  description: LocaleText;
  sql: string[];
}

export interface ArchivedLinks {
  field: FieldDefinition;
  table: string;
  columns: string[];
}

const isLinks = (field: FieldDefinition | undefined): field is FieldDefinition => field?.type === 'relations';

/**
 * The join tables a module change needs: one per many-relation field, created with the field and
 * archived (renamed, data kept) when the field goes away, stops being a many-relation or changes its
 * target. A field that was a single relation to the same target starts with its value as one link.
 */
export function planLinkTables(
  schema: string,
  before: ModuleDefinition | undefined,
  after: ModuleDefinition,
  version: number,
  modulesAfter: ReadonlyMap<string, ModuleDefinition>,
): { steps: LinkStep[]; archived: ArchivedLinks[] } {
  const steps: LinkStep[] = [];
  const archived: ArchivedLinks[] = [];
  const oldFields = new Map((before?.fields ?? []).map((f) => [f.id, f]));
  const newFields = new Map(after.fields.map((f) => [f.id, f]));

  for (const old of oldFields.values()) {
    if (!isLinks(old)) continue;
    const next = newFields.get(old.id);
    if (isLinks(next) && relationsSettings(next).target === relationsSettings(old).target) continue;
    const table = linkTableName(after.id, old.id);
    const archivedTable = archivedColumnName(table, version);
    steps.push({
      kind: 'archiveLinkTable',
      field: old.name,
      description: {
        en: `Archive the links of field ${old.name}: they are kept in table ${archivedTable} until purged`,
        'zh-CN': `归档字段 ${old.name} 的关联：保留在数据表 ${archivedTable} 中，直到清除`,
      },
      sql: [
        `ALTER TABLE ${qualified(schema, table)} RENAME TO ${quoteIdent(archivedTable)}`,
        // index names are unique in the schema: free them for a join table made again under this name
        `ALTER INDEX ${qualified(schema, `${table}_pk`)} RENAME TO ${quoteIdent(`${archivedTable}_pk`.slice(0, 63))}`,
        `ALTER INDEX ${qualified(schema, `${table}_target`)} RENAME TO ${quoteIdent(`${archivedTable}_target`.slice(0, 63))}`,
      ],
    });
    // the entry's one "column" is the archived table: purging the entry drops it
    archived.push({ field: old, table: archivedTable, columns: [archivedTable] });
  }

  for (const field of after.fields) {
    if (!isLinks(field)) continue;
    const old = oldFields.get(field.id);
    const { target } = relationsSettings(field);
    if (isLinks(old) && relationsSettings(old).target === target) continue;
    const targetModule = modulesAfter.get(target);
    if (!targetModule) continue;
    const table = linkTableName(after.id, field.id);
    const qualifiedTable = qualified(schema, table);
    const statements = [
      `CREATE TABLE ${qualifiedTable} (
        source_id uuid NOT NULL REFERENCES ${qualified(schema, after.name)} (id) ON DELETE CASCADE,
        target_id uuid NOT NULL CONSTRAINT ${quoteIdent(constraintName('fk', after.id, field.id))}
          REFERENCES ${qualified(schema, targetModule.name)} (id) ON DELETE CASCADE,
        position integer NOT NULL,
        CONSTRAINT ${quoteIdent(`${table}_pk`)} PRIMARY KEY (source_id, target_id))`,
      `CREATE INDEX ${quoteIdent(`${table}_target`)} ON ${qualifiedTable} (target_id, source_id)`,
    ];
    if (old?.type === 'relation' && relationSettings(old).target === target) {
      // the single relation's column was archived earlier in this plan (archive steps run first)
      const column = quoteIdent(archivedColumnName(old.name, version));
      statements.push(
        `INSERT INTO ${qualifiedTable} (source_id, target_id, position)
         SELECT s.id, s.${column}, 1 FROM ${qualified(schema, after.name)} s
         WHERE s.${column} IS NOT NULL AND EXISTS (SELECT 1 FROM ${qualified(schema, targetModule.name)} x WHERE x.id = s.${column})`,
      );
    }
    steps.push({
      kind: 'createLinkTable',
      field: field.name,
      description: {
        en: `Create the links of field ${field.name} to ${targetModule.name}`,
        'zh-CN': `创建字段 ${field.name} 到 ${targetModule.name} 的关联表`,
      },
      sql: statements,
    });
  }
  return { steps, archived };
}
