import { sql } from 'drizzle-orm';
import { AccessControl } from './access/access-control.ts';
import { OperationLog, operationLogTable } from './access/operation-log.ts';
import { RoleStore } from './access/roles.ts';
import { ShareService } from './access/shares.ts';
import { ModuleCatalog } from './catalog.ts';
import { createAjv } from './compile/ajv.ts';
import { DefinitionChecker } from './definitions/check.ts';
import { DefinitionStore } from './definitions/store.ts';
import { titleFieldOf } from './definitions/title.ts';
import { EngineError } from './errors.ts';
import { createFieldTypeRegistry, type FieldTypeRegistry } from './fields/index.ts';
import { type FileOptions, FileService } from './files/service.ts';
import { type Clock, systemClock } from './identity/clock.ts';
import { Identity, type IdentityOptions } from './identity/identity.ts';
import { identityTables } from './identity/tables.ts';
import type { OutboundPolicy } from './net/policy.ts';
import { outboundHttp } from './net/request.ts';
import { NotificationService } from './notifications/service.ts';
import { PackageService } from './packages/service.ts';
import { type PluginLog, PluginService } from './plugins/service.ts';
import type { EnginePlugin } from './plugins/types.ts';
import { RecordService } from './records/service.ts';
import { SYSTEM_ACTOR } from './records/types.ts';
import { ensureSearchColumns } from './search/ensure.ts';
import type { Db } from './storage/db.ts';
import { workspaces } from './storage/meta-tables.ts';
import { HISTORY_TABLE, qualified, workspaceSchema } from './storage/naming.ts';
import { openPglite } from './storage/pglite.ts';
import { openPostgres } from './storage/postgres.ts';
import { migrateSystem } from './storage/system.ts';
import { migrateWorkspace } from './storage/workspace-migrations.ts';
import { SavedViewStore } from './views/saved-views.ts';
import { type WebhookOptions, WebhookService } from './webhooks/service.ts';
import { findRecordsAction } from './workflow/actions/find-records.ts';
import { notifyAction } from './workflow/actions/notify.ts';
import { webhookAction } from './workflow/actions/webhook.ts';
import { builtInActions } from './workflow/actions.ts';
import type { ApprovalRecords } from './workflow/approvals/binding.ts';
import { ApprovalService } from './workflow/approvals/service.ts';
import type { MonitorLabels } from './workflow/monitor.ts';
import type { WorkflowRecordAccess } from './workflow/record-binding.ts';
import { type WorkflowOptions, WorkflowService } from './workflow/service.ts';

/** The services of a workspace that decide and record who may do what. */
export interface WorkspaceAccess {
  /** Each actor's policy (cached), and the tables its predicates read. */
  control: AccessControl;
  roles: RoleStore;
  shares: ShareService;
  operationLog: OperationLog;
}

/** One company's modules and records: a Postgres schema of its own. */
export class Workspace {
  readonly definitions: DefinitionStore;
  readonly records: RecordService;
  /** Attachment uploads and downloads. */
  readonly files: FileService;
  readonly access: WorkspaceAccess;
  /** Departments, positions, people and their roles; logins, sessions and tokens. */
  readonly identity: Identity;
  /** The configuration as an app package: export, preview, import. */
  readonly packages: PackageService;
  /** BPMN processes: deploy, run, tasks, timers and jobs. */
  readonly workflows: WorkflowService;
  /** Approval steps of those processes: actions, inbox, timelines. */
  readonly approvals: ApprovalService;
  /** Names of people and titles of records for the process monitor. */
  readonly monitorLabels: MonitorLabels;
  /** In-app notifications (approval tasks, CC, workflow notify actions). */
  readonly notifications: NotificationService;
  /** Each user's saved list views. */
  readonly views: SavedViewStore;
  /** The configured plugins: their state, lifecycle and guarded calls. */
  readonly plugins: PluginService;
  /** Outbound webhooks on record events: subscriptions, deliveries and their log. */
  readonly webhooks: WebhookService;

  constructor(
    readonly id: string,
    readonly schema: string,
    readonly catalog: ModuleCatalog,
    definitions: DefinitionStore,
    records: RecordService,
    access: WorkspaceAccess,
    identity: Identity,
    files: FileService,
    packages: PackageService,
    workflows: WorkflowService,
    notifications: NotificationService,
    views: SavedViewStore,
    approvals: ApprovalService,
    plugins: PluginService,
    webhooks: WebhookService,
  ) {
    this.plugins = plugins;
    this.webhooks = webhooks;
    this.workflows = workflows;
    this.notifications = notifications;
    this.views = views;
    this.approvals = approvals;
    this.monitorLabels = {
      userNames: (ids) => approvals.inbox.names(ids),
      recordTitles: (module, ids, actor) => approvals.recordTitles(module, ids, actor),
    };
    this.definitions = definitions;
    this.records = records;
    this.files = files;
    this.access = access;
    this.identity = identity;
    this.packages = packages;
  }
}

