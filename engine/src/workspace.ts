import { sql } from 'drizzle-orm';
import { ModuleCatalog } from './catalog.ts';
import { createAjv } from './compile/ajv.ts';
import { DefinitionChecker } from './definitions/check.ts';
import { DefinitionStore } from './definitions/store.ts';
import { createFieldTypeRegistry, type FieldTypeRegistry } from './fields/index.ts';
import { RecordService } from './records/service.ts';
import type { Db } from './storage/db.ts';
import { workspaces } from './storage/meta-tables.ts';
import { workspaceSchema } from './storage/naming.ts';
import { openPglite } from './storage/pglite.ts';
import { openPostgres } from './storage/postgres.ts';
import { migrateSystem } from './storage/system.ts';
import { migrateWorkspace } from './storage/workspace-migrations.ts';

/** One company's modules and records: a Postgres schema of its own. */
export class Workspace {
  readonly definitions: DefinitionStore;
  readonly records: RecordService;

  constructor(
    readonly id: string,
    readonly schema: string,
    readonly catalog: ModuleCatalog,
    definitions: DefinitionStore,
    records: RecordService,
  ) {
    this.definitions = definitions;
    this.records = records;
  }
}

export interface EngineOptions {
  db: Db;
  registry?: FieldTypeRegistry;
}

/** The metadata engine over one database; hands out workspaces. */
export class Engine {
  readonly registry: FieldTypeRegistry;
  readonly #checker: DefinitionChecker;
  readonly #ajv = createAjv();
  readonly #workspaces = new Map<string, Promise<Workspace>>();
  readonly #unfollow: (() => Promise<void>)[] = [];

  private constructor(
    readonly db: Db,
    registry: FieldTypeRegistry,
  ) {
    this.registry = registry;
    this.#checker = new DefinitionChecker(registry);
  }

  static async open(options: EngineOptions): Promise<Engine> {
    await migrateSystem(options.db);
    return new Engine(options.db, options.registry ?? createFieldTypeRegistry());
  }

  /** The workspace with this id, created on first use. */
  workspace(id = 'default'): Promise<Workspace> {
    let workspace = this.#workspaces.get(id);
    if (!workspace) {
      workspace = this.#openWorkspace(id);
      this.#workspaces.set(id, workspace);
      workspace.catch(() => this.#workspaces.delete(id));
    }
    return workspace;
  }

  async #openWorkspace(id: string): Promise<Workspace> {
    const schema = workspaceSchema(id);
    await this.db.transaction(async (tx) => {
      await tx.run(
        sql`INSERT INTO ${workspaces} (id, name, schema_name) VALUES (${id}, ${id}, ${schema}) ON CONFLICT DO NOTHING`,
      );
    });
    await migrateWorkspace(this.db, id, schema);
    const catalog = new ModuleCatalog(this.db, id, schema, this.registry, this.#ajv);
    await catalog.load();
    this.#unfollow.push(await catalog.follow());
    const definitions = new DefinitionStore(this.db, id, schema, this.registry, this.#checker, catalog);
    return new Workspace(id, schema, catalog, definitions, new RecordService(this.db, catalog));
  }

  async close(): Promise<void> {
    for (const unfollow of this.#unfollow.splice(0)) await unfollow().catch(() => {});
    await this.db.close();
  }
}

/** Opens PostgreSQL when `databaseUrl` is given, otherwise embedded PGlite in `dataDir` (memory if none). */
export async function openDatabase(options: {
  databaseUrl?: string;
  dataDir?: string;
  poolSize?: number;
}): Promise<Db> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, { max: options.poolSize })
    : openPglite(options.dataDir);
}
