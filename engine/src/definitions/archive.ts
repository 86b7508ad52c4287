import { sql } from 'drizzle-orm';
import { appendOperation } from '../access/operation-log.ts';
import { localizedError, notFound } from '../errors.ts';
import { timestampToIso } from '../fields/shared.ts';
import type { Actor } from '../records/types.ts';
import type { Db } from '../storage/db.ts';
import { PUBLISH_LOCK, PUBLISH_LOCK_TIMEOUT } from '../storage/execute.ts';
import { archivedColumns } from '../storage/meta-tables.ts';
import { qualified, quoteIdent } from '../storage/naming.ts';
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
        if (isLinkArchive(row)) {
          await tx.run(sql.raw(`DROP TABLE IF EXISTS ${qualified(this.schema, row.table_name)}`));
        }
        for (const c of isLinkArchive(row) ? [] : row.columns) {
          await tx.run(
            sql.raw(`ALTER TABLE ${qualified(this.schema, name)} DROP COLUMN IF EXISTS ${quoteIdent(c)}`),
          );
        }
        await tx.run(
          sql`UPDATE ${archivedColumns} SET purged_at = now()
              WHERE workspace_id = ${this.workspaceId} AND module_id = ${id}
                AND field_id = ${row.field_id} AND version = ${row.version}`,
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
    return { id: state.id, name: state.name, fieldIds: new Set(state.published.fields.map((f) => f.id)) };
  }

  async #rows(db: Db, moduleId: string, lock = false): Promise<ArchiveRow[]> {
    const rows = await db.query<ArchiveRow>(
      sql`SELECT field_id, table_name, version, field, columns, archived_at::text AS archived_at FROM ${archivedColumns}
          WHERE workspace_id = ${this.workspaceId} AND module_id = ${moduleId} AND purged_at IS NULL
          ORDER BY version DESC, field_id ${lock ? sql`FOR UPDATE` : sql``}`,
    );
    return rows.map((r) => ({ ...r, version: Number(r.version), columns: [...r.columns] }));
  }

  /** Entries with their size, read in one pass over the table. */
  async #describe(db: Db, table: string, fieldIds: Set<string>, rows: ArchiveRow[]): Promise<ArchivedData[]> {
    const existing = new Set(
      (
        await db.query<{ column_name: string }>(
          sql`SELECT column_name FROM information_schema.columns
              WHERE table_schema = ${this.schema} AND table_name = ${table}`,
        )
      ).map((r) => r.column_name),
    );
    const sizes: string[] = [];
    const links = await Promise.all(
      rows.map((row) => (isLinkArchive(row) ? this.#linkSize(db, row) : undefined)),
    );
    rows.forEach((row, i) => {
      if (isLinkArchive(row)) return;
      const columns = row.columns.filter((c) => existing.has(c)).map(quoteIdent);
      if (columns.length === 0) return;
      sizes.push(
        `count(*) FILTER (WHERE ${columns.map((c) => `${c} IS NOT NULL`).join(' OR ')}) AS values_${i}`,
        `coalesce(sum(${columns.map((c) => `coalesce(pg_column_size(${c}), 0)`).join(' + ')}), 0) AS bytes_${i}`,
      );
    });
    const [size] =
      sizes.length === 0
        ? [{} as Record<string, unknown>]
        : await db.query<Record<string, unknown>>(
            sql.raw(`SELECT ${sizes.join(', ')} FROM ${qualified(this.schema, table)}`),
          );
    return rows.map((row, i) => ({
      columns: row.columns,
      field: { id: row.field.id, name: row.field.name, type: row.field.type, label: row.field.label },
      version: row.version,
      archivedAt: timestampToIso(row.archived_at) ?? '',
      reason: fieldIds.has(row.field_id) ? 'typeChange' : 'removed',
      values: links[i]?.values ?? Number(size?.[`values_${i}`] ?? 0),
      bytes: links[i]?.bytes ?? Number(size?.[`bytes_${i}`] ?? 0),
    }));
  }

  /** The links an archived join table holds (its rows) and the bytes it takes. */
  async #linkSize(db: Db, row: ArchiveRow): Promise<{ values: number; bytes: number }> {
    const [found] = await db.query<{ n: string | number }>(
      sql`SELECT count(*) AS n FROM information_schema.tables
          WHERE table_schema = ${this.schema} AND table_name = ${row.table_name}`,
    );
    if (Number(found.n) === 0) return { values: 0, bytes: 0 };
    const table = qualified(this.schema, row.table_name);
    const [size] = await db.query<{ n: string | number; bytes: string | number }>(
      sql.raw(
        `SELECT count(*) AS n, pg_total_relation_size('${table.replace(/'/g, "''")}') AS bytes FROM ${table}`,
      ),
    );
    return { values: Number(size.n), bytes: Number(size.bytes) };
  }
}

/** An entry keeping a many relation's links: a whole join table (`_arch_v<n>__links_…`), not columns. */
function isLinkArchive(row: ArchiveRow): boolean {
  return row.table_name.startsWith('_arch_');
}
