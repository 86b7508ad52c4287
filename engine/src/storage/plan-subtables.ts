import type { FieldDefinition, ModuleDefinition } from '../definitions/types.ts';
import { pointerOf } from '../errors.ts';
import { subtableSettings } from '../fields/subtable.ts';
import { archivedColumnName, qualified, quoteIdent, subtableName, subtableOwnerId } from './naming.ts';
import { type PlanContext, planFields } from './plan.ts';

function subtables(module: ModuleDefinition | undefined): Map<string, FieldDefinition> {
  return new Map((module?.fields ?? []).filter((f) => f.type === 'subtable').map((f) => [f.id, f]));
}

/**
 * Steps for the child tables of a module's sub-table fields: a table per field (named by stable ids,
 * so renames touch nothing), its columns planned like a module's (see `planFields`), and the table
 * of a removed sub-table archived with its rows until purged.
 */
export function planSubtables(
  ctx: PlanContext,
  before: ModuleDefinition | undefined,
  after: ModuleDefinition,
): void {
  const { schema, version, step } = ctx;
  const old = subtables(before);
  const next = subtables(after);
  for (const [id, field] of old) {
    if (next.has(id)) continue;
    const name = subtableName(after.id, id);
    const archivedName = archivedColumnName(name, version);
    step(
      'archiveColumn',
      {
        en: `Archive sub-table ${field.name}: its rows are kept in table ${archivedName} until purged`,
        'zh-CN': `归档子表 ${field.name}：其行保留在数据表 ${archivedName} 中，直到清除`,
      },
      [`ALTER TABLE ${qualified(schema, name)} RENAME TO ${quoteIdent(archivedName)}`],
      { field: field.name },
    );
    ctx.archive(after.id, field, archivedName, []);
  }
  for (const [id, field] of next) {
    const table = subtableName(after.id, id);
    const previous = old.get(id);
    if (!previous) {
      const qualifiedTable = qualified(schema, table);
      step(
        'createTable',
        {
          en: `Create table ${table} for the rows of sub-table ${field.name}`,
          'zh-CN': `为子表 ${field.name} 的行创建数据表 ${table}`,
        },
        [
          `CREATE TABLE ${qualifiedTable} (id uuid PRIMARY KEY, parent_id uuid NOT NULL REFERENCES ${qualified(schema, after.name)} (id) ON DELETE CASCADE, position integer NOT NULL)`,
          `CREATE INDEX ${quoteIdent(`ix_${table}_parent`)} ON ${qualifiedTable} (parent_id, position)`,
        ],
        { field: field.name },
      );
    }
    const index = after.fields.indexOf(field);
    planFields(ctx, {
      table,
      moduleName: after.name,
      existed: previous !== undefined,
      ownerId: subtableOwnerId(after.id, id),
      what: `${field.name}.`,
      pointer: (j) => pointerOf('modules', after.name, 'fields', index, 'fields', j),
      before: previous ? subtableSettings(previous).fields : [],
      after: subtableSettings(field).fields,
      uniqueWithin: 'parent_id',
    });
  }
}
