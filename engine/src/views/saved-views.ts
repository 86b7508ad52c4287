import type { ValidateFunction } from 'ajv';
import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { ModuleCatalog } from '../catalog.ts';
import { createAjv, problemsFromAjv } from '../compile/ajv.ts';
import { EngineError, notFound } from '../errors.ts';
import type { JsonSchema } from '../fields/registry.ts';
import { timestampToIso } from '../fields/shared.ts';
import { UUID } from '../records/literals.ts';
import type { RecordService } from '../records/service.ts';
import type { Actor } from '../records/types.ts';
import type { Db } from '../storage/db.ts';
import { quoteIdent } from '../storage/naming.ts';

/** What a saved list view holds: the list's filter, keyword, sort and columns, as a table or a board. */
export interface ViewSettings {
  filter?: unknown;
  q?: string;
  sort?: string;
  columns?: string[];
  mode?: 'table' | 'kanban';
}

export interface SavedView extends ViewSettings {
  id: string;
  module: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

/** The most views one user keeps for one module. */
export const MAX_VIEWS_PER_MODULE = 100;

const settingsProperties: Record<string, JsonSchema> = {
  filter: { type: 'object' },
  q: { type: 'string', maxLength: 100 },
  sort: { type: 'string', minLength: 1, maxLength: 300 },
  columns: {
    type: 'array',
    minItems: 1,
    maxItems: 100,
    uniqueItems: true,
    items: { type: 'string', minLength: 1, maxLength: 64 },
  },
  mode: { enum: ['table', 'kanban'] },
};
const name: JsonSchema = { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' };

const SCHEMAS = {
  create: {
    type: 'object',
    properties: { module: { type: 'string', minLength: 1, maxLength: 64 }, name, ...settingsProperties },
    required: ['module', 'name'],
    additionalProperties: false,
  },
  update: {
    type: 'object',
    properties: { name, ...settingsProperties },
    additionalProperties: false,
  },
} satisfies Record<string, JsonSchema>;

const ajv = createAjv();
const validators = new Map<keyof typeof SCHEMAS, ValidateFunction>();

function checked<T>(shape: keyof typeof SCHEMAS, input: unknown): T {
  let validate = validators.get(shape);
  if (!validate) {
    validate = ajv.compile(SCHEMAS[shape]);
    validators.set(shape, validate);
  }
  if (!validate(input)) {
    const problems = problemsFromAjv(validate.errors);
    throw new EngineError(
      'invalid-input',
      problems.map((p) => `${p.pointer || '/'}: ${p.message}`).join('; '),
      problems,
    );
  }
  return input as T;
}

const SETTING_KEYS = ['filter', 'q', 'sort', 'columns', 'mode'] as const;

function settingsOf(input: Record<string, unknown>): ViewSettings {
  const settings: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) if (input[key] !== undefined) settings[key] = input[key];
  return settings as ViewSettings;
}

/**
 * Each user's own saved views of module lists (private: nobody else lists, changes or sees them).
 * A view's filter, keyword and sort are checked the way the list checks them, so a saved view always opens.
 */
export class SavedViewStore {
  readonly #table;

  constructor(
    private readonly db: Db,
    private readonly catalog: ModuleCatalog,
    private readonly records: RecordService,
  ) {
    this.#table = sql.raw(`${quoteIdent(catalog.schema)}._saved_views`);
  }

