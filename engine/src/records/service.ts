import { type SQL, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { AccessControl } from '../access/access-control.ts';
import { checkAssignee } from '../access/assignee.ts';
import {
  checkWritable,
  historyWithoutHiddenFields,
  mayRead,
  withoutHiddenFields,
} from '../access/field-rights.ts';
import { forbidden } from '../access/forbidden.ts';
import { appendOperation, operationLogTable } from '../access/operation-log.ts';
import { type FieldAccess, Policy } from '../access/policy.ts';
import { accessPredicate } from '../access/predicate.ts';
import { autonumberHook } from '../autonumber/counters.ts';
import type { ModuleCatalog } from '../catalog.ts';
import type { CompiledModule } from '../compile/module.ts';
import { EngineError, localizedError, notFound } from '../errors.ts';
import { timestampToIso } from '../fields/shared.ts';
import { FileReferences } from '../files/references.ts';
import { isUuid } from '../identity/inputs.ts';
import { DerivedChanges } from '../rollups/derived-changes.ts';
import { parseSearch, searchCondition } from '../search/query.ts';
import { type Db, dbErrorInfo, prepareStatement, SQLSTATE } from '../storage/db.ts';
import { HISTORY_TABLE, OWNER_PATH_COLUMN, qualified } from '../storage/naming.ts';
import { applyRowDefaults } from '../subtables/prepare-rows.ts';
import { bulkIds, runBulk } from './bulk.ts';
import { ClockFormulas, freshen } from './clock-formulas.ts';
import { CreateHooks, type NewRecord } from './create-hooks.ts';
import { DependentWrites } from './dependent-writes.ts';
import { type ReadRelated, withFetchedValues } from './fetch-from.ts';
import { compileFilter } from './filter.ts';
import { diffValues, readHistory } from './history.ts';
import { InsertBatcher } from './insert-batcher.ts';
import { changedLinkFields, linkColumns, linksHook, writeLinks } from './links.ts';
import { inListView } from './list-view-query.ts';
import { isTimestamp } from './literals.ts';
import { type LocatedRecord, liveness, locateRecord, type RecordTables } from './locate.ts';
import { type RecordObserver, RecordObservers } from './observers.ts';
import { afterCursor, decodeCursor, encodeCursor, orderBy, parseSort } from './order.ts';
import {
  alreadyClaimed,
  checkClaimLimit,
  claimPatch,
  mayNotRelease,
  notClaimable,
  notInPool,
  poolOf,
  releasePatch,
} from './pool.ts';
import { newRecordDefaults, prepareValues } from './prepare.ts';
import { checkTargetsLive, releaseReferences, valuesAtVersion } from './recycle-bin.ts';
import { type RelatedListInfo, relatedList, relatedListsOf } from './related.ts';
import { LIST_ALIAS, ownerPathOf, SYSTEM_COLUMNS, statementsOf, type WriteTables } from './statements.ts';
import type {
  Actor,
  DeletedRecord,
  HistoryEntry,
  NewRecordDefaults,
  Page,
  RecordValues,
  StoredRecord,
} from './types.ts';
import { fieldValues, rowToRecord, valuesToColumns } from './values.ts';
import { isValues, type RecordWriteHooks } from './write-hooks.ts';

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
  /** Keywords: records with every word (or Chinese text) in a searchable field the actor may read. */
  q?: string;
  /**
   * `default`: the module's list view gives the sort and the fields the query does not name (its
   * columns, title and kanban fields the actor may read), so a client can ask before it has the definition.
   */
  view?: 'default';
}

export interface WriteOptions {
  /** The version the caller last read; a different stored version is a conflict (409). */
  expectedVersion?: number;
  /** Write inside this transaction of the caller (a workflow command setting a status field). */
  db?: Db;
  /**
   * A system write done for a user (an approval decision setting the record's status): the records
   * whose rollups it changes are observed as changed by this user, so their triggers fire as for the
   * user's own write. The write itself still starts no flows (see the loop rule in the README).
   */
  derivedCause?: Actor;
}

/**
 * Refuses a user's change or delete of a record (a flow holding it locked while in approval); the
 * engine's own writes (the system actor) are not asked.
 */
export type WriteGuard = (db: Db, module: CompiledModule, id: string, actor: Actor) => Promise<void>;

/** What an update is, for the history and the operation log. */
interface UpdateKind {
  /** Set when the update sets the fields back to an earlier version. */
  revertedTo?: number;
}

export const MAX_PAGE = 500;
export const DEFAULT_PAGE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ALIAS = LIST_ALIAS;

/**
 * Create, read, update, delete and list the records of a workspace's published modules, as an
 * actor: what they may not see does not exist for them (404), what they may see but not change is
 * refused (403), and fields they may not read are absent everywhere.
 */
export class RecordService {
  readonly #logs: WriteTables;
  readonly #inserts: InsertBatcher<CompiledModule, NewRecord>;
  readonly #hooks: CreateHooks;
  readonly #files: FileReferences;
  /** Sub-table rows and rollups: what some writes carry besides the record's own row. */
  readonly #dependents: DependentWrites;
  #guard: WriteGuard | undefined;
  /** Plugins' record hooks (see write-hooks.ts). */
  #writeHooks: RecordWriteHooks | undefined;
  /** Work done in the transaction of a record write (workflow triggers). */
  readonly #observers = new RecordObservers();
  /** Formulas reading today()/now(): stored values refreshed daily (see clock-formulas.ts). */
  readonly #clockFormulas: ClockFormulas;

