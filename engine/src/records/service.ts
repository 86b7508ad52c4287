import { type SQL, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { ModuleCatalog } from '../catalog.ts';
import type { CompiledModule } from '../compile/module.ts';
import { EngineError, notFound } from '../errors.ts';
import { type Db, dbErrorInfo, prepareStatement, SQLSTATE } from '../storage/db.ts';
import { HISTORY_TABLE, qualified } from '../storage/naming.ts';
import { compileFilter } from './filter.ts';
import { diffValues, readHistory } from './history.ts';
import { InsertBatcher } from './insert-batcher.ts';
import { afterCursor, decodeCursor, encodeCursor, orderBy, parseSort } from './order.ts';
import { prepareValues } from './prepare.ts';
import { LIST_ALIAS, SYSTEM_COLUMNS, statementsOf } from './statements.ts';
import type { Actor, HistoryEntry, Page, RecordValues, StoredRecord } from './types.ts';
import { fieldValues, rowToRecord, valuesToColumns } from './values.ts';

export interface ListQuery {
  filter?: unknown;
  /** `-amount,name`: fields, `-` for descending. */
  sort?: string;
  limit?: number;
  cursor?: string;
  /** Only these fields (system fields always come). */
  fields?: string[];
  /** Also count all matching records (costs a second query). */
  count?: boolean;
}

export interface WriteOptions {
  /** The version the caller last read; a different stored version is a conflict (409). */
  expectedVersion?: number;
}

export const MAX_PAGE = 500;
export const DEFAULT_PAGE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ALIAS = LIST_ALIAS;

/** Create, read, update, delete and list the records of a workspace's published modules. */
export class RecordService {
  readonly #history: SQL;
  readonly #inserts: InsertBatcher<CompiledModule, unknown[]>;

  constructor(
    private readonly db: Db,
    private readonly catalog: ModuleCatalog,
  ) {
    this.#history = sql.raw(qualified(catalog.schema, HISTORY_TABLE));
    const insert = async (module: CompiledModule, rows: unknown[][]) => {
      const statements = statementsOf(module, this.catalog.tableSql(module), this.#history);
      await this.#write('write', () => this.db.execute(statements.insert(rows.length), bindRows(rows)));
    };
    this.#inserts = new InsertBatcher({ many: insert, one: (module, row) => insert(module, [row]) });
  }

  async create(moduleName: string, input: unknown, actor: Actor): Promise<StoredRecord> {
    const module = this.catalog.byName(moduleName);
    const id = uuidv7();
    const owner = ownerFrom(input) ?? actor.userId;
    // the timestamps formulas see are the ones stored
    const now = new Date().toISOString();
    const values = prepareValues(module, input, undefined, { id, owner, created_at: now, updated_at: now });
    const columns = valuesToColumns(module, values);
    const changes = diffValues(module, undefined, fieldValues(module, values));
    const row = [id, owner, now, actor.userId, JSON.stringify(changes), ...columns.values()];
    await this.#inserts.insert(module, row);
    // Every stored value is known here: no need to read the row back.
    const record = {
      id,
      version: 1,
      owner,
      created_at: now,
      created_by: actor.userId,
      updated_at: now,
      updated_by: actor.userId,
      ...fieldValues(module, values),
    };
    return record as StoredRecord;
  }

  async get(moduleName: string, id: string): Promise<StoredRecord> {
    const module = this.catalog.byName(moduleName);
    const row = await this.#read(module, id);
    if (!row) throw notFound(`${module.name} record '${id}'`);
    return rowToRecord(module, row);
  }

  async update(
    moduleName: string,
    id: string,
    patch: unknown,
    actor: Actor,
    options: WriteOptions = {},
  ): Promise<StoredRecord> {
    const module = this.catalog.byName(moduleName);
    const first = await this.#tryUpdate(this.db, module, id, patch, actor, options, false);
    if (first) return first;
    // Someone wrote between our read and our write. With an expected version that is a conflict;
    // without one, try again holding the row lock, which no other writer can overtake.
    if (options.expectedVersion === undefined) {
      const locked = await this.db.transaction((tx) =>
        this.#tryUpdate(tx, module, id, patch, actor, options, true),
      );
      if (locked) return locked;
    }
    const latest = await this.#read(module, id);
    if (!latest) throw notFound(`${module.name} record '${id}'`);
    throw conflict(rowToRecord(module, latest));
  }

  /**
   * One update attempt: read the record (locking it when `lock`), apply the patch and write it if
   * the record is still at the version read. Undefined when another writer got there first.
   */
  async #tryUpdate(
    db: Db,
    module: CompiledModule,
    id: string,
    patch: unknown,
    actor: Actor,
    options: WriteOptions,
    lock: boolean,
  ): Promise<StoredRecord | undefined> {
    const row = await this.#read(module, id, db, lock);
    if (!row) throw notFound(`${module.name} record '${id}'`);
    const current = rowToRecord(module, row);
    if (options.expectedVersion !== undefined && current.version !== options.expectedVersion) {
      throw conflict(current);
    }
    const newOwner = ownerFrom(patch);
    const now = new Date().toISOString();
    const values = prepareValues(module, patch, current, {
      id,
      owner: newOwner ?? current.owner,
      created_at: current.created_at,
      updated_at: now,
    });
    const before = fieldValues(module, current);
    const changes = diffValues(module, before, fieldValues(module, values));
    const ownerChanged = newOwner !== undefined && newOwner !== current.owner;
    if (Object.keys(changes).length === 0 && !ownerChanged) return current;
    if (ownerChanged) changes.owner = { from: current.owner, to: newOwner };

    const columns = valuesToColumns(module, values);
    const assignments = module.fields
      .filter((f) => f.name in changes)
      .flatMap((f) => f.columns)
      .map((c) => sql`${sql.identifier(c)} = ${param(columns.get(c))}`);
    if (ownerChanged) assignments.push(sql`owner = ${newOwner}`);
    const rows = await this.#write('write', () =>
      db.query(
        sql`WITH r AS (
              UPDATE ${this.catalog.tableSql(module)} SET ${sql.join(assignments, sql`, `)},
                version = version + 1, updated_at = ${now}, updated_by = ${actor.userId}
              WHERE id = ${id} AND version = ${current.version} RETURNING *),
            h AS (
              INSERT INTO ${this.#history} (module_id, record_id, version, op, actor, changes)
              SELECT ${module.id}, r.id, r.version, 'update', ${actor.userId}, ${JSON.stringify(changes)}::jsonb FROM r)
            SELECT * FROM r`,
      ),
    );
    return rows.length > 0 ? rowToRecord(module, rows[0]) : undefined;
  }

  async delete(moduleName: string, id: string, actor: Actor, options: WriteOptions = {}): Promise<void> {
    const module = this.catalog.byName(moduleName);
    await this.#write('delete', () =>
      this.db.transaction(async (tx) => {
        const [row] = await tx.query(
          sql`SELECT * FROM ${this.catalog.tableSql(module)} WHERE id = ${validId(module, id)} FOR UPDATE`,
        );
        if (!row) throw notFound(`${module.name} record '${id}'`);
        const current = rowToRecord(module, row);
        if (options.expectedVersion !== undefined && current.version !== options.expectedVersion) {
          throw conflict(current);
        }
        await tx.run(sql`DELETE FROM ${this.catalog.tableSql(module)} WHERE id = ${id}`);
        const changes = diffValues(module, fieldValues(module, current), undefined);
        await tx.run(
          sql`INSERT INTO ${this.#history} (module_id, record_id, version, op, actor, changes)
              VALUES (${module.id}, ${id}, ${current.version + 1}, 'delete', ${actor.userId}, ${JSON.stringify(changes)}::jsonb)`,
        );
      }),
    );
  }

  async list(moduleName: string, query: ListQuery = {}): Promise<Page<StoredRecord>> {
    return this.#list(this.catalog.byName(moduleName), query);
  }

  /** Records of another module pointing at this record through the inverse list `inverseName`. */
  async related(
    moduleName: string,
    id: string,
    inverseName: string,
    query: ListQuery = {},
  ): Promise<Page<StoredRecord>> {
    const module = this.catalog.byName(moduleName);
    const inverse = this.catalog.inverses(module.id).find((i) => i.name === inverseName);
    if (!inverse) throw notFound(`related list '${inverseName}' of module '${module.name}'`);
    if (!(await this.#read(module, id))) throw notFound(`${module.name} record '${id}'`);
    return this.#list(
      inverse.source,
      query,
      sql`${sql.identifier(ALIAS)}.${sql.identifier(inverse.field.columns[0])} = ${id}`,
    );
  }

  async history(
    moduleName: string,
    id: string,
    options: { beforeVersion?: number; limit?: number } = {},
  ): Promise<HistoryEntry[]> {
    const module = this.catalog.byName(moduleName);
    const entries = await readHistory(this.db, this.#history, module.id, validId(module, id), {
      beforeVersion: options.beforeVersion,
      limit: historyLimit(options.limit),
    });
    if (entries.length === 0 && !(await this.#read(module, id)))
      throw notFound(`${module.name} record '${id}'`);
    return entries;
  }

  async #read(module: CompiledModule, id: string, db: Db = this.db, lock = false) {
    const statements = statementsOf(module, this.catalog.tableSql(module), this.#history);
    const [row] = await db.execute(lock ? statements.byIdForUpdate : statements.byId, {
      id: validId(module, id),
    });
    return row;
  }

  async #list(module: CompiledModule, query: ListQuery, base?: SQL): Promise<Page<StoredRecord>> {
    const limit = pageSize(query.limit);
    const keys = parseSort(module, query.sort);
    const conditions: SQL[] = [];
    if (base) conditions.push(base);
    if (query.filter !== undefined && query.filter !== null) {
      conditions.push(
        compileFilter(query.filter, {
          module,
          alias: ALIAS,
          tableOf: (id) => {
            const target = this.catalog.byId(id);
            return target ? { module: target, table: this.catalog.tableSql(target) } : undefined;
          },
        }),
      );
    }
    const filtered = [...conditions];
    if (query.cursor) conditions.push(afterCursor(keys, decodeCursor(keys, query.cursor), ALIAS));
    const only = query.fields ? selectedFields(module, query.fields) : undefined;
    const where = (list: SQL[]) => (list.length > 0 ? sql`WHERE ${sql.join(list, sql` AND `)}` : sql``);
    const table = sql`${this.catalog.tableSql(module)} ${sql.identifier(ALIAS)}`;
    const { listColumns } = statementsOf(module, this.catalog.tableSql(module), this.#history);
    // Prepared: the text repeats for a given filter shape and sort (values are parameters), and
    // postgres.js recycles connections (max_lifetime), which bounds its statement cache.
    const rows = await this.db.execute(
      prepareStatement(
        sql`SELECT ${listColumns} FROM ${table} ${where(conditions)}
            ORDER BY ${orderBy(keys, ALIAS)} LIMIT ${limit + 1}`,
      ),
      {},
    );
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const result: Page<StoredRecord> = {
      data: page.map((row) => rowToRecord(module, row, only)),
      nextCursor: more ? encodeCursor(keys, page[page.length - 1]) : null,
    };
    if (query.count) {
      const [{ n }] = await this.db.query<{ n: string | number }>(
        sql`SELECT count(*) AS n FROM ${table} ${where(filtered)}`,
      );
      result.total = Number(n);
    }
    return result;
  }

  /**
   * Runs a write and turns constraint violations into errors naming the field. A foreign key
   * violated by a create or update names a missing target; by a delete, a record still referenced
   * (which may be in the same module, for a relation to itself).
   */
  async #write<T>(op: 'write' | 'delete', work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const info = dbErrorInfo(error);
      if (!info) throw error;
      const owner = this.catalog.constraintOwner(info.constraint);
      if (info.code === SQLSTATE.uniqueViolation && owner) {
        const message = 'another record already has this value';
        throw new EngineError('conflict', `${owner.field.name}: ${message}`, [
          {
            pointer: `/${owner.field.name}`,
            code: 'unique',
            message,
            messages: { en: message, 'zh-CN': '该值已被其他记录使用' },
          },
        ]);
      }
      if ((info.code === SQLSTATE.foreignKeyViolation || info.code === SQLSTATE.restrictViolation) && owner) {
        if (op === 'write') {
          const target = this.catalog.byId(String(owner.field.definition.target));
          const message = `no ${target?.name ?? 'related'} record has this id`;
          throw new EngineError('invalid-record', `${owner.field.name}: ${message}`, [
            {
              pointer: `/${owner.field.name}`,
              code: 'relation',
              message,
              messages: { en: message, 'zh-CN': '关联的记录不存在' },
            },
          ]);
        }
        const message = `the record is still referenced by ${owner.module.name}.${owner.field.name}`;
        throw new EngineError('conflict', message, [
          {
            pointer: '',
            code: 'referenced',
            message,
            messages: { en: message, 'zh-CN': `该记录仍被 ${owner.module.name} 引用` },
          },
        ]);
      }
      if (info.code === SQLSTATE.undefinedColumn || info.code === SQLSTATE.undefinedTable) {
        // Another server published a change this one has not loaded yet.
        await this.catalog.reload();
      }
      throw error;
    }
  }
}