  /** The user's views of a module, by name. */
  async list(moduleName: string, actor: Actor): Promise<SavedView[]> {
    const module = this.catalog.byName(moduleName);
    const rows = await this.db.query<Record<string, unknown>>(
      sql`SELECT * FROM ${this.#table} WHERE user_id = ${userOf(actor)} AND module_id = ${module.id}
          ORDER BY lower(name), id`,
    );
    return rows.map((row) => this.#view(row));
  }

  async get(id: string, actor: Actor): Promise<SavedView> {
    return this.#view(await this.#row(this.db, id, actor));
  }

  async create(input: unknown, actor: Actor): Promise<SavedView> {
    const body = checked<Record<string, unknown> & { module: string; name: string }>('create', input);
    const module = this.catalog.byName(body.module);
    const settings = settingsOf(body);
    await this.#checkSettings(module.name, settings, actor);
    return this.db.transaction(async (tx) => {
      const [{ count }] = await tx.query<{ count: number }>(
        sql`SELECT count(*)::int AS count FROM ${this.#table} WHERE user_id = ${userOf(actor)} AND module_id = ${module.id}`,
      );
      if (count >= MAX_VIEWS_PER_MODULE) {
        throw new EngineError('conflict', `at most ${MAX_VIEWS_PER_MODULE} saved views per module`, [
          {
            pointer: '',
            code: 'too-many',
            message: `at most ${MAX_VIEWS_PER_MODULE} saved views per module`,
            messages: {
              en: `at most ${MAX_VIEWS_PER_MODULE} saved views per module`,
              'zh-CN': `每个模块最多保存 ${MAX_VIEWS_PER_MODULE} 个视图`,
            },
          },
        ]);
      }
      await this.#nameFree(tx, module.id, body.name.trim(), actor);
      const [row] = await tx.query<Record<string, unknown>>(
        sql`INSERT INTO ${this.#table} (id, user_id, module_id, name, settings)
            VALUES (${uuidv7()}, ${userOf(actor)}, ${module.id}, ${body.name.trim()}, ${JSON.stringify(settings)}::jsonb)
            RETURNING *`,
      );
      return this.#view(row);
    });
  }

  /** Renames a view or replaces its settings (the ones given; `null` is not a setting). */
  async update(id: string, input: unknown, actor: Actor): Promise<SavedView> {
    const body = checked<Record<string, unknown> & { name?: string }>('update', input);
    const current = this.#view(await this.#row(this.db, id, actor));
    const settings = { ...settingsOf(current as unknown as Record<string, unknown>), ...settingsOf(body) };
    // outside the transaction: the list's check reads the database on a connection of its own
    // (PGlite has one: a read there while a transaction holds it would wait forever)
    await this.#checkSettings(current.module, settings, actor);
    const newName = body.name?.trim() ?? current.name;
    const module = this.catalog.byName(current.module);
    return this.db.transaction(async (tx) => {
      await this.#row(tx, id, actor, true);
      if (newName.toLowerCase() !== current.name.toLowerCase())
        await this.#nameFree(tx, module.id, newName, actor);
      const [row] = await tx.query<Record<string, unknown>>(
        sql`UPDATE ${this.#table} SET name = ${newName}, settings = ${JSON.stringify(settings)}::jsonb,
              updated_at = now()
            WHERE id = ${id} RETURNING *`,
      );
      return this.#view(row);
    });
  }

  async delete(id: string, actor: Actor): Promise<void> {
    await this.#row(this.db, id, actor);
    await this.db.run(sql`DELETE FROM ${this.#table} WHERE id = ${id} AND user_id = ${userOf(actor)}`);
  }

  /** Filter, keyword and sort as the list takes them (its problems keep their pointers); columns by field name. */
  async #checkSettings(moduleName: string, settings: ViewSettings, actor: Actor): Promise<void> {
    await this.records.list(moduleName, actor, {
      filter: settings.filter,
      q: settings.q,
      sort: settings.sort,
      limit: 1,
    });
    const module = this.catalog.byName(moduleName);
    const fields = new Set(module.fields.map((f) => f.name));
    const problems = (settings.columns ?? []).flatMap((column, i) =>
      fields.has(column)
        ? []
        : [
            {
              pointer: `/columns/${i}`,
              code: 'unknown-field',
              message: `no field named '${column}'`,
              messages: { en: `no field named '${column}'`, 'zh-CN': `没有名为“${column}”的字段` },
            },
          ],
    );
    if (problems.length > 0) {
      throw new EngineError(
        'invalid-input',
        problems.map((p) => `${p.pointer}: ${p.message}`).join('; '),
        problems,
      );
    }
  }

  async #nameFree(tx: Db, moduleId: string, name: string, actor: Actor): Promise<void> {
    const [taken] = await tx.query(
      sql`SELECT 1 FROM ${this.#table} WHERE user_id = ${userOf(actor)} AND module_id = ${moduleId}
          AND lower(name) = lower(${name})`,
    );
    if (taken) {
      const message = `you already have a view named '${name}'`;
      throw new EngineError('conflict', message, [
        {
          pointer: '/name',
          code: 'unique',
          message,
          messages: { en: message, 'zh-CN': `已有名为“${name}”的视图` },
        },
      ]);
    }
  }

  /** The actor's own view `id`: anyone else's is not found (not forbidden: its existence is private too). */
  async #row(db: Db, id: string, actor: Actor, lock = false): Promise<Record<string, unknown>> {
    if (!UUID.test(id)) throw notFound(`saved view '${id}'`);
    const [row] = await db.query<Record<string, unknown>>(
      sql`SELECT * FROM ${this.#table} WHERE id = ${id} AND user_id = ${userOf(actor)}
          ${lock ? sql`FOR UPDATE` : sql``}`,
    );
    if (!row) throw notFound(`saved view '${id}'`);
    return row;
  }

  #view(row: Record<string, unknown>): SavedView {
    const module = this.catalog.byId(String(row.module_id));
    const settings = (
      typeof row.settings === 'string' ? JSON.parse(row.settings) : row.settings
    ) as ViewSettings;
    return {
      id: String(row.id),
      module: module?.name ?? String(row.module_id),
      name: String(row.name),
      ...settings,
      createdAt: timestampToIso(row.created_at) as string,
      updatedAt: timestampToIso(row.updated_at) as string,
    };
  }
}

/** Saved views belong to people: the system actor (CLI, seeds) has none. */
function userOf(actor: Actor): string {
  if (!actor.userId) throw new EngineError('forbidden', 'saved views belong to a signed-in user');
  return actor.userId;
}
