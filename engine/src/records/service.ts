import { type SQL, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { ModuleCatalog } from '../catalog.ts';
import type { CompiledModule } from '../compile/module.ts';
import { EngineError, notFound } from '../errors.ts';
import { type Db, dbErrorInfo, SQLSTATE } from '../storage/db.ts';
import { HISTORY_TABLE, qualified } from '../storage/naming.ts';
import { compileFilter } from './filter.ts';
import { diffValues, readHistory } from './history.ts';
import { afterCursor, decodeCursor, encodeCursor, orderBy, parseSort } from './order.ts';
import { prepareValues } from './prepare.ts';
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
const ALIAS = 't';
/** Retries of an update without an expected version that lost a race with another writer. */
const UPDATE_ATTEMPTS = 3;

/** Create, read, update, delete and list the records of a workspace's published modules. */
export class RecordService {
  readonly #history: SQL;

  constructor(
    private readonly db: Db,
    private readonly catalog: ModuleCatalog,
  ) {
    this.#history = sql.raw(qualified(catalog.schema, HISTORY_TABLE));
  }

  async create(moduleName: string, input: unknown, actor: Actor): Promise<StoredRecord> {
    const module = this.catalog.byName(moduleName);
    const id = uuidv7();
    const owner = ownerFrom(input) ?? actor.userId;
    const values = prepareValues(module, input, undefined, { id, owner });
    const columns = valuesToColumns(module, values);
    const changes = diffValues(module, undefined, fieldValues(module, values));
    const names = ['id', 'owner', 'created_by', 'updated_by', ...columns.keys()];
    const params = [id, owner, actor.userId, actor.userId, ...columns.values()];
    const rows = await this.#write(module, () =>
      this.db.query(
        sql`WITH r AS (
              INSERT INTO ${this.catalog.tableSql(module)} (${sql.join(
                names.map((n) => sql.identifier(n)),
                sql`, `,
              )})
              VALUES (${sql.join(params.map(param), sql`, `)}) RETURNING *),
            h AS (
              INSERT INTO ${this.#history} (module_id, record_id, version, op, actor, changes)
              SELECT ${module.id}, r.id, r.version, 'create', ${actor.userId}, ${JSON.stringify(changes)}::jsonb FROM r)
            SELECT * FROM r`,
      ),
    );
    return rowToRecord(module, rows[0]);
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
    for (let attempt = 1; ; attempt++) {
      const row = await this.#read(module, id);
      if (!row) throw notFound(`${module.name} record '${id}'`);
      const current = rowToRecord(module, row);
      if (options.expectedVersion !== undefined && current.version !== options.expectedVersion) {
        throw conflict(current);
      }
      const newOwner = ownerFrom(patch);
      const values = prepareValues(module, patch, current, { id, owner: newOwner ?? current.owner });
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
      const rows = await this.#write(module, () =>
        this.db.query(
          sql`WITH r AS (
                UPDATE ${this.catalog.tableSql(module)} SET ${sql.join(assignments, sql`, `)},
                  version = version + 1, updated_at = now(), updated_by = ${actor.userId}
                WHERE id = ${id} AND version = ${current.version} RETURNING *),
              h AS (
                INSERT INTO ${this.#history} (module_id, record_id, version, op, actor, changes)
                SELECT ${module.id}, r.id, r.version, 'update', ${actor.userId}, ${JSON.stringify(changes)}::jsonb FROM r)
              SELECT * FROM r`,
        ),
      );
      if (rows.length > 0) return rowToRecord(module, rows[0]);
      // Someone wrote between our read and our write.
      if (options.expectedVersion !== undefined || attempt >= UPDATE_ATTEMPTS) {
        const latest = await this.#read(module, id);
        if (!latest) throw notFound(`${module.name} record '${id}'`);
        throw conflict(rowToRecord(module, latest));
      }
    }
  }

  async delete(moduleName: string, id: string, actor: Actor, options: WriteOptions = {}): Promise<void> {
    const module = this.catalog.byName(moduleName);
    await this.#write(module, () =>
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
      limit: Math.min(options.limit ?? 100, 500),
    });
    if (entries.length === 0 && !(await this.#read(module, id)))
      throw notFound(`${module.name} record '${id}'`);
    return entries;
  }

  async #read(module: CompiledModule, id: string) {
    const [row] = await this.db.query(
      sql`SELECT * FROM ${this.catalog.tableSql(module)} WHERE id = ${validId(module, id)}`,
    );
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
    const rows = await this.db.query(
      sql`SELECT ${sql.identifier(ALIAS)}.* FROM ${table} ${where(conditions)}
          ORDER BY ${orderBy(keys, ALIAS)} LIMIT ${limit + 1}`,
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

  /** Runs a write and turns constraint violations into errors naming the field. */
  async #write<T>(module: CompiledModule, work: () => Promise<T>): Promise<T> {
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
        if (owner.module.id === module.id && info.table === module.name) {
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
    if (!module.byName.has(name)) {
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