export interface EngineOptions {
  db: Db;
  registry?: FieldTypeRegistry;
  /** Clock and password hashing cost of the identity services (tests make both cheap to control). */
  identity?: IdentityOptions;
  /** Clock, retries and lease of the workflow engine (tests pass a clock they move). */
  workflow?: WorkflowOptions;
  /** The time records are created and changed at (and autonumbers dated by); tests pass their own. */
  clock?: Clock;
  /** Where attachment bytes are kept (a folder, or the database) and the cap on any one file. */
  files?: FileOptions;
  /** Plugins, in the order their hooks run; their field types join the registry. */
  plugins?: EnginePlugin[];
  /** Where plugin failures are logged (default: stderr). */
  pluginLog?: PluginLog;
  /** Attempts, timeouts and deactivation of outbound webhooks (clock and backoff default to the workflow's). */
  webhooks?: WebhookOptions;
  /**
   * Where webhooks, the webhook action and plugin actions may call (default: public addresses only;
   * `outboundPolicyFrom(process.env)` reads CRM_WEBHOOK_ALLOW_PRIVATE and CRM_WEBHOOK_ALLOW_HOSTS).
   */
  outbound?: OutboundPolicy;
}

/** The metadata engine over one database; hands out workspaces. */
export class Engine {
  readonly registry: FieldTypeRegistry;
  readonly #checker: DefinitionChecker;
  readonly #ajv = createAjv();
  readonly #workspaces = new Map<string, Promise<Workspace>>();
  readonly #unfollow: (() => Promise<void>)[] = [];

  readonly #identityOptions: IdentityOptions;
  readonly #workflowOptions: WorkflowOptions;
  readonly #clock: Clock;
  readonly #files: FileOptions;
  #webhookOptions: WebhookOptions = {};
  #outbound: OutboundPolicy = {};
  readonly #plugins: EnginePlugin[] = [];
  #pluginLog: PluginLog = (line) => console.error(line);

  private constructor(
    readonly db: Db,
    registry: FieldTypeRegistry,
    identityOptions: IdentityOptions = {},
    clock: Clock = systemClock,
    files: FileOptions = {},
    workflowOptions: WorkflowOptions = {},
  ) {
    this.#workflowOptions = workflowOptions;
    this.#files = files;
    this.registry = registry;
    this.#identityOptions = identityOptions;
    this.#clock = clock;
    this.#checker = new DefinitionChecker(registry);
  }

