import { sql } from 'drizzle-orm';
import { appendOperation } from '../access/operation-log.ts';
import { localizedError, notFound } from '../errors.ts';
import { timestampToIso } from '../fields/shared.ts';
import { subtableSettings } from '../fields/subtable.ts';
import type { Actor } from '../records/types.ts';
import type { Db } from '../storage/db.ts';
import { PUBLISH_LOCK, PUBLISH_LOCK_TIMEOUT } from '../storage/execute.ts';
import { archivedColumns } from '../storage/meta-tables.ts';
import { isSubtableName, qualified, quoteIdent, quoteLiteral } from '../storage/naming.ts';
import type { DefinitionStore } from './store.ts';
import type { FieldDefinition, LocaleText } from './types.ts';

/** Data a publish kept when a field was removed or converted to another type, until purged. */
export interface ArchivedData {
  /** The archived columns in the module's table (a money field has two); the first names the entry. */
  columns: string[];
  field: { id: string; name: string; type: string; label: LocaleText };
  /** The version whose publish archived the columns. */
  version: number;
  archivedAt: string;
  /** `removed`: the field is gone; `typeChange`: the field holds converted values now. */
  reason: 'removed' | 'typeChange';
  /** Records holding a value in the archived columns. */
  values: number;
  /** Bytes the archived values take (before compression of the table's pages). */
  bytes: number;
}

interface ArchiveRow {
  field_id: string;
  table_name: string;
  version: number;
  field: FieldDefinition;
  columns: string[];
  archived_at: string;
}

/** Lists a module's archived columns and purges them (DROP COLUMN) on an administrator's word. */
export class ArchivedColumnStore {
  constructor(
    private readonly db: Db,
    private readonly workspaceId: string,
    private readonly schema: string,
    private readonly definitions: DefinitionStore,
  ) {}

  /** The archived data of a module (by id or name) not yet purged, newest first. */
  async list(module: string): Promise<ArchivedData[]> {
    const { id, name, fieldIds } = await this.#module(module);
    const rows = await this.#rows(this.db, id);
    return this.#describe(this.db, name, fieldIds, rows);
  }

  /**
   * Drops the archived columns of `column`'s entry (every entry when `column` is omitted), logged in
   * the operation log. Returns what was purged.
   */
  async purge(module: string, column: string | undefined, actor: Actor): Promise<ArchivedData[]> {
    const { id, name, fieldIds } = await this.#module(module);
    return this.db.transaction(async (tx) => {
      await tx.run(sql`SELECT pg_advisory_xact_lock(${PUBLISH_LOCK}, hashtext(${this.workspaceId}))`);
      await tx.run(sql.raw(`SET LOCAL lock_timeout = '${PUBLISH_LOCK_TIMEOUT}'`));
      const all = await this.#rows(tx, id, true);
      const chosen = column === undefined ? all : all.filter((r) => r.columns.includes(column));
      if (column !== undefined && chosen.length === 0) {
        throw localizedError('not-found', '', 'not-found', {
          en: `module '${name}' has no archived column '${column}'`,
          'zh-CN': `模块 ${name} 没有归档列 ${column}`,
        });
      }
      const purged = await this.#describe(tx, name, fieldIds, chosen);
      for (const row of chosen) {
        if (isTableArchive(row)) {
          await tx.run(sql.raw(`DROP TABLE IF EXISTS ${qualified(this.schema, row.table_name)}`));
        } else if (row.columns.length > 0) {
          // a sub-table's child table may have been archived (renamed) since: then there is nothing here
          const drops = row.columns.map((c) => `DROP COLUMN IF EXISTS ${quoteIdent(c)}`).join(', ');
          await tx.run(
            sql.raw(`ALTER TABLE IF EXISTS ${qualified(this.schema, columnsTable(row, name))} ${drops}`),
          );
        }
      }
      if (chosen.length > 0) {
        await tx.run(
          sql`UPDATE ${archivedColumns} SET purged_at = now()
              WHERE workspace_id = ${this.workspaceId} AND module_id = ${id}
                AND (field_id, version) IN (SELECT * FROM unnest(${sql.param(chosen.map((r) => r.field_id))}::text[],
                                                                ${sql.param(chosen.map((r) => r.version))}::integer[]))`,
        );
      }
      if (purged.length > 0) {
        await appendOperation(tx, this.schema, actor, 'archive.purge', {
          module: id,
          details: {
            purged: purged.map((p) => ({
              field: p.field.name,
              fieldId: p.field.id,
              version: p.version,
              columns: p.columns,
              values: p.values,
            })),
          },
        });
      }
      return purged;
    });
  }

