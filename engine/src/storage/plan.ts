import { autonumberBackfill } from '../autonumber/backfill.ts';
import type { FieldDefinition, LocaleText, ModuleDefinition } from '../definitions/types.ts';
import { type Problem, pointerOf } from '../errors.ts';
import type { FieldTypeRegistry } from '../fields/registry.ts';
import { relationSettings } from '../fields/relation.ts';
import { releaseFilesTrigger } from '../files/release-trigger.ts';
import { searchSteps, specOfDefinitions } from '../search/plan-steps.ts';
import type { ConversionReport } from './conversion-report.ts';
import { losslessConversion } from './conversions.ts';
import { type LinkStep, planLinkTables } from './link-plan.ts';
import {
  archivedColumnName,
  constraintName,
  conversionColumnName,
  OWNER_PATH_COLUMN,
  ownerIndexName,
  qualified,
  quoteIdent,
} from './naming.ts';
import { planSubtables } from './plan-subtables.ts';
import { columnTypeChange, type TypeChange, typeChangeOf } from './type-changes.ts';

/** A check against existing data that a step needs to succeed; run by the preview and by the apply. */
export type PlanCheck =
  | {
      kind: 'duplicates';
      table: string;
      column: string;
      /** Duplicates count only within groups of this column (the parent of sub-table rows). */
      within?: string;
      module: string;
      field: string;
      pointer: string;
    }
  | {
      kind: 'orphans';
      table: string;
      column: string;
      targetTable: string;
      module: string;
      field: string;
      pointer: string;
    };

export type StepKind =
  | 'createTable'
  | 'renameTable'
  | 'dropConstraint'
  | 'renameColumn'
  | 'archiveColumn'
  | 'addColumn'
  | 'alterColumnType'
  | 'convertColumn'
  | 'backfill'
  | 'addUnique'
  | 'addIndex'
  | 'addForeignKey'
  | 'pauseSearch'
  | 'addSearch'
  | 'changeSearch'
  | 'dropSearch'
  | 'backfillSearch'
  | LinkStep['kind'];

export interface MigrationStep {
  kind: StepKind;
  module: string;
  field?: string;
  /** What the step does, in words an admin reads in the preview. */
  description: LocaleText;
  sql: string[];
  /** True when the step rewrites the table (takes time on large tables). */
  rewritesTable?: boolean;
  check?: PlanCheck;
  /** What a conversion did to the field's values (in previews and publish results). */
  conversion?: ConversionReport;
  /** For a conversion into a new column: how to count what it could not convert, run after it. */
  conversionCheck?: ConversionCheck;
}

/** What a `convertColumn` step is measured by once it ran: SQL predicates over the module's table. */
export interface ConversionCheck {
  table: string;
  column: string;
  archivedColumn: string;
  module: string;
  field: string;
  from: string;
  to: string;
  required: boolean;
  pointer: string;
  /** True for rows whose non-empty old value did not convert. */
  unconvertible: string;
  /** True for rows whose value converted but kept less than before. */
  lossy: string;
  /** True for rows with a non-empty old value. */
  present: string;
}

export interface ArchivedColumns {
  moduleId: string;
  field: FieldDefinition;
  table: string;
  columns: string[];
}

export interface MigrationPlan {
  steps: MigrationStep[];
  /** Changes the engine refuses to make; a plan with refusals cannot be applied. */
  refusals: Problem[];
  archived: ArchivedColumns[];
}

// Archives go before renames, so a field can take the name of one removed in the same publish.
const PHASES: StepKind[] = [
  'createTable',
  'renameTable',
  'pauseSearch',
  'dropConstraint',
  'archiveColumn',
  'archiveLinkTable',
  'renameColumn',
  'addColumn',
  'alterColumnType',
  'convertColumn',
  // the search trigger, made after the column types are final, is in place for backfills to index
  'addSearch',
  'changeSearch',
  'dropSearch',
  'backfill',
  'addUnique',
  'addIndex',
  'addForeignKey',
  'createLinkTable',
  'backfillSearch',
];