  constructor(
    private readonly db: Db,
    private readonly catalog: ModuleCatalog,
    private readonly access: AccessControl,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.#logs = {
      schema: catalog.schema,
      moduleTable: (id) => catalog.tableName(id),
      history: sql.raw(qualified(catalog.schema, HISTORY_TABLE)),
      operationLog: operationLogTable(catalog.schema),
      users: access.tables.users,
      departments: access.tables.departments,
    };
    this.#files = new FileReferences(catalog.schema, clock);
    this.#hooks = new CreateHooks([
      autonumberHook(catalog.schema),
      this.#files.hook,
      linksHook(catalog.schema, this.#tableOf),
    ]);
    const insert = async (module: CompiledModule, records: NewRecord[]) => {
      const statements = statementsOf(module, this.catalog.tableSql(module), this.#logs);
      await this.#write('write', () =>
        this.#hooks.run(this.db, module, records, (db) =>
          db.execute(statements.insert(records.length), bindRows(module, records)),
        ),
      );
    };
    this.#inserts = new InsertBatcher({ many: insert, one: (module, row) => insert(module, [row]) });
    this.#dependents = new DependentWrites(catalog, clock);
    this.#clockFormulas = new ClockFormulas(db, catalog, clock);
  }

  /** Installs the check every user update, assignment and delete passes (record locks). */
  setWriteGuard(guard: WriteGuard): void {
    this.#guard = guard;
  }

  async #checkGuard(db: Db, module: CompiledModule, id: string, actor: Actor): Promise<void> {
    if (this.#guard && actor.via !== 'system') await this.#guard(db, module, id, actor);
  }

  /** Installs the hooks every create, update and delete of this service runs (plugins). */
  useWriteHooks(hooks: RecordWriteHooks): void {
    this.#writeHooks = hooks;
  }

  #hooksFor(module: CompiledModule): RecordWriteHooks | undefined {
    return this.#writeHooks?.concerns(module) ? this.#writeHooks : undefined;
  }

  /** Runs `observer` in the transaction of each record write it watches. */
  observe(observer: RecordObserver): void {
    this.#observers.add(observer);
  }

  readonly #tableOf = (id: string) => {
    const target = this.catalog.byId(id);
    return target ? { module: target, table: this.catalog.tableSql(target) } : undefined;
  };

  #tables(module: CompiledModule): RecordTables {
    return { table: this.catalog.tableSql(module), ...this.#logs, access: this.access.tables };
  }

  async create(moduleName: string, given: unknown, actor: Actor): Promise<StoredRecord> {
    const module = this.catalog.byName(moduleName);
    const policy = await this.access.policyOf(actor);
    const id = uuidv7();
    const hooks = this.#hooksFor(module);
    if (!policy.unrestricted) {
      if (!policy.scope(module.id, 'create')) throw forbidden('create', `${module.name} records`);
      checkWritable(module, policy.fields(module), given, 'create');
    }
    // what the caller may write is checked on what they sent; hooks then write as the system
    const input = hooks && isValues(given) ? await hooks.beforeCreate(module, given, actor) : given;
    const owner = ownerFrom(input) ?? actor.userId;
    if (!policy.unrestricted && owner !== actor.userId) await this.#checkAssignee(module, policy, owner);
    // the timestamps formulas see are the ones stored
    const now = this.clock().toISOString();
    const fetched = await withFetchedValues(module, input, undefined, this.#readAs(policy));
    const values = prepareValues(module, fetched, undefined, { id, owner, created_at: now, updated_at: now });
    await this.#files.resolve(this.db, module, values, actor, id);
    const changes = diffValues(module, undefined, fieldValues(module, values));
    const fresh: NewRecord = { id, owner, now, actor, values, changes };
    // Every stored value but the rollups is known once the hooks ran: no need to read the row back without them.
    const written = (): StoredRecord => ({
      id,
      version: 1,
      owner,
      created_at: now,
      created_by: actor.userId,
      updated_at: now,
      updated_by: actor.userId,
      ...fieldValues(module, values),
    });
    const observed = await this.#observers.watched(module, 'created', actor, this.db);
    let stored: StoredRecord | undefined;
    if (this.#dependents.needed(module) || observed) {
      const statements = statementsOf(module, this.catalog.tableSql(module), this.#logs);
      stored = await this.#write('write', () =>
        this.db.transaction(async (tx) => {
          const touched = await this.#dependents.prepare(tx, module, id, undefined, values);
          await this.#hooks.run(tx, module, [fresh], (db) =>
            db.execute(statements.insert(1), bindRows(module, [fresh])),
          );
          const derived = this.#derivedChanges(module, id, actor);
          await this.#dependents.finish(tx, module, id, undefined, values, touched, derived);
          const record = this.#dependents.rereads(module) ? await this.#readRow(tx, module, id) : written();
          if (observed) {
            const after = { ...record, ...this.#dependents.rowsFrom(module, values) } as StoredRecord;
            await this.#observers.written(tx, { module, kind: 'created', id, before: null, after, actor });
          }
          await this.#observeDerived(tx, derived, actor);
          return record;
        }),
      );
    } else {
      await this.#inserts.insert(module, fresh);
    }
    const record = stored ?? written();
    Object.assign(record, this.#dependents.rowsFrom(module, values));
    await hooks?.after('create', module, record as StoredRecord, actor);
    return withoutHiddenFields(record as StoredRecord, module, policy.fields(module));
  }

  /**
   * What a new record starts with for `actor`: its defaults as a create now would apply them (the
   * actor as owner, the engine's clock), and per sub-table what a new row starts with; only fields
   * they may read. Refused to those who may not create records of the module.
   */
  async newRecordDefaults(moduleName: string, actor: Actor): Promise<NewRecordDefaults> {
    const module = this.catalog.byName(moduleName);
    const policy = await this.access.policyOf(actor);
    if (!policy.unrestricted && !policy.scope(module.id, 'create')) {
      throw forbidden('create', `${module.name} records`);
    }
    const now = this.clock().toISOString();
    const fields = policy.fields(module);
    const values = newRecordDefaults(module, { owner: actor.userId, created_at: now, updated_at: now });
    const rows: Record<string, RecordValues> = {};
    for (const sub of module.subtables) {
      const row: RecordValues = {};
      applyRowDefaults(sub, row);
      if (Object.keys(row).length > 0 && mayRead(fields, sub.name)) rows[sub.name] = row;
    }
    return { values: withoutHiddenFields(values, module, fields), rows };
  }

  /** Reads records as `actor` (through `db`, the write's transaction) for fetched fields: nothing where they may not. */
  #readAs(policy: Policy, db: Db = this.db): ReadRelated {
    return async (moduleId, id) => {
      const target = this.catalog.byId(moduleId);
      if (!target || !isUuid(id)) return undefined;
      const found = await this.#locate(target, id, policy, [], db);
      if (!found) return undefined;
      const record = rowToRecord(target, found.row);
      freshen(target, record, this.clock());
      return withoutHiddenFields(record, target, policy.fields(target));
    };
  }

  async get(moduleName: string, id: string, actor: Actor): Promise<StoredRecord> {
    const module = this.catalog.byName(moduleName);
    const policy = await this.access.policyOf(actor);
    await this.#clockFormulas.refresh(module);
    const found = await this.#locate(module, id, policy);
    if (!found) throw notFound(`${module.name} record '${id}'`);
    const [record] = await this.#dependents.attachRows(this.db, module, [rowToRecord(module, found.row)]);
    freshen(module, record, this.clock());
    return withoutHiddenFields(record, module, policy.fields(module));
  }

  /** The rows of sub-table `subtable` of a record, in order. */
  async rows(
    moduleName: string,
    id: string,
    subtable: string,
    actor: Actor,
  ): Promise<Record<string, unknown>[]> {
    const sub = this.#dependents.subtable(this.catalog.byName(moduleName), subtable);
    const record = await this.get(moduleName, id, actor);
    if (!(sub.name in record)) throw notFound(`sub-table '${subtable}' of module '${moduleName}'`);
    return rowsOf(record, sub.name);
  }

  /** Appends a row to sub-table `subtable` of the record: a change of the record, like any other. */
  async appendRow(
    moduleName: string,
    id: string,
    subtable: string,
    row: unknown,
    actor: Actor,
    options: WriteOptions = {},
  ): Promise<StoredRecord> {
    const module = this.catalog.byName(moduleName);
    const sub = this.#dependents.subtable(module, subtable);
    if (typeof row !== 'object' || row === null || Array.isArray(row) || 'id' in row) {
      throw localizedError('invalid-record', '', 'type', {
        en: 'a new row must be a JSON object without an id',
        'zh-CN': '新行必须是不含 id 的 JSON 对象',
      });
    }
    const policy = await this.access.policyOf(actor);
    return this.#update(
      module,
      id,
      (current: StoredRecord) => ({ [sub.name]: [...rowsOf(current, sub.name), row] }),
      actor,
      policy,
      options,
    );
  }

  /** Changes the fields `patch` names in row `rowId` of sub-table `subtable` of the record. */
  async updateRow(
    moduleName: string,
    id: string,
    subtable: string,
    rowId: string,
    patch: unknown,
    actor: Actor,
    options: WriteOptions = {},
  ): Promise<StoredRecord> {
    const module = this.catalog.byName(moduleName);
    const sub = this.#dependents.subtable(module, subtable);
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
      throw localizedError('invalid-record', '', 'type', {
        en: 'the row changes must be a JSON object',
        'zh-CN': '行的修改必须是 JSON 对象',
      });
    }
    const policy = await this.access.policyOf(actor);
    return this.#update(
      module,
      id,
      (current: StoredRecord) => ({
        [sub.name]: rowsOf(current, sub.name).map((row) =>
          row.id === rowId ? { ...row, ...patch, id: rowId } : row,
        ),
      }),
      actor,
      policy,
      options,
      {},
      (current) => rowsOf(current, sub.name).some((row) => row.id === rowId),
      `row '${rowId}' of ${module.name}.${sub.name}`,
    );
  }

  /** Removes row `rowId` from sub-table `subtable` of the record. */
  async deleteRow(
    moduleName: string,
    id: string,
    subtable: string,
    rowId: string,
    actor: Actor,
    options: WriteOptions = {},
  ): Promise<StoredRecord> {
    const module = this.catalog.byName(moduleName);
    const sub = this.#dependents.subtable(module, subtable);
    const policy = await this.access.policyOf(actor);
    return this.#update(
      module,
      id,
      (current: StoredRecord) => ({
        [sub.name]: rowsOf(current, sub.name).filter((row) => row.id !== rowId),
      }),
      actor,
      policy,
      options,
      {},
      (current) => rowsOf(current, sub.name).some((row) => row.id === rowId),
      `row '${rowId}' of ${module.name}.${sub.name}`,
    );
  }

  /** A record's own row as stored, without its sub-table rows (inside the writing transaction). */
  /**
   * The records of other modules whose rollups (or formulas over them) a write by `actor` changes,
   * kept for the observers of their updates (workflow triggers: a product's stock falling because a
   * movement was saved). Only modules whose updates someone watches for `actor` are read.
   */
  #derivedChanges(module: CompiledModule, id: string, actor: Actor): DerivedChanges {
    const read = async (tx: Db, other: CompiledModule, recordId: string) => {
      const statements = statementsOf(other, this.catalog.tableSql(other), this.#logs);
      const [row] = await tx.execute(statements.byId, { id: recordId });
      if (!row) return undefined;
      const [record] = await this.#dependents.attachRows(tx, other, [rowToRecord(other, row)]);
      return record;
    };
    const watches = (tx: Db, other: CompiledModule) => this.#observers.watched(other, 'updated', actor, tx);
    return new DerivedChanges({ watches, read }, { moduleId: module.id, id });
  }

  /** Tells the observers of updates about each record whose derived values the write changed. */
  async #observeDerived(tx: Db, derived: DerivedChanges, actor: Actor): Promise<void> {
    for await (const { module, before, after } of derived.changed(tx)) {
      await this.#observers.written(tx, {
        module,
        kind: 'updated',
        id: String(after.id),
        before,
        after,
        actor,
      });
    }
  }

  async #readRow(db: Db, module: CompiledModule, id: string): Promise<StoredRecord> {
    const statements = statementsOf(module, this.catalog.tableSql(module), this.#logs);
    const [row] = await db.execute(statements.byId, { id });
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
    const policy = await this.access.policyOf(actor);
    return this.#update(module, id, patch, actor, policy, options);
  }

  /** Gives the record to another owner (needs the assign permission on it). */
  async assign(
    moduleName: string,
    id: string,
    owner: unknown,
    actor: Actor,
    options: WriteOptions = {},
  ): Promise<StoredRecord> {
    const module = this.catalog.byName(moduleName);
    const policy = await this.access.policyOf(actor);
    if (owner === null || owner === undefined) {
      throw new EngineError('invalid-record', 'owner: must be a user id', [
        { pointer: '/owner', code: 'required', message: 'must be a user id (uuid)' },
      ]);
    }
    return this.#update(module, id, { owner }, actor, policy, options);
  }

  /**
   * Takes a record from the module's pool: the actor becomes its owner. One transaction holds the
   * record's row lock, so of two claims at once exactly one wins and the other is a 409; the pool's
   * claim limit is a 422. Needs a role that may claim; the claimant needs no assign right.
   */
  async claim(moduleName: string, id: string, actor: Actor): Promise<StoredRecord> {
    const module = this.catalog.byName(moduleName);
    const pool = poolOf(module);
    const policy = await this.access.policyOf(actor);
    const userId = actor.userId;
    if (userId === null || !policy.subject || !policy.mayClaim(module.id)) throw notClaimable(module);
    const record = await this.db.transaction(async (tx) => {
      // locked as the system: once a rival's claim commits, the record is no longer in the claimant's sight,
      // yet they may claim from this pool, so they learn it was claimed (409) rather than that it is gone
      const found = await this.#locate(module, id, Policy.unrestricted(policy.subject), [], tx, true);
      if (!found) throw notFound(`${module.name} record '${id}'`);
      if (found.row.owner !== null) throw alreadyClaimed(module);
      await checkClaimLimit(tx, module, this.catalog.tableSql(module), pool, userId);
      const patch = claimPatch(pool, userId, this.clock());
      return this.#update(module, id, patch, actor, Policy.unrestricted(policy.subject), { db: tx });
    });
    return withoutHiddenFields(record, module, policy.fields(module));
  }

  /**
   * Puts a record back in the module's pool with a reason (an option of the pool's reason field):
   * by its owner, or by someone who may reassign it.
   */
  async release(moduleName: string, id: string, reason: unknown, actor: Actor): Promise<StoredRecord> {
    const module = this.catalog.byName(moduleName);
    const pool = poolOf(module);
    const policy = await this.access.policyOf(actor);
    const record = await this.db.transaction(async (tx) => {
      const found = await this.#locate(module, id, policy, ['assign'], tx, true);
      if (!found) throw notFound(`${module.name} record '${id}'`);
      if (found.row.owner === null) throw notInPool(module);
      if (found.row.owner !== actor.userId && !found.allowed.assign) throw mayNotRelease(module);
      const patch = releasePatch(module, pool, reason, this.clock());
      return this.#update(module, id, patch, actor, Policy.unrestricted(policy.subject), { db: tx });
    });
    return withoutHiddenFields(record, module, policy.fields(module));
  }

  async #update(
    module: CompiledModule,
    id: string,
    patch: Patch,
    actor: Actor,
    policy: Policy,
    options: WriteOptions,
    kind: UpdateKind = {},
    exists?: (current: StoredRecord) => boolean,
    what?: string,
  ): Promise<StoredRecord> {
    const args = [module, id, patch, actor, policy, options] as const;
    const written = async (record: StoredRecord, version: number) => {
      if (record.version !== version) await this.#hooksFor(module)?.after('update', module, record, actor);
      return record;
    };
    // A write with rows, rollups or links runs in a transaction holding the record's lock from the read on.
    const db = options.db ?? this.db;
    const dependent =
      this.#dependents.needed(module) ||
      patchesLinks(module, patch) ||
      (await this.#observers.watched(module, 'updated', actor, db));
    const first = dependent ? undefined : await this.#tryUpdate(db, ...args, false, kind);
    if (first) return written(first.record, first.from);
    // Someone wrote between our read and our write. With an expected version that is a conflict;
    // without one, try again holding the row lock, which no other writer can overtake.
    if (options.expectedVersion === undefined || dependent) {
      const locked = await this.#write('write', () =>
        db.transaction((tx) => this.#tryUpdate(tx, ...args, true, kind, exists, what)),
      );
      if (locked) return written(locked.record, locked.from);
    }
    const latest = await this.#locate(module, id, policy);
    if (!latest) throw notFound(`${module.name} record '${id}'`);
    throw conflict(this.#visible(module, policy, latest.row));
  }

  /**
   * One update attempt: read the record (locking it when `lock`), apply the patch and write it if
   * the record is still at the version read. Undefined when another writer got there first.
   */
  async #tryUpdate(
    db: Db,
    module: CompiledModule,
    id: string,
    input: Patch,
    actor: Actor,
    policy: Policy,
    options: WriteOptions,
    lock: boolean,
    kind: UpdateKind,
    exists?: (current: StoredRecord) => boolean,
    what?: string,
  ): Promise<{ record: StoredRecord; from: number } | undefined> {
    const fields = policy.fields(module);
    // before anything is read: a field the actor cannot see must not show through a type error
    if (typeof input !== 'function') checkWritable(module, fields, input, new Set());
    const found = await this.#locate(module, id, policy, ['update', 'assign'], db, lock);
    if (!found) throw notFound(`${module.name} record '${id}'`);
    await this.#checkGuard(db, module, id, actor);
    const [current] = await this.#dependents.attachRows(db, module, [rowToRecord(module, found.row)]);
    if (exists && !exists(current)) throw notFound(what ?? `${module.name} record '${id}'`);
    const asked = typeof input === 'function' ? (input as PatchOf)(current) : input;
    if (typeof input === 'function') checkWritable(module, fields, asked, new Set());
    const hooks = this.#hooksFor(module);
    // a hook sees the record under the lock when there is one; it may run again if a writer overtook us
    const patch = hooks && isValues(asked) ? await hooks.beforeUpdate(module, asked, current, actor) : asked;
    // `owner: null` puts a record of a pool module back in the pool; elsewhere every record has an owner
    const newOwner = ownerFrom(patch) ?? (clearsOwner(module, patch) ? null : undefined);
    const onlyOwner = isOnlyOwner(patch);
    if (!onlyOwner && !found.allowed.update) throw forbidden('update', `this ${module.name} record`);
    if (options.expectedVersion !== undefined && current.version !== options.expectedVersion) {
      throw conflict(withoutHiddenFields(current, module, fields));
    }
    const now = this.clock().toISOString();
    const fetched = await withFetchedValues(module, patch, current, this.#readAs(policy, db));
    const values = prepareValues(module, fetched, current, {
      id,
      owner: newOwner === undefined ? current.owner : newOwner,
      created_at: current.created_at,
      updated_at: now,
    });
    await this.#files.resolve(db, module, values, actor, id);
    const before = fieldValues(module, current);
    const changes = diffValues(module, before, fieldValues(module, values));
    checkWritable(module, fields, asked, new Set(Object.keys(changes)));
    const ownerChanged = newOwner !== undefined && newOwner !== current.owner;
    if (ownerChanged) {
      if (!found.allowed.assign) throw forbidden('assign', `this ${module.name} record`);
      if (!policy.unrestricted && newOwner !== null)
        await this.#checkAssignee(module, policy, newOwner, true);
    } else if (onlyOwner && !found.allowed.assign && !found.allowed.update) {
      throw forbidden('assign', `this ${module.name} record`);
    }
    const from = current.version;
    if (Object.keys(changes).length === 0 && !ownerChanged)
      return { record: withoutHiddenFields(current, module, fields), from };
    const reverting = kind.revertedTo !== undefined;
    const action = reverting
      ? 'revert'
      : ownerChanged && Object.keys(changes).length === 0
        ? 'assign'
        : 'update';
    const details =
      action === 'assign'
        ? { from: current.owner, to: newOwner }
        : {
            fields: Object.keys(changes),
            ...(ownerChanged ? { owner: { from: current.owner, to: newOwner } } : {}),
            ...(reverting ? { revertedTo: kind.revertedTo } : {}),
          };
    if (ownerChanged) changes.owner = { from: current.owner, to: newOwner };

    const links = changedLinkFields(module, current, values);
    if (links.length > 0) {
      await this.#write('write', () => writeLinks(db, this.catalog.schema, links, this.#tableOf, id, values));
    }
    const dependent = this.#dependents.needed(module);
    const touched = dependent ? await this.#dependents.prepare(db, module, id, current, values) : undefined;
    const columns = valuesToColumns(module, values);
    const assignments = module.fields
      .filter((f) => f.name in changes)
      .flatMap((f) => f.columns)
      .map((c) => sql`${sql.identifier(c)} = ${param(columns.get(c))}`);
    assignments.push(sql`version = version + 1`, sql`updated_at = ${now}`, sql`updated_by = ${actor.userId}`);
    if (ownerChanged) {
      assignments.push(sql`owner = ${newOwner}`);
      assignments.push(
        sql`${sql.identifier(OWNER_PATH_COLUMN)} = ${ownerPathOf(sql`${newOwner}::uuid`, this.#logs)}`,
      );
    }
    const write = (tx: Db) =>
      tx.query(
        sql`WITH r AS (
              UPDATE ${this.catalog.tableSql(module)} SET ${sql.join(assignments, sql`, `)}
              WHERE id = ${id} AND version = ${current.version} AND deleted_at IS NULL RETURNING *),
            h AS (
              INSERT INTO ${this.#logs.history} (module_id, record_id, version, op, actor, changes, reverted_to)
              SELECT ${module.id}, r.id, r.version, ${reverting ? 'revert' : 'update'}, ${actor.userId},
                ${JSON.stringify(changes)}::jsonb, ${kind.revertedTo ?? null}::integer FROM r),
            l AS (
              INSERT INTO ${this.#logs.operationLog} (actor, ip, user_agent, action, module, record_id, details)
              SELECT ${actor.userId}::uuid, ${actor.ip ?? null}, ${actor.userAgent ?? null}, ${action}, ${module.id},
                r.id, ${JSON.stringify(details)}::jsonb FROM r)
            SELECT ${sql.join([sql`r.*`, ...linkColumns(module, 'r', this.#logs)], sql`, `)} FROM r`,
      );
    const rows = await this.#write('write', () =>
      this.#files.touches(module, changes)
        ? db.transaction(async (tx) => {
            const written = await write(tx);
            const changed = new Set(Object.keys(changes));
            if (written.length > 0) await this.#files.sync(tx, module, id, values, actor, changed);
            return written;
          })
        : write(db),
    );
    if (rows.length === 0) return undefined;
    let record: StoredRecord;
    const derived = this.#derivedChanges(module, id, options.derivedCause ?? actor);
    if (touched) {
      await this.#dependents.finish(db, module, id, current, values, touched, derived);
      record = this.#dependents.rereads(module)
        ? await this.#readRow(db, module, id)
        : rowToRecord(module, rows[0]);
      Object.assign(record, this.#dependents.rowsFrom(module, values));
    } else {
      record = rowToRecord(module, rows[0]);
    }
    // watched updates run in a transaction (see #update), so observers join the write's
    if (db.inTransaction) {
      await this.#observers.written(db, {
        module,
        kind: 'updated',
        id,
        before: current,
        after: record,
        actor,
      });
      await this.#observeDerived(db, derived, options.derivedCause ?? actor);
    }
    return { record: withoutHiddenFields(record, module, fields), from };
  }

  /**
   * Moves a record to the recycle bin (it keeps its row, history and files until purged). Live
   * records pointing at it through a `restrict` relation refuse it; `setNull` relations are cleared.
   */
  async delete(moduleName: string, id: string, actor: Actor, options: WriteOptions = {}): Promise<void> {
    const module = this.catalog.byName(moduleName);
    const policy = await this.access.policyOf(actor);
    validId(module, id);
    const hooks = this.#hooksFor(module);
    const deleted = await this.#write('delete', () =>
      this.db.transaction((tx) => this.#deleteIn(tx, module, id, actor, policy, options)),
    );
    await hooks?.after('delete', module, withoutHiddenFields(deleted, module, policy.fields(module)), actor);
  }

  async #deleteIn(
    tx: Db,
    module: CompiledModule,
    id: string,
    actor: Actor,
    policy: Policy,
    options: WriteOptions,
  ): Promise<StoredRecord> {
    const found = await this.#locate(module, id, policy, ['delete'], tx, true);
    if (!found) throw notFound(`${module.name} record '${id}'`);
    if (!found.allowed.delete) throw forbidden('delete', `this ${module.name} record`);
    await this.#checkGuard(tx, module, id, actor);
    const [current] = await this.#dependents.attachRows(tx, module, [rowToRecord(module, found.row)]);
    if (options.expectedVersion !== undefined && current.version !== options.expectedVersion) {
      throw conflict(withoutHiddenFields(current, module, policy.fields(module)));
    }
    await this.#hooksFor(module)?.beforeDelete(
      module,
      withoutHiddenFields(current, module, policy.fields(module)),
      actor,
    );
    await releaseReferences(tx, this.catalog, this.#logs.history, module, id, actor);
    const touched = await this.#dependents.prepare(tx, module, id, current, undefined);
    await this.#binMove(tx, module, id, actor, 'delete');
    const derived = this.#derivedChanges(module, id, actor);
    await this.#dependents.finish(tx, module, id, current, undefined, touched, derived);
    await this.#observers.written(tx, { module, kind: 'deleted', id, before: current, after: null, actor });
    await this.#observeDerived(tx, derived, actor);
    return current;
  }

  /**
   * Applies one patch to each of `ids` (a bulk edit): all or nothing, with each failing record's
   * problems (validation, permission, a unique value) in the error.
   */
  async bulkUpdate(moduleName: string, ids: unknown, patch: unknown, actor: Actor): Promise<StoredRecord[]> {
    const module = this.catalog.byName(moduleName);
    const list = bulkIds(ids);
    const policy = await this.access.policyOf(actor);
    return runBulk(this.db, list, { en: 'updated', zh: '更新' }, (tx, id) =>
      this.#write('write', async () => {
        const updated = await this.#tryUpdate(tx, module, id, patch, actor, policy, {}, true, {});
        // holding the row lock, no other writer can get between the read and the write
        if (!updated) throw notFound(`${module.name} record '${id}'`);
        return updated.record;
      }),
    );
  }

  /** Moves each of `ids` to the recycle bin: all or nothing, as `bulkUpdate`. */
  async bulkDelete(moduleName: string, ids: unknown, actor: Actor): Promise<number> {
    const module = this.catalog.byName(moduleName);
    const list = bulkIds(ids);
    const policy = await this.access.policyOf(actor);
    const done = await runBulk(this.db, list, { en: 'deleted', zh: '删除' }, (tx, id) =>
      this.#write('delete', () => this.#deleteIn(tx, module, id, actor, policy, {})),
    );
    return done.length;
  }

  /** Takes a record out of the recycle bin (needs the delete permission on it). */
  async restore(moduleName: string, id: string, actor: Actor): Promise<StoredRecord> {
    const module = this.catalog.byName(moduleName);
    const policy = await this.access.policyOf(actor);
    validId(module, id);
    await this.#write('write', () =>
      this.db.transaction(async (tx) => {
        const found = await this.#locate(module, id, policy, ['delete'], tx, true, true);
        if (!found) throw notFound(`${module.name} record '${id}' in the recycle bin`);
        if (!found.allowed.delete) throw forbidden('restore', `this ${module.name} record`);
        const record = rowToRecord(module, found.row);
        await checkTargetsLive(tx, this.catalog, module, record);
        const touched = await this.#dependents.prepareRestore(tx, module, id, record);
        await this.#binMove(tx, module, id, actor, 'restore');
        const derived = this.#derivedChanges(module, id, actor);
        await this.#dependents.recompute(tx, touched, derived);
        await this.#observeDerived(tx, derived, actor);
      }),
    );
    return this.get(moduleName, id, actor);
  }

  /** Deletes or restores: the row stays, its bin columns and version change, history and log follow. */
  async #binMove(tx: Db, module: CompiledModule, id: string, actor: Actor, op: 'delete' | 'restore') {
    const deleting = op === 'delete';
    await tx.run(
      sql`WITH r AS (
            UPDATE ${this.catalog.tableSql(module)}
            SET deleted_at = ${deleting ? sql`now()` : sql`NULL`}, deleted_by = ${deleting ? actor.userId : null}::uuid,
              version = version + 1
            WHERE id = ${id} RETURNING id, version)
          INSERT INTO ${this.#logs.history} (module_id, record_id, version, op, actor, changes)
          SELECT ${module.id}, r.id, r.version, ${op}, ${actor.userId}, '{}'::jsonb FROM r`,
    );
    await appendOperation(tx, this.catalog.schema, actor, op, { module: module.id, recordId: id });
  }

  /**
   * Deletes records in the recycle bin for good, with their history (admins only): one record, or
   * with `id` undefined every record deleted before `deletedBefore` (all when absent). The
   * operation log keeps that it happened. Returns how many were purged.
   */
  async purge(
    moduleName: string,
    actor: Actor,
    target: { id?: string; deletedBefore?: string } = {},
  ): Promise<number> {
    const module = this.catalog.byName(moduleName);
    const policy = await this.access.policyOf(actor);
    if (!policy.unrestricted) throw forbidden('purge', `${module.name} records`);
    if (target.id !== undefined) validId(module, target.id);
    if (target.deletedBefore !== undefined && !isTimestamp(target.deletedBefore)) {
      throw localizedError('invalid-query', '/deletedBefore', 'type', {
        en: 'deletedBefore must be an ISO 8601 date-time',
        'zh-CN': 'deletedBefore 必须是 ISO 8601 日期时间',
      });
    }
    const which = [sql`deleted_at IS NOT NULL`];
    if (target.id !== undefined) which.push(sql`id = ${target.id}`);
    if (target.deletedBefore !== undefined)
      which.push(sql`deleted_at < ${target.deletedBefore}::timestamptz`);
    return this.#write('delete', () =>
      this.db.transaction(async (tx) => {
        const purged = await tx.query<{ id: string }>(
          sql`DELETE FROM ${this.catalog.tableSql(module)} WHERE ${sql.join(which, sql` AND `)} RETURNING id`,
        );
        if (target.id !== undefined && purged.length === 0) {
          throw notFound(`${module.name} record '${target.id}' in the recycle bin`);
        }
        if (purged.length === 0) return 0;
        const ids = purged.map((r) => r.id);
        await tx.run(
          sql`DELETE FROM ${this.#logs.history} WHERE module_id = ${module.id}
              AND record_id = ANY(${sql.param(ids)}::uuid[])`,
        );
        await appendOperation(tx, this.catalog.schema, actor, 'purge', {
          module: module.id,
          recordId: target.id,
          details: { count: ids.length, ...(target.id === undefined ? { ids } : {}) },
        });
        return ids.length;
      }),
    );
  }

  /** The records of a module in the recycle bin that the actor could delete (and so may restore). */
  async listDeleted(moduleName: string, actor: Actor, query: ListQuery = {}): Promise<Page<DeletedRecord>> {
    const module = this.catalog.byName(moduleName);
    const page = await this.#list(
      module,
      { ...query, sort: query.sort ?? '-deleted_at' },
      await this.access.policyOf(actor),
      undefined,
      true,
    );
    return page as Page<DeletedRecord>;
  }

  /**
   * Sets a record's fields back to how they were at `version` of its history, as a new version
   * (computed fields follow; fields removed since are left alone). Needs the update permission.
   */
  async revert(
    moduleName: string,
    id: string,
    version: number,
    actor: Actor,
    options: WriteOptions = {},
  ): Promise<StoredRecord> {
    const module = this.catalog.byName(moduleName);
    const policy = await this.access.policyOf(actor);
    const found = await this.#locate(module, id, policy, ['update']);
    if (!found) throw notFound(`${module.name} record '${id}'`);
    if (!found.allowed.update) throw forbidden('update', `this ${module.name} record`);
    const [current] = await this.#dependents.attachRows(this.db, module, [rowToRecord(module, found.row)]);
    if (!Number.isInteger(version) || version < 1 || version >= current.version) {
      throw localizedError('invalid-input', '/version', 'version', {
        en: `version must be an earlier version of the record (1 to ${current.version - 1})`,
        'zh-CN': `版本必须是该记录较早的版本（1 到 ${current.version - 1}）`,
      });
    }
    const then = await valuesAtVersion(this.db, this.#logs.history, module, id, version, current);
    const patch: RecordValues = {};
    for (const field of module.fields) {
      if (field.type.computed) continue;
      if (JSON.stringify(then[field.name] ?? null) !== JSON.stringify(current[field.name] ?? null)) {
        patch[field.name] = then[field.name] ?? null;
      }
    }
    // rows removed since come back as new rows (their old ids are no longer this record's)
    for (const sub of module.subtables) {
      const rows = patch[sub.name];
      if (!Array.isArray(rows)) continue;
      const known = new Set(rowsOf(current, sub.name).map((row) => row.id));
      patch[sub.name] = rows.map(({ id, ...row }) => (known.has(id) ? { id, ...row } : row));
    }
    return this.#update(module, id, patch, actor, policy, options, { revertedTo: version });
  }

  async list(moduleName: string, actor: Actor, query: ListQuery = {}): Promise<Page<StoredRecord>> {
    const module = this.catalog.byName(moduleName);
    const policy = await this.access.policyOf(actor);
    return this.#list(module, query.view === 'default' ? inListView(module, query, policy) : query, policy);
  }

  /**
   * Every record of a list query, a page at a time, for an export: needs the export permission,
   * and is logged.
   */
  async *export(moduleName: string, actor: Actor, query: Omit<ListQuery, 'cursor' | 'limit'> = {}) {
    const module = this.catalog.byName(moduleName);
    const policy = await this.access.policyOf(actor);
    if (!policy.mayExport(module.id)) throw forbidden('export', `${module.name} records`);
    // the first page checks the query before the export is logged
    let page = await this.#list(module, { ...query, limit: MAX_PAGE }, policy);
    await appendOperation(this.db, this.catalog.schema, actor, 'export', {
      module: module.id,
      details: { filter: query.filter ?? null, sort: query.sort ?? null, q: query.q ?? null },
    });
    for (;;) {
      yield page.data;
      if (!page.nextCursor) return;
      page = await this.#list(module, { ...query, limit: MAX_PAGE, cursor: page.nextCursor }, policy);
    }
  }

  /** The fields of a module an actor may read and write. */
  async fieldAccess(moduleName: string, actor: Actor): Promise<FieldAccess> {
    return (await this.access.policyOf(actor)).fields(this.catalog.byName(moduleName));
  }

  /**
   * Records of another module pointing at this record through the inverse list `inverseName`, or
   * linked to it through a many-relation (by the field's name or its inverse name).
   */
  async related(
    moduleName: string,
    id: string,
    inverseName: string,
    actor: Actor,
    query: ListQuery = {},
  ): Promise<Page<StoredRecord>> {
    const module = this.catalog.byName(moduleName);
    const policy = await this.access.policyOf(actor);
    const list = relatedList(this.catalog, module, inverseName, (m, field) =>
      mayRead(policy.fields(m), field),
    );
    if (!list) throw notFound(`related list '${inverseName}' of module '${module.name}'`);
    if (!(await this.#locate(module, id, policy))) throw notFound(`${module.name} record '${id}'`);
    return this.#list(list.records, query, policy, list.where(ALIAS, id));
  }

  /** The related lists a record page of `moduleName` shows this actor (see `related`). */
  async relatedLists(moduleName: string, actor: Actor): Promise<RelatedListInfo[]> {
    const module = this.catalog.byName(moduleName);
    const policy = await this.access.policyOf(actor);
    return relatedListsOf(this.catalog, module, (m, field) => mayRead(policy.fields(m), field));
  }

  async history(
    moduleName: string,
    id: string,
    actor: Actor,
    options: { beforeVersion?: number; limit?: number } = {},
  ): Promise<HistoryEntry[]> {
    const module = this.catalog.byName(moduleName);
    const policy = await this.access.policyOf(actor);
    validId(module, id);
    const limit = pageSize(options.limit, 100);
    // Others see the history of records they see now; the unrestricted, of deleted ones too.
    const visible = await this.#locate(module, id, policy);
    if (!visible && !policy.unrestricted) throw notFound(`${module.name} record '${id}'`);
    const entries = await readHistory(this.db, this.#logs.history, module.id, id, {
      beforeVersion: options.beforeVersion,
      limit,
    });
    if (entries.length === 0 && !visible) throw notFound(`${module.name} record '${id}'`);
    return historyWithoutHiddenFields(entries, policy.fields(module));
  }

  /** The record `id` if the actor may see it, with whether they may do each of `operations` to it. */
  #locate(
    module: CompiledModule,
    id: string,
    policy: Policy,
    operations: Parameters<typeof locateRecord>[5] = [],
    db: Db = this.db,
    lock = false,
    inBin = false,
  ): Promise<LocatedRecord | undefined> {
    return locateRecord(
      db,
      module,
      validId(module, id),
      policy,
      this.#tables(module),
      operations,
      lock,
      inBin,
    );
  }

  #visible(module: CompiledModule, policy: Policy, row: Record<string, unknown>): StoredRecord {
    return withoutHiddenFields(rowToRecord(module, row), module, policy.fields(module));
  }

  /** A new owner must be an active user within the actor's assign scope. */
  async #checkAssignee(module: CompiledModule, policy: Policy, owner: string | null, assigning = false) {
    const scope = policy.scope(module.id, 'assign');
    if (!scope) throw forbidden('assign', `${module.name} records to others`);
    if (owner === null || !(await checkAssignee(this.db, policy, scope, owner, this.access.tables))) {
      const message = 'must be an active user you may give records to';
      throw new EngineError('invalid-record', `owner: ${message}`, [
        { pointer: '/owner', code: assigning ? 'assignee' : 'owner', message },
      ]);
    }
  }

  /** A page of live records, or with `inBin` of the records in the recycle bin the actor may restore. */
  async #list(
    module: CompiledModule,
    query: ListQuery,
    policy: Policy,
    base?: SQL,
    inBin = false,
  ): Promise<Page<StoredRecord>> {
    await this.#clockFormulas.refresh(module);
    const limit = pageSize(query.limit);
    const fieldAccess = policy.fields(module);
    const visible = policy.unrestricted
      ? undefined
      : (m: CompiledModule, name: string) => mayRead(policy.fields(m), name);
    const keys = parseSort(module, query.sort, visible);
    const conditions: SQL[] = [liveness(inBin)];
    if (base) conditions.push(base);
    const readable = accessPredicate(policy, module.id, inBin ? 'delete' : 'read', ALIAS, this.access.tables);
    if (readable) conditions.push(readable);
    if (query.filter !== undefined && query.filter !== null) {
      conditions.push(
        compileFilter(query.filter, {
          module,
          alias: ALIAS,
          tableOf: this.#tableOf,
          linkList: (m, name) => this.catalog.linkList(m.id, name),
          visible,
          readable: (target, alias) => accessPredicate(policy, target.id, 'read', alias, this.access.tables),
        }),
      );
    }
    const search = parseSearch(query.q);
    if (search) {
      const table = this.catalog.tableSql(module);
      const mayReadField = (name: string) => mayRead(fieldAccess, name);
      conditions.push(await searchCondition(this.db, module, table, search, ALIAS, mayReadField));
    }
    const filtered = [...conditions];
    if (query.cursor) conditions.push(afterCursor(keys, decodeCursor(keys, query.cursor), ALIAS));
    const only = query.fields ? selectedFields(module, query.fields, fieldAccess) : undefined;
    const where = (list: SQL[]) => (list.length > 0 ? sql`WHERE ${sql.join(list, sql` AND `)}` : sql``);
    const table = sql`${this.catalog.tableSql(module)} ${sql.identifier(ALIAS)}`;
    const { listColumns } = statementsOf(module, this.catalog.tableSql(module), this.#logs);
    // Prepared: the text repeats for a given filter shape, sort and kind of policy (values are
    // parameters), and postgres.js recycles connections (max_lifetime), which bounds its statement cache.
    const rows = await this.db.execute(
      prepareStatement(
        sql`SELECT ${listColumns}${inBin ? sql`, ${sql.identifier(ALIAS)}.deleted_at, ${sql.identifier(ALIAS)}.deleted_by` : sql``}
            FROM ${table} ${where(conditions)}
            ORDER BY ${orderBy(keys, ALIAS)} LIMIT ${limit + 1}`,
      ),
      {},
    );
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const records = page.map((row) => rowToRecord(module, row, only));
    // sub-tables only when asked for by name
    const subs = module.subtables.filter((s) => only?.has(s.name) && mayRead(fieldAccess, s.name));
    await this.#dependents.attachRows(this.db, module, records, subs);
    const result: Page<StoredRecord> = {
      data: records.map((record, i) => {
        const visible = withoutHiddenFields(record, module, fieldAccess);
        return inBin ? { ...visible, ...binColumns(page[i]) } : visible;
      }),
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
      const named = owner?.subtable ? `${owner.subtable.name}.${owner.field.name}` : owner?.field.name;
      const at = owner?.subtable ? `/${owner.subtable.name}` : `/${owner?.field.name}`;
      if (info.code === SQLSTATE.uniqueViolation && owner) {
        const message = owner.subtable
          ? `another row of this record already has this ${owner.field.name}`
          : 'another record already has this value';
        throw new EngineError('conflict', `${named}: ${message}`, [
          {
            pointer: at,
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
          throw new EngineError('invalid-record', `${named}: ${message}`, [
            {
              pointer: at,
              code: 'relation',
              message,
              messages: { en: message, 'zh-CN': '关联的记录不存在' },
            },
          ]);
        }
        const message = `the record is still referenced by ${owner.module.name}.${named}`;
        throw localizedError('conflict', '', 'referenced', {
          en: message,
          'zh-CN': `该记录仍被 ${owner.module.name} 引用`,
        });
      }
      if (info.code === SQLSTATE.undefinedColumn || info.code === SQLSTATE.undefinedTable) {
        // Another server published a change this one has not loaded yet.
        await this.catalog.reload();
      }
      throw error;
    }
  }
}

/** A patch, or (row-level changes) a function making it from the current record, read under its lock. */
type Patch = unknown;
type PatchOf = (current: StoredRecord) => Record<string, unknown>;

function rowsOf(record: StoredRecord, subtable: string): Record<string, unknown>[] {
  return (record[subtable] as Record<string, unknown>[] | null | undefined) ?? [];
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

/** Whether a patch names a many-relation field. */
function patchesLinks(module: CompiledModule, patch: unknown): boolean {
  if (typeof patch !== 'object' || patch === null) return false;
  return Object.keys(patch).some((name) => module.byName.get(name)?.linkTable !== undefined);
}

/** A patch that names the owner and nothing else. */
function clearsOwner(module: CompiledModule, patch: unknown): boolean {
  if (!module.definition.pool || typeof patch !== 'object' || patch === null) return false;
  return 'owner' in patch && (patch as { owner: unknown }).owner === null;
}

function isOnlyOwner(patch: unknown): boolean {
  if (typeof patch !== 'object' || patch === null) return false;
  const keys = Object.keys(patch);
  return keys.length === 1 && keys[0] === 'owner';
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
function bindRows(module: CompiledModule, records: NewRecord[]): Record<string, unknown> {
  const bound: Record<string, unknown> = {};
  for (const [k, { id, owner, now, actor, values, changes }] of records.entries()) {
    bound[`r${k}_id`] = id;
    bound[`r${k}_owner`] = owner;
    bound[`r${k}_now`] = now;
    bound[`r${k}_actor`] = actor.userId;
    bound[`r${k}_ip`] = actor.ip ?? null;
    bound[`r${k}_agent`] = actor.userAgent ?? null;
    bound[`r${k}_changes`] = JSON.stringify(changes);
    const columns = valuesToColumns(module, values).values();
    for (const [i, value] of [...columns].entries()) bound[`r${k}_c${i}`] = value ?? null;
  }
  return bound;
}

function binColumns(row: Record<string, unknown>): { deleted_at: string; deleted_by: string | null } {
  return {
    deleted_at: timestampToIso(row.deleted_at) as string,
    deleted_by: (row.deleted_by as string) ?? null,
  };
}

function pageSize(limit: number | undefined, fallback = DEFAULT_PAGE): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new EngineError('invalid-query', `limit must be between 1 and ${MAX_PAGE}`, [
      { pointer: '/limit', code: 'range', message: `must be an integer from 1 to ${MAX_PAGE}` },
    ]);
  }
  return limit;
}

function selectedFields(module: CompiledModule, names: string[], access: FieldAccess): Set<string> {
  for (const [i, name] of names.entries()) {
    const known = (module.byName.has(name) && mayRead(access, name)) || SYSTEM_COLUMNS.includes(name);
    if (!known) {
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