/** Values go in as parameters; arrays (multi-select) as one array parameter. */
function param(value: unknown): SQL {
  return Array.isArray(value) ? sql`${sql.param(value)}` : sql`${value}`;
}

function validId(module: CompiledModule, id: string): string {
  if (!UUID.test(id)) throw notFound(`${module.name} record '${id}'`);
  return id;
}

function ownerFrom(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null || !('owner' in input)) return undefined;
  const owner = (input as { owner: unknown }).owner;
  if (owner === null || owner === undefined) return undefined;
  if (typeof owner !== 'string' || !UUID.test(owner)) {
    throw new EngineError('invalid-record', 'owner: must be a user id', [
      { pointer: '/owner', code: 'format', message: 'must be a user id (uuid)' },
    ]);
  }
  return owner;
}

function conflict(current: StoredRecord): EngineError {
  return new EngineError(
    'conflict',
    `the record was changed by someone else (now at version ${current.version})`,
    [{ pointer: '/version', code: 'stale', message: `the record is now at version ${current.version}` }],
    { current },
  );
}

/** Placeholder values of an insert: row k as `r<k>_id`, `r<k>_owner`, … (see statements.ts). */
function bindRows(rows: unknown[][]): Record<string, unknown> {
  const bound: Record<string, unknown> = {};
  for (const [k, [id, owner, now, actor, changes, ...columns]] of rows.entries()) {
    bound[`r${k}_id`] = id;
    bound[`r${k}_owner`] = owner;
    bound[`r${k}_now`] = now;
    bound[`r${k}_actor`] = actor;
    bound[`r${k}_changes`] = changes;
    for (const [i, value] of columns.entries()) bound[`r${k}_c${i}`] = value ?? null;
  }
  return bound;
}

function historyLimit(limit: number | undefined): number {
  if (limit === undefined) return 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new EngineError('invalid-query', `limit must be between 1 and ${MAX_PAGE}`, [
      { pointer: '/limit', code: 'range', message: `must be an integer from 1 to ${MAX_PAGE}` },
    ]);
  }
  return limit;
}

function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new EngineError('invalid-query', `limit must be between 1 and ${MAX_PAGE}`, [
      { pointer: '/limit', code: 'range', message: `must be an integer from 1 to ${MAX_PAGE}` },
    ]);
  }
  return limit;
}

function selectedFields(module: CompiledModule, names: string[]): Set<string> {
  for (const [i, name] of names.entries()) {
    if (!module.byName.has(name) && !SYSTEM_COLUMNS.includes(name)) {
      throw new EngineError('invalid-query', `unknown field '${name}'`, [
        {
          pointer: `/fields/${i}`,
          code: 'unknown-field',
          message: `module '${module.name}' has no field '${name}'`,
        },
      ]);
    }
  }
  return new Set(names);
}

export type { RecordValues };