export interface ModuleChange {
  /** The published definition, if any. */
  before?: ModuleDefinition;
  after: ModuleDefinition;
  /** The version `after` will be published as. */
  version: number;
}

/** System columns every module table starts with. */
export const SYSTEM_COLUMNS_DDL = [
  'id uuid PRIMARY KEY',
  'version integer NOT NULL DEFAULT 1',
  'owner uuid',
  'created_at timestamptz NOT NULL DEFAULT now()',
  'created_by uuid',
  'updated_at timestamptz NOT NULL DEFAULT now()',
  'updated_by uuid',
  `${OWNER_PATH_COLUMN} text`,
  // soft delete: a record in the recycle bin keeps its row until purged
  'deleted_at timestamptz',
  'deleted_by uuid',
];

/** Unique values are unique among live records: the recycle bin does not hold a value hostage. */
export const LIVE_ROWS = 'deleted_at IS NULL';

interface Columns {
  names: string[];
  sqlTypes: string[];
  suffixes: string[];
}

/**
 * Diffs published definitions against the new ones into DDL steps, matching modules and fields by
 * their stable ids (a changed name is a rename). `modulesAfter` resolves relation targets.
 */
export function planMigration(
  schema: string,
  changes: ModuleChange[],
  modulesAfter: ReadonlyMap<string, ModuleDefinition>,
  registry: FieldTypeRegistry,
): MigrationPlan {
  const steps: MigrationStep[] = [];
  const refusals: Problem[] = [];
  const archived: ArchivedColumns[] = [];
  const tableOf = (moduleName: string) => qualified(schema, moduleName);
  /** One archive entry per field and version, however many of its columns are archived. */
  const archive = (moduleId: string, field: FieldDefinition, table: string, columns: string[]) => {
    const entry = archived.find((a) => a.moduleId === moduleId && a.field.id === field.id);
    if (entry) entry.columns.push(...columns);
    else archived.push({ moduleId, field, table, columns: [...columns] });
  };

  for (const { before, after, version } of changes) {
    const table = tableOf(after.name);
    const step = (
      kind: StepKind,
      description: LocaleText,
      sql: string[],
      extra: Partial<MigrationStep> = {},
    ) => steps.push({ kind, module: after.name, description, sql, ...extra });

    const firstStep = steps.length;
    if (!before) {
      step('createTable', { en: `Create table ${after.name}`, 'zh-CN': `创建数据表 ${after.name}` }, [
        `CREATE TABLE ${table} (${SYSTEM_COLUMNS_DDL.join(', ')})`,
        `CREATE INDEX ${quoteIdent(`ix_${after.id}_created`.slice(0, 63))} ON ${table} (created_at, id)`,
        // serves the 'own' access scope (and its default sort) and the department scopes' owner lookups
        `CREATE INDEX ${quoteIdent(ownerIndexName(after.id))} ON ${table} (owner, created_at, id)`,
      ]);
    } else if (before.name !== after.name) {
      step(
        'renameTable',
        {
          en: `Rename table ${before.name} to ${after.name}`,
          'zh-CN': `数据表 ${before.name} 重命名为 ${after.name}`,
        },
        [`ALTER TABLE ${tableOf(before.name)} RENAME TO ${quoteIdent(after.name)}`],
      );
    }

    const links = planLinkTables(schema, before, after, version, modulesAfter);
    for (const { kind, description, sql, field } of links.steps) step(kind, description, sql, { field });
    for (const a of links.archived) archived.push({ moduleId: after.id, ...a });

    const context: PlanContext = {
      schema,
      version,
      registry,
      modulesAfter,
      step,
      refusals,
      archive,
      moduleId: after.id,
    };
    planFields(context, {
      table: after.name,
      moduleName: after.name,
      ownerId: after.id,
      what: '',
      existed: before !== undefined,
      pointer: (index) => pointerOf('modules', after.name, 'fields', index),
      before: before?.fields ?? [],
      after: after.fields,
    });
    planSubtables(context, before, after);
    const touched = steps.length > firstStep;
    for (const search of searchSteps(
      schema,
      table,
      after.id,
      before && {
        spec: specOfDefinitions(before.fields, registry),
        fieldIds: new Set(before.fields.map((f) => f.id)),
      },
      specOfDefinitions(after.fields, registry),
      touched,
    )) {
      step(search.kind, search.description, search.sql, { rewritesTable: search.rewritesTable });
    }
  }

  steps.sort((a, b) => PHASES.indexOf(a.kind) - PHASES.indexOf(b.kind));
  return { steps, refusals, archived };
}