  static async open(options: EngineOptions): Promise<Engine> {
    await migrateSystem(options.db);
    const registry = options.registry ?? createFieldTypeRegistry();
    for (const plugin of options.plugins ?? []) {
      for (const type of plugin.fieldTypes ?? []) {
        if (registry.get(type.type)) {
          throw new Error(`plugin '${plugin.name}': the field type '${type.type}' is already registered`);
        }
        registry.register(type);
      }
    }
    const engine = new Engine(
      options.db,
      registry,
      options.identity,
      options.clock,
      options.files,
      options.workflow,
    );
    engine.#plugins.push(...(options.plugins ?? []));
    if (options.pluginLog) engine.#pluginLog = options.pluginLog;
    engine.#webhookOptions = options.webhooks ?? {};
    engine.#outbound = options.outbound ?? {};
    return engine;
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
    await ensureSearchColumns(this.db, schema, catalog.all());
    this.#unfollow.push(await catalog.follow());
    const control = new AccessControl(this.db, id, schema);
    this.#unfollow.push(await control.follow());
    const logs = {
      schema,
      moduleTable: (id: string) => catalog.tableName(id),
      history: sql.raw(qualified(schema, HISTORY_TABLE)),
      operationLog: operationLogTable(schema),
      users: control.tables.users,
      departments: control.tables.departments,
    };
    const access: WorkspaceAccess = {
      control,
      roles: new RoleStore(this.db, id, schema, (moduleId) => catalog.byId(moduleId)?.definition),
      shares: new ShareService(this.db, catalog, control, logs),
      operationLog: new OperationLog(this.db, schema, catalog),
    };
    const definitions = new DefinitionStore(this.db, id, schema, this.registry, this.#checker, catalog);
    const records = new RecordService(this.db, catalog, control, this.#clock);
    const identity = new Identity(this.db, id, schema, this.#identityOptions);
    const files = new FileService(this.db, catalog, control, this.#files, this.#clock);
    const workflows = new WorkflowService(this.db, schema, {
      clock: this.#clock,
      http: outboundHttp(this.#outbound),
      ...this.#workflowOptions,
      records: workflowRecordAccess(definitions, records),
    });
    for (const action of builtInActions(records)) workflows.registerAction(action);
    workflows.registerAction(findRecordsAction(records));
    const notifications = new NotificationService(this.db, schema, this.#clock);
    const approvals = new ApprovalService(this.db, schema, workflows, identityTables(schema), {
      notify: (db, notice) => notifications.send(notice, db),
      records: approvalRecords(catalog, records),
    });
    records.setWriteGuard((db, module, id) => approvals.guard(db, module.id, id));
    files.setExtraReader((fileId, actor) =>
      actor.userId ? approvals.mayReadAttachment(fileId, actor.userId) : Promise.resolve(false),
    );
    workflows.registerAction(webhookAction(this.#outbound));
    workflows.registerAction(notifyAction(notifications, schema));
    records.observe(workflows.triggers);
    this.#unfollow.push(await workflows.follow());
    const webhooks = new WebhookService(this.db, schema, catalog, {
      clock: this.#workflowOptions.clock ?? this.#clock,
      backoff: this.#workflowOptions.backoff,
      outbound: this.#outbound,
      ...this.#webhookOptions,
    });
    records.observe(webhooks);
    this.#unfollow.push(await webhooks.follow());
    const plugins = new PluginService(
      this.db,
      schema,
      this.#plugins,
      this.#clock,
      this.#pluginLog,
      workflows.timeZone,
    );
    for (const action of plugins.actions()) {
      if (workflows.actions.has(action.type))
        throw new Error(`action '${action.type}' is already registered`);
      workflows.registerAction(action);
    }
    records.useWriteHooks(plugins.writeHooks);
    const packages = new PackageService(
      this.db,
      id,
      schema,
      catalog,
      definitions,
      access.roles,
      this.#checker,
      workflows,
    );
    const workspace = new Workspace(
      id,
      schema,
      catalog,
      definitions,
      records,
      access,
      identity,
      files,
      packages,
      workflows,
      notifications,
      new SavedViewStore(this.db, catalog, records),
      approvals,
      plugins,
      webhooks,
    );
    await plugins.start(workspace);
    this.#unfollow.push(await plugins.follow());
    return workspace;
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

/** Published modules and record values for the workflow engine (records read in full once access is checked). */
function workflowRecordAccess(definitions: DefinitionStore, records: RecordService): WorkflowRecordAccess {
  return {
    async publishedModule(name, db) {
      try {
        return (await definitions.within(db).get(name)).published;
      } catch (error) {
        if (error instanceof EngineError && error.kind === 'not-found') return null;
        throw error;
      }
    },
    async read(module, id, actor) {
      const visible = await records.get(module, id, actor);
      return actor.via === 'system' ? visible : records.get(module, id, SYSTEM_ACTOR);
    },
  };
}

/** Module ids and status writes for approvals (the write runs in the workflow command's transaction). */
function approvalRecords(catalog: ModuleCatalog, records: RecordService): ApprovalRecords {
  return {
    moduleId: (name) => (catalog.has(name) ? catalog.byName(name).id : null),
    async checkReadable(module, id, actor) {
      await records.get(module, id, actor);
    },
    async titles(module, ids, actor) {
      if (!catalog.has(module) || ids.length === 0) return new Map();
      const titleField = titleFieldOf(catalog.byName(module).definition);
      // no `fields`: the title field may be one the actor cannot read, then the id stands for it
      const page = await records.list(module, actor, {
        filter: { field: 'id', op: 'in', value: ids },
        limit: ids.length,
      });
      return new Map(
        page.data.map((record) => {
          const value = record[titleField];
          return [
            record.id,
            value === null || value === undefined || value === '' ? record.id : String(value),
          ];
        }),
      );
    },
    async setField(db, module, id, field, value, cause) {
      try {
        const derivedCause = cause ? { userId: cause } : undefined;
        await records.update(module, id, { [field]: value }, SYSTEM_ACTOR, { db, derivedCause });
      } catch (error) {
        // a record deleted meanwhile keeps the status it had
        if (error instanceof EngineError && error.kind === 'not-found') return;
        throw error;
      }
    },
  };
}