  async #module(module: string) {
    const state = await this.definitions.get(module);
    if (!state.published) throw notFound(`published module '${module}'`);
    // a sub-table's row fields are the module's too: a converted one is a type change, not a removal
    const fields = state.published.fields.flatMap((f) =>
      f.type === 'subtable' ? [f, ...subtableSettings(f).fields] : [f],
    );
    return { id: state.id, name: state.name, fieldIds: new Set(fields.map((f) => f.id)) };
  }

  async #rows(db: Db, moduleId: string, lock = false): Promise<ArchiveRow[]> {
    const rows = await db.query<ArchiveRow>(
      sql`SELECT field_id, table_name, version, field, columns, archived_at::text AS archived_at FROM ${archivedColumns}
          WHERE workspace_id = ${this.workspaceId} AND module_id = ${moduleId} AND purged_at IS NULL
          ORDER BY version DESC, field_id ${lock ? sql`FOR UPDATE` : sql``}`,
    );
    return rows.map((r) => ({ ...r, version: Number(r.version), columns: [...r.columns] }));
  }

  /** Entries with their size, read in one pass over each table holding archived columns. */
  async #describe(db: Db, table: string, fieldIds: Set<string>, rows: ArchiveRow[]): Promise<ArchivedData[]> {
    const byTable = new Map<string, number[]>();
    rows.forEach((row, i) => {
      if (isTableArchive(row)) return;
      const name = columnsTable(row, table);
      byTable.set(name, [...(byTable.get(name) ?? []), i]);
    });
    const existing = new Set(
      (
        await db.query<{ table_name: string; column_name: string }>(
          sql`SELECT table_name, column_name FROM information_schema.columns
              WHERE table_schema = ${this.schema} AND table_name = ANY(${sql.param([...byTable.keys()])}::text[])`,
        )
      ).map((r) => `${r.table_name}.${r.column_name}`),
    );
    const measured = new Map<number, { values: number; bytes: number }>();
    for (const [name, indexes] of byTable) {
      const sizes: string[] = [];
      for (const i of indexes) {
        const columns = rows[i].columns.filter((c) => existing.has(`${name}.${c}`)).map(quoteIdent);
        if (columns.length === 0) continue;
        sizes.push(
          `count(*) FILTER (WHERE ${columns.map((c) => `${c} IS NOT NULL`).join(' OR ')}) AS values_${i}`,
          `coalesce(sum(${columns.map((c) => `coalesce(pg_column_size(${c}), 0)`).join(' + ')}), 0) AS bytes_${i}`,
        );
      }
      if (sizes.length === 0) continue;
      const [size] = await db.query<Record<string, unknown>>(
        sql.raw(`SELECT ${sizes.join(', ')} FROM ${qualified(this.schema, name)}`),
      );
      for (const i of indexes) {
        measured.set(i, {
          values: Number(size?.[`values_${i}`] ?? 0),
          bytes: Number(size?.[`bytes_${i}`] ?? 0),
        });
      }
    }
    const tables = await Promise.all(
      rows.map((row) => (isTableArchive(row) ? this.#tableSize(db, row) : undefined)),
    );
    return rows.map((row, i) => ({
      columns: row.columns,
      field: { id: row.field.id, name: row.field.name, type: row.field.type, label: row.field.label },
      version: row.version,
      archivedAt: timestampToIso(row.archived_at) ?? '',
      reason: fieldIds.has(row.field_id) ? 'typeChange' : 'removed',
      values: (tables[i] ?? measured.get(i))?.values ?? 0,
      bytes: (tables[i] ?? measured.get(i))?.bytes ?? 0,
    }));
  }

  /** The rows a whole archived table holds (links, or a sub-table's rows) and the bytes it takes. */
  async #tableSize(db: Db, row: ArchiveRow): Promise<{ values: number; bytes: number }> {
    const [found] = await db.query<{ n: string | number }>(
      sql`SELECT count(*) AS n FROM information_schema.tables
          WHERE table_schema = ${this.schema} AND table_name = ${row.table_name}`,
    );
    if (Number(found.n) === 0) return { values: 0, bytes: 0 };
    const table = qualified(this.schema, row.table_name);
    const [size] = await db.query<{ n: string | number; bytes: string | number }>(
      sql.raw(`SELECT count(*) AS n, pg_total_relation_size(${quoteLiteral(table)}) AS bytes FROM ${table}`),
    );
    return { values: Number(size.n), bytes: Number(size.bytes) };
  }
}

/**
 * An entry keeping a whole table (`_arch_v<n>_…`): a many relation's links or a removed sub-table's
 * rows, rather than columns.
 */
function isTableArchive(row: ArchiveRow): boolean {
  return row.table_name.startsWith('_arch_');
}

/**
 * The table an entry's columns are in: a sub-table's child table (named by stable ids), else the
 * module's table under its current name (the entry keeps the name it had when archived).
 */
function columnsTable(row: ArchiveRow, moduleTable: string): string {
  return isSubtableName(row.table_name) ? row.table_name : moduleTable;
}