/** What planning the fields of one table needs from the plan being built. */
export interface PlanContext {
  schema: string;
  version: number;
  registry: FieldTypeRegistry;
  modulesAfter: ReadonlyMap<string, ModuleDefinition>;
  /** Adds a step to the plan, on behalf of the module being published. */
  step: (kind: StepKind, description: LocaleText, sql: string[], extra?: Partial<MigrationStep>) => void;
  refusals: Problem[];
  /** Records archived columns (one entry per field and version). */
  archive: (moduleId: string, field: FieldDefinition, table: string, columns: string[]) => void;
  moduleId: string;
}

/** One table whose columns follow a list of fields: a module's table or a sub-table's child table. */
export interface FieldTable {
  /** Table name in the workspace schema. */
  table: string;
  /** The module's name, as checks and messages name it. */
  moduleName: string;
  /** Stable id constraint names hang on (the module's, or module/sub-table field for rows). */
  ownerId: string;
  /** '' for the module's own fields, `lines.` for the rows of sub-table `lines` (in descriptions). */
  what: string;
  /** Whether the table existed before this publish (its rows may need a backfill). */
  existed: boolean;
  /** Pointer of field `index` in the publish request. */
  pointer: (index: number) => string;
  before: FieldDefinition[];
  after: FieldDefinition[];
  /** Unique values are unique per parent record (the rows of one record), not in the whole table. */
  uniqueWithin?: string;
}

/**
 * Steps for the columns of one table: fields matched by their stable ids (a changed name is a
 * rename), removed fields archived, type changes made in place or converted into a new column,
 * unique/index/foreign-key constraints following the settings.
 */
export function planFields(ctx: PlanContext, target: FieldTable): void {
  const { schema, version, registry, modulesAfter, step, refusals, archive } = ctx;
  const table = qualified(schema, target.table);
  const tableOf = (moduleName: string) => qualified(schema, moduleName);
  const columnsOf = (field: FieldDefinition): Columns => {
    const specs = registry.require(field.type).columns(field);
    return {
      names: specs.map((s) => field.name + s.suffix),
      sqlTypes: specs.map((s) => s.sqlType),
      suffixes: specs.map((s) => s.suffix),
    };
  };
  const named = (field: FieldDefinition) => target.what + field.name;

  const oldFields = new Map(target.before.map((f) => [f.id, f]));
  const newIds = new Set(target.after.map((f) => f.id));

  for (const old of oldFields.values()) {
    if (newIds.has(old.id)) continue;
    const columns = columnsOf(old);
    dropConstraints(old, undefined);
    if (columns.names.length === 0) continue;
    const archivedNames = columns.names.map((c) => archivedColumnName(c, version));
    step(
      'archiveColumn',
      {
        en: `Archive field ${named(old)}: its data is kept in ${archivedNames.join(', ')} until purged`,
        'zh-CN': `归档字段 ${named(old)}：数据保留在 ${archivedNames.join('、')} 中，直到清除`,
      },
      columns.names.map(
        (c, i) => `ALTER TABLE ${table} RENAME COLUMN ${quoteIdent(c)} TO ${quoteIdent(archivedNames[i])}`,
      ),
      { field: named(old) },
    );
    archive(ctx.moduleId, old, target.table, archivedNames);
  }

  target.after.forEach((field, index) => {
    const old = oldFields.get(field.id);
    const columns = columnsOf(field);
    if (!old) {
      for (const [i, name] of columns.names.entries()) {
        step(
          'addColumn',
          {
            en: `Add field ${named(field)} (${field.type})`,
            'zh-CN': `新增字段 ${named(field)}（${field.type}）`,
          },
          [
            `ALTER TABLE ${table} ADD COLUMN ${quoteIdent(name)} ${columns.sqlTypes[i]}`,
            ...(field.type === 'file' ? [releaseFilesTrigger(schema, table, ctx.moduleId)] : []),
          ],
          { field: named(field) },
        );
      }
      if (target.existed && field.type === 'autonumber') {
        step(
          'backfill',
          {
            en: `Number the existing records in field ${named(field)}, in the order they were created`,
            'zh-CN': `按创建顺序为现有记录编号（字段 ${named(field)}）`,
          },
          autonumberBackfill(schema, table, ctx.moduleId, field),
          { field: named(field), rewritesTable: true },
        );
      }
      addConstraints(field, undefined, index);
      return;
    }
    if (field.type === 'autonumber' && old.type !== 'autonumber') {
      const message = `field '${field.name}' cannot become an autonumber: its values would not be the engine's numbers; add a new autonumber field instead`;
      refusals.push({
        pointer: `${target.pointer(index)}/type`,
        code: 'type-change',
        message,
        messages: { en: message, 'zh-CN': `字段 ${named(field)} 不能改为自动编号：请新增一个自动编号字段` },
      });
      return;
    }
    const oldColumns = columnsOf(old);
    const mainChange = mainColumnChange(old, field, oldColumns, columns);
    // a field converted into a new column gets its index and constraints anew, on converted values
    const replaced = oldColumns.sqlTypes.join() !== columns.sqlTypes.join() || mainChange?.kind === 'convert';
    dropConstraints(old, field, replaced);
    if (old.name !== field.name) {
      oldColumns.suffixes.forEach((suffix, i) => {
        if (!columns.suffixes.includes(suffix)) return;
        step(
          'renameColumn',
          {
            en: `Rename field ${named(old)} to ${named(field)}`,
            'zh-CN': `字段 ${named(old)} 重命名为 ${named(field)}`,
          },
          [
            `ALTER TABLE ${table} RENAME COLUMN ${quoteIdent(oldColumns.names[i])} TO ${quoteIdent(field.name + suffix)}`,
          ],
          { field: named(field) },
        );
      });
    }
    columns.suffixes.forEach((suffix, i) => {
      const oldIndex = oldColumns.suffixes.indexOf(suffix);
      const column = columns.names[i];
      if (oldIndex < 0) {
        step(
          'addColumn',
          {
            en: `Add column ${column} for field ${named(field)}`,
            'zh-CN': `为字段 ${named(field)} 新增列 ${column}`,
          },
          [`ALTER TABLE ${table} ADD COLUMN ${quoteIdent(column)} ${columns.sqlTypes[i]}`],
          { field: named(field) },
        );
        return;
      }
      const from = oldColumns.sqlTypes[oldIndex];
      const to = columns.sqlTypes[i];
      const change = suffix === '' && mainChange ? mainChange : columnTypeChange(from, to);
      changeColumn(old, field, index, column, change, from, to);
    });
    oldColumns.suffixes.forEach((suffix, i) => {
      if (columns.suffixes.includes(suffix)) return;
      const archivedName = archivedColumnName(oldColumns.names[i], version);
      step(
        'archiveColumn',
        { en: `Archive column ${oldColumns.names[i]}`, 'zh-CN': `归档列 ${oldColumns.names[i]}` },
        [
          `ALTER TABLE ${table} RENAME COLUMN ${quoteIdent(oldColumns.names[i])} TO ${quoteIdent(archivedName)}`,
        ],
        { field: named(field) },
      );
      archive(ctx.moduleId, old, target.table, [archivedName]);
    });
    addConstraints(field, old, index, replaced);
  });

  /** The change of a kept field's main column (the one without a suffix), if both have one. */
  function mainColumnChange(
    old: FieldDefinition,
    field: FieldDefinition,
    from: Columns,
    to: Columns,
  ): TypeChange | undefined {
    const i = from.suffixes.indexOf('');
    const j = to.suffixes.indexOf('');
    if (i < 0 || j < 0) return undefined;
    return typeChangeOf(old, field, from.sqlTypes[i], to.sqlTypes[j]);
  }

  /** Steps (or a refusal) for one kept column whose SQL type `from` becomes `to`. */
  function changeColumn(
    old: FieldDefinition,
    field: FieldDefinition,
    index: number,
    column: string,
    change: TypeChange,
    from: string,
    to: string,
  ) {
    const pointer = `${target.pointer(index)}/type`;
    const types = old.type === field.type ? `${from} → ${to}` : `${old.type} → ${field.type}`;
    if (change.kind === 'unchanged') return;
    if (change.kind === 'refused') {
      const messages = {
        en: `field '${named(field)}' cannot change from ${old.type} (${from}) to ${field.type} (${to}): there is no conversion between these types`,
        'zh-CN': `字段 ${named(field)} 不能由 ${old.type}（${from}）改为 ${field.type}（${to}）：这两种类型之间无法转换`,
      };
      refusals.push({ pointer, code: 'type-change', message: messages.en, messages });
      return;
    }
    if (change.kind === 'inPlace') {
      const using = losslessConversion(from, to, quoteIdent(column));
      step(
        'alterColumnType',
        {
          en: `Change field ${named(field)} from ${types} (no value is lost)`,
          'zh-CN': `字段 ${named(field)} 类型变更：${types}（不会丢失数据）`,
        },
        [`ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(column)} TYPE ${to} USING ${using}`],
        { field: named(field), rewritesTable: true },
      );
      return;
    }
    const { conversion } = change;
    const converted = quoteIdent(conversionColumnName(column));
    const archivedName = archivedColumnName(column, version);
    const kept = quoteIdent(archivedName);
    const now = quoteIdent(column);
    step(
      'convertColumn',
      {
        en: `Convert field ${named(field)} (${types}) into a new column; the old values are kept in ${archivedName}`,
        'zh-CN': `字段 ${named(field)}（${types}）转换到新列；原值保留在 ${archivedName} 中`,
      },
      [
        `ALTER TABLE ${table} ADD COLUMN ${converted} ${to}`,
        `UPDATE ${table} SET ${converted} = ${conversion.value(now)}`,
        `ALTER TABLE ${table} RENAME COLUMN ${now} TO ${kept}`,
        `ALTER TABLE ${table} RENAME COLUMN ${converted} TO ${now}`,
      ],
      {
        field: named(field),
        rewritesTable: true,
        conversionCheck: {
          table: target.table,
          column,
          archivedColumn: archivedName,
          module: target.moduleName,
          field: named(field),
          from: old.type === field.type ? from : old.type,
          to: old.type === field.type ? to : field.type,
          required: field.required === true,
          pointer,
          unconvertible: `NOT ${conversion.empty(kept)} AND ${now} IS NULL`,
          lossy: conversion.lossy ? `${now} IS NOT NULL AND ${conversion.lossy(kept, now)}` : 'false',
          present: `NOT ${conversion.empty(kept)}`,
        },
      },
    );
    archive(ctx.moduleId, old, target.table, [archivedName]);
  }

  function wanted(field: FieldDefinition | undefined) {
    if (!field) return { uq: false, ix: false, fk: undefined as string | undefined };
    const isRelation = field.type === 'relation';
    const relation = isRelation ? relationSettings(field) : undefined;
    return {
      // an autonumber is always unique: never the same number twice, whatever happens
      uq: field.unique === true || field.type === 'autonumber',
      ix: !field.unique && field.type !== 'autonumber' && (field.indexed === true || isRelation),
      fk: relation ? `${relation.target}:${relation.onDelete ?? 'restrict'}` : undefined,
    };
  }

  /** Drops what `old` had that `next` no longer wants (or all of it when the field goes away). */
  function dropConstraints(old: FieldDefinition, next: FieldDefinition | undefined, typeChanged = false) {
    const had = wanted(old);
    const wants = wanted(next);
    const drops: string[] = [];
    if (had.fk && (had.fk !== wants.fk || typeChanged)) {
      drops.push(
        `ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${quoteIdent(constraintName('fk', target.ownerId, old.id))}`,
      );
    }
    if (had.uq && (!wants.uq || typeChanged))
      drops.push(`DROP INDEX IF EXISTS ${qualified(schema, constraintName('uq', target.ownerId, old.id))}`);
    if (had.ix && (!wants.ix || typeChanged))
      drops.push(`DROP INDEX IF EXISTS ${qualified(schema, constraintName('ix', target.ownerId, old.id))}`);
    if (drops.length > 0) {
      step(
        'dropConstraint',
        {
          en: `Remove index or constraint of field ${named(old)}`,
          'zh-CN': `移除字段 ${named(old)} 的索引或约束`,
        },
        drops,
        { field: named(old) },
      );
    }
  }

  function addConstraints(
    field: FieldDefinition,
    old: FieldDefinition | undefined,
    index: number,
    typeChanged = false,
  ) {
    const pointer = target.pointer(index);
    const had = wanted(old);
    const wants = wanted(field);
    const column = quoteIdent(field.name);
    if (wants.uq && (!had.uq || typeChanged)) {
      step(
        'addUnique',
        { en: `Make field ${named(field)} unique`, 'zh-CN': `字段 ${named(field)} 设为唯一` },
        [
          // a record's rows: unique among them; records: unique among live ones (the recycle bin holds no value)
          target.uniqueWithin
            ? `CREATE UNIQUE INDEX ${quoteIdent(constraintName('uq', target.ownerId, field.id))} ON ${table} (${quoteIdent(target.uniqueWithin)}, ${column})`
            : `CREATE UNIQUE INDEX ${quoteIdent(constraintName('uq', target.ownerId, field.id))} ON ${table} (${column}) WHERE ${LIVE_ROWS}`,
        ],
        {
          field: named(field),
          check: {
            kind: 'duplicates',
            table: target.table,
            column: field.name,
            ...(target.uniqueWithin ? { within: target.uniqueWithin } : {}),
            module: target.moduleName,
            field: named(field),
            pointer,
          },
        },
      );
    }
    if (wants.ix && (!had.ix || typeChanged)) {
      step(
        'addIndex',
        { en: `Index field ${named(field)}`, 'zh-CN': `为字段 ${named(field)} 建立索引` },
        [
          `CREATE INDEX ${quoteIdent(constraintName('ix', target.ownerId, field.id))} ON ${table} (${column})`,
        ],
        { field: named(field) },
      );
    }
    if (wants.fk && (wants.fk !== had.fk || typeChanged)) {
      const relation = relationSettings(field);
      const targetModule = modulesAfter.get(relation.target);
      if (!targetModule) return;
      const onDelete = relation.onDelete === 'setNull' ? 'SET NULL' : 'RESTRICT';
      step(
        'addForeignKey',
        {
          en: `Link field ${named(field)} to ${targetModule.name}`,
          'zh-CN': `字段 ${named(field)} 关联到 ${targetModule.name}`,
        },
        [
          `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(constraintName('fk', target.ownerId, field.id))} FOREIGN KEY (${column}) REFERENCES ${tableOf(targetModule.name)} (id) ON DELETE ${onDelete}`,
        ],
        {
          field: named(field),
          check: {
            kind: 'orphans',
            table: target.table,
            column: field.name,
            targetTable: targetModule.name,
            module: target.moduleName,
            field: named(field),
            pointer,
          },
        },
      );
    }
  }
}
